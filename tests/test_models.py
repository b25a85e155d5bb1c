"""Abstention models: recovery of known coefficients, clustered SEs, separation, marginal effects, parameters.

The first part runs on simulated data (no processed tables needed); the second on the tables built from the
mirror (``in_data_dir``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from unvotes import catalogue, model_data, models, paths
from unvotes.errors import UnknownVoteError, UnvotesError
from unvotes.model_data import ModelData, ModelParameterError

# ---------------------------------------------------------------------------------------------- simulated data


def _data(frame: pd.DataFrame, terms: list[str], votes: list[str]) -> ModelData:
    frame = frame.copy()
    frame["vote_fe"] = frame["vote_id"]
    frame["vote"] = np.where(frame["y"] == 1, "abstain", "yes")
    frame["name"], frame["un_group"] = frame["iso3"], "simulated"
    empty = pd.DataFrame()
    return ModelData(votes=votes, group="simulated", outcome="abstain_vs_yes", covariates=terms, frame=frame,
                     terms=terms, term_labels={t: t for t in terms}, term_covariate={t: t for t in terms}, scales={},
                     dropped_missing=empty, filled=empty, left_out=empty, standardize=False)


def _simulate(n_states=400, votes=("v1", "v2", "v3", "v4"), beta=(-0.5, 1.0, -1.5), fe=(0.0, 0.5, -0.5, 1.0),
              state_sd=0.0, seed=7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n_states)
    d = rng.integers(0, 2, n_states).astype(float)
    u = rng.normal(scale=state_sd, size=n_states)
    rows = []
    for j, v in enumerate(votes):
        eta = beta[0] + beta[1] * x + beta[2] * d + fe[j] + u
        y = rng.uniform(size=n_states) < 1 / (1 + np.exp(-eta))
        rows.append(pd.DataFrame({"iso3": [f"S{i:03d}" for i in range(n_states)], "vote_id": v, "x": x, "d": d,
                                  "y": y.astype(int)}))
    return pd.concat(rows, ignore_index=True)


def test_simulated_coefficients_are_recovered():
    votes = ["v1", "v2", "v3", "v4"]
    m = models.fit_data(_data(_simulate(n_states=1000, seed=8), ["x", "d"], votes), "pooled_logit")
    fe = 'C(vote_fe, Treatment(reference="v1"))[T.{}]'
    truth = pd.Series({"Intercept": -0.5, "x": 1.0, "d": -1.5, fe.format("v2"): 0.5, fe.format("v3"): -0.5,
                       fe.format("v4"): 1.0})
    est, se = m.result.params[truth.index], m.result.bse[truth.index]
    assert ((est - truth).abs() < 0.15).all(), est - truth
    assert ((est - truth).abs() < 3 * se).all()  # within 3 cluster-robust SEs
    assert m.separation.empty and m.perfectly_predicted.empty


def test_clustered_standard_errors_match_an_independent_sandwich():
    frame = _simulate(n_states=150, state_sd=1.0, seed=11)
    votes = ["v1", "v2", "v3", "v4"]
    m = models.fit_data(_data(frame, ["x", "d"], votes), "pooled_logit")
    r = m.result
    X = np.asarray(r.model.exog)
    y = np.asarray(r.model.endog)
    p = 1 / (1 + np.exp(-X @ r.params.to_numpy()))
    bread = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
    scores = X * (y - p)[:, None]
    groups = frame["iso3"].to_numpy()
    meat = np.zeros((X.shape[1], X.shape[1]))
    for g in np.unique(groups):
        s = scores[groups == g].sum(axis=0)
        meat += np.outer(s, s)
    n, k, G = len(y), X.shape[1], len(np.unique(groups))
    V = G / (G - 1) * (n - 1) / (n - k) * bread @ meat @ bread  # Stata's / statsmodels' small-sample factor
    np.testing.assert_allclose(r.cov_params().to_numpy(), V, rtol=1e-6)
    # With a state effect in the data, clustering must widen the SE of the state-level covariate.
    naive = np.sqrt(np.diag(bread))
    assert r.bse["x"] > 1.1 * naive[list(r.params.index).index("x")]


def test_one_covariate_marginal_effect_matches_hand_computation():
    frame = _simulate(n_states=300, votes=("v1",), beta=(0.3, 0.8, 0.0), fe=(0.0,), seed=3)
    m = models.fit_data(_data(frame, ["x"], ["v1"]), "logit")
    b0, b1 = m.result.params["Intercept"], m.result.params["x"]
    x = frame["x"].to_numpy()
    p = 1 / (1 + np.exp(-(b0 + b1 * x)))
    ame_hand = np.mean(b1 * p * (1 - p))
    grad = np.array([np.mean(b1 * p * (1 - p) * (1 - 2 * p)),
                     np.mean(p * (1 - p) + b1 * p * (1 - p) * (1 - 2 * p) * x)])
    se_hand = float(np.sqrt(grad @ m.result.cov_params().to_numpy() @ grad))
    row = m.ame().set_index("term").loc["x"]
    assert row["ame"] == pytest.approx(ame_hand, rel=1e-6)
    assert row["se"] == pytest.approx(se_hand, rel=1e-4)
    assert row["ci_low"] == pytest.approx(ame_hand - 1.959964 * se_hand, rel=1e-3)
    assert row["unit"] == "+1 unit"


def test_separation_is_detected_exactly():
    X = pd.DataFrame({"Intercept": 1.0, "x": [-2, -1, 0, 1, 2, 3.0], "d": [0, 0, 0, 1, 1, 0.0]})
    # complete: x > 0 <=> y = 1
    complete = models.detect_separation(X[["Intercept", "x"]], [0, 0, 0, 1, 1, 1])
    assert complete.kind == "complete" and len(complete.rows) == 6
    # quasi-complete: every d = 1 row has y = 1, the d = 0 rows are mixed
    quasi = models.detect_separation(X[["Intercept", "d"]], [0, 1, 0, 1, 1, 1])
    assert quasi.kind == "quasi-complete"
    assert sorted(quasi.rows) == [3, 4]
    assert quasi.direction["d"] > 0
    # overlap: no separation
    none = models.detect_separation(X[["Intercept", "x"]], [0, 1, 0, 1, 0, 1])
    assert none.kind == "none" and len(none.rows) == 0


def test_separating_membership_is_set_aside_not_estimated():
    frame = _simulate(n_states=300, votes=("v1", "v2"), beta=(-0.5, 1.0, 0.0), fe=(0.0, 0.3), seed=5)
    bloc = frame["iso3"].isin([f"S{i:03d}" for i in range(12)])
    frame["bloc"] = bloc.astype(float)
    frame.loc[bloc, "y"] = 1  # every member of the bloc abstains on every vote
    m = models.fit_data(_data(frame.drop(columns="d"), ["x", "bloc"], ["v1", "v2"]), "pooled_logit")
    assert len(m.separation) == 1
    step = m.separation.iloc[0]
    assert step["kind"] == "quasi-complete" and step["n_rows"] == 24 and step["dropped"] == "bloc"
    assert step["states"] == ", ".join(f"S{i:03d}" for i in range(12))
    assert "bloc" not in m.terms and "bloc" not in set(m.ame()["term"])
    assert m.separated_signs == {"bloc": 1}
    assert np.abs(m.result.params).max() < 5  # no meaningless huge coefficient
    assert len(m.perfectly_predicted) == 24 and (m.perfectly_predicted["p"] == 1).all()
    # A new member of the bloc is predicted to abstain with certainty, a non-member by the model.
    new = pd.DataFrame({"iso3": ["NEW", "OUT"], "vote_id": "v2", "vote_fe": "v2", "x": [0.0, 0.0], "bloc": [1.0, 0.0]})
    p = m.predict(new)
    assert p.iloc[0] == 1.0 and 0 < p.iloc[1] < 1


def test_complete_separation_is_an_error():
    frame = _simulate(n_states=40, votes=("v1",), seed=2)
    frame["y"] = (frame["x"] > 0).astype(int)
    with pytest.raises(ModelParameterError, match="complete separation"):
        models.fit_data(_data(frame, ["x"], ["v1"]), "logit")


def test_auc_by_hand():
    assert models.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert models.auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    assert np.isnan(models.auc([1, 1], [0.2, 0.3]))


# ---------------------------------------------------------------------------------------------- real data

ES11 = [f"A/RES/ES-11/{i}" for i in range(1, 7)]


def test_vote_keywords(in_data_dir):
    assert model_data.resolve_votes("ES-11") == ES11
    assert model_data.resolve_votes("2024-2025") == ["A/RES/78/316", "A/RES/79/184", "A/RES/ES-11/7", "A/RES/ES-11/8",
                                                     "A/RES/79/284", "A/RES/ES-11/9", "A/RES/80/223"]  # not 80/111
    assert set(ES11) < set(model_data.resolve_votes("2022-2023"))
    assert not any(v.startswith("S/") for v in model_data.resolve_votes("post-invasion"))
    assert model_data.resolve_votes(["A/RES/ES-11/4", "A/RES/ES-11/1"]) == ["A/RES/ES-11/1", "A/RES/ES-11/4"]
    assert model_data.comparable_training_vote("A/RES/80/223", model_data.resolve_votes("2022-2023")) == "A/RES/78/221"


def test_pooled_es11_model(in_data_dir):
    m = models.fit("ES-11")
    # Listwise deletion: Sudan has no Freedom House score; the fill rule gives 23 states a Russian share of 0.
    assert m.data.dropped_missing["iso3"].tolist() == ["SDN"]
    assert len(m.data.filled) == 23 and set(m.data.filled["column"]) == {"ru_arms_share_2010_2021"}
    # No-votes and absences are left out, never coded as abstentions.
    assert set(m.sample["vote"]) == {"yes", "abstain"}
    # CSTO: every member that voted abstained (Russia and Belarus voted no): separation, set aside.
    step = m.separation.iloc[0]
    assert step["states"] == "ARM, KAZ, KGZ, TJK" and step["dropped"] == "member_csto"
    assert "member_csto" not in m.terms and m.separated_signs["member_csto"] == 1
    ame = m.ame().set_index("term")
    assert np.isfinite(ame["ame"]).all() and (ame["ci_low"] < ame["ame"]).all()
    assert ame.loc["ideal_point_prewar", "ci_high"] < 0  # closer to the US before the war: fewer abstentions
    assert m.fit_stats()["n_states"] == 179 and m.fit_stats()["n_votes"] == 6
    assert not set(m.data.frame["iso3"]) & {"RUS", "UKR"}  # the parties to the war are left out
    cv = models.cross_validated_auc(m)
    assert 0.7 < cv["auc"] <= 1 and cv["n_scored"] == len(m.data.frame) and not cv["failed_folds"]
    assert cv == models.cross_validated_auc(m)  # seeded folds: reproducible
    text = models.describe_sample(m)
    assert "Sudan (SDN, no fh_total)" in text and "absent rows" in text


def test_african_group_and_per_vote_and_multinomial(in_data_dir):
    african = models.fit("ES-11", group="African")
    assert set(african.sample["un_group"]) == {"African"}
    assert any("un_group dropped" in n for n in african.notes)
    one = models.fit(["A/RES/ES-11/4"], model="logit")
    assert one.kind == "logit" and one.fit_stats()["n_votes"] == 1
    mn = models.fit("ES-11", group="African", model="mnlogit")
    # No African state voted no on ES-11/4: its 'no' fixed effect would be minus infinity; the vote is left out.
    assert "A/RES/ES-11/4" not in set(mn.sample["vote_id"])
    assert mn.separation.iloc[0]["remedy"] == "vote(s) left out of the multinomial model"
    assert set(mn.ame()["category"]) == {"yes", "abstain", "no", "absent"}
    # AMEs across categories sum to zero (probabilities sum to one).
    sums = mn.ame().groupby("term")["ame"].sum()
    assert np.allclose(sums, 0, atol=1e-8)


def test_out_of_sample_against_last_vote(in_data_dir):
    oos = models.out_of_sample()
    assert oos.test_votes == model_data.resolve_votes("2024-2025")
    assert oos.comparable == {"A/RES/78/316": "A/RES/ES-11/6", "A/RES/79/184": "A/RES/78/221",
                              "A/RES/ES-11/7": "A/RES/ES-11/6", "A/RES/ES-11/8": "A/RES/ES-11/6",
                              "A/RES/79/284": "A/RES/77/284", "A/RES/ES-11/9": "A/RES/ES-11/6",
                              "A/RES/80/223": "A/RES/78/221"}
    p = oos.predictions
    assert set(p["vote"]) == {"yes", "abstain"}
    # The baseline is the state's vote on the last training vote when that vote was yes or abstain.
    from unvotes import shifts
    last = shifts.vote_matrix(["A/RES/78/221"])["A/RES/78/221"]
    coded = p[p["iso3"].map(last).isin(["yes", "abstain"])]
    assert (coded["last_vote"] == coded["iso3"].map(last).eq("abstain").astype(int)).all()
    overall = oos.overall
    assert overall["n"] == len(p)
    assert overall["model_accuracy"] == pytest.approx((p["model"] == p["y"]).mean())
    assert overall["last_vote_accuracy"] == pytest.approx((p["last_vote"] == p["y"]).mean())
    assert 0 <= overall["mcnemar_p"] <= 1


def test_published_comparison(in_data_dir):
    findings = models.published_findings()
    assert set(findings["study"]) == {"Farzanegan & Gholipour (2023)", "Amighini & García-Herrero (2023)"}
    table = models.replicate_published()
    csto = table[(table["study"] == "Farzanegan & Gholipour (2023)") & (table["proxy"] == "member_csto")]
    assert csto["verdict"].tolist() == ["agrees (perfect prediction: separation)"]
    lacking = table[table["proxy"] == ""]
    assert (lacking["verdict"] == "not in the project's data").all() and len(lacking) == 5
    arms = table[(table["study"] == "Amighini & García-Herrero (2023)")
                 & (table["proxy"] == "ru_arms_share_2010_2021")].iloc[0]
    assert arms["verdict"].startswith(("agrees", "same sign", "disagrees", "opposite"))
    assert (arms["ame"] > 0) == arms["verdict"].startswith(("agrees", "same sign"))
    summary = models.published_summary(table)
    assert "Belt and Road Initiative membership" in summary and "Farzanegan" in summary


def test_published_file_errors(tmp_path, monkeypatch, in_data_dir):
    good = (paths.external_dir() / models.PUBLISHED_FILE).read_text()
    bad = good.replace(",+1,ru_arms_share_2010_2021,", ",+1,arms_from_mars,", 1)
    (tmp_path / models.PUBLISHED_FILE).write_text(bad)
    monkeypatch.setattr(paths, "external_dir", lambda: tmp_path)
    with pytest.raises(UnvotesError, match=r"row 2 .*arms_from_mars"):
        models.published_findings()


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"votes": ["A/RES/ES-11/44"]}, UnknownVoteError, r"A/RES/ES-11/4"),
    ({"covariates": ["ideal_point_prewar", "gdp_growth"]}, ModelParameterError, r"gdp_growth.*ideal_point_prewar"),
    ({"group": "CSTO"}, ModelParameterError, r"CSTO.*at least 15"),
    ({"group": "Africa Group"}, ModelParameterError, r"unknown group 'Africa Group'.*African"),
    ({"model": "probit"}, ModelParameterError, r"unknown model 'probit'.*pooled_logit"),
    ({"model": "logit"}, ModelParameterError, r"'logit' is for one vote.*pooled_logit"),
    ({"outcome": "abstain"}, ModelParameterError, r"unknown outcome 'abstain'.*abstain_vs_yes"),
    ({"votes": "ES-12"}, UnknownVoteError, r"ES-12"),
])
def test_bad_parameters_give_clear_errors(in_data_dir, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        models.fit(**kwargs)


def test_partial_roll_call_never_enters_a_model(in_data_dir, monkeypatch):
    real = catalogue.load()
    monkeypatch.setattr(catalogue, "load", lambda: real.assign(
        complete=real["complete"] & (real["vote_id"] != "A/RES/ES-11/2")))
    with pytest.raises(UnknownVoteError, match="partial roll call"):
        models.fit(["A/RES/ES-11/1", "A/RES/ES-11/2"])
    assert "A/RES/ES-11/2" not in model_data.resolve_votes("ES-11")


def test_notebook_rejects_bad_parameters_in_its_first_code_cell(in_data_dir, tmp_path):
    import papermill as pm

    notebook = paths.PROJECT_ROOT / "notebooks" / "abstention_drivers.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(notebook), str(tmp_path / "out.ipynb"), parameters={"group": "Mars"},
                            progress_bar=False, kernel_name="python3")
    assert err.value.ename == "ModelParameterError" and "African" in err.value.evalue
    assert err.value.exec_count <= 3  # parameters, injected parameters, the checking cell
