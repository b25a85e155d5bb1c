"""Abstention models on the tables built from the mirror (``in_data_dir``): the main ordered model, the choice
model, the specification table, the out-of-sample test, the published findings and bad parameters. The
estimators themselves are tested on simulated data in ``test_model_estimators.py``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from unvotes.tables import catalogue
from unvotes.models import model_data
from unvotes import models, paths
from unvotes.errors import UnknownVoteError, UnvotesError
from unvotes.models.model_data import ModelParameterError

ES11 = [f"A/RES/ES-11/{i}" for i in range(1, 7)]


def test_separation_is_detected_exactly():
    X = pd.DataFrame({"Intercept": 1.0, "x": [-2, -1, 0, 1, 2, 3.0], "d": [0, 0, 0, 1, 1, 0.0]})
    complete = models.detect_separation(X[["Intercept", "x"]], [0, 0, 0, 1, 1, 1])  # x > 0 <=> y = 1
    assert complete.kind == "complete" and len(complete.rows) == 6
    quasi = models.detect_separation(X[["Intercept", "d"]], [0, 1, 0, 1, 1, 1])  # every d = 1 row has y = 1
    assert quasi.kind == "quasi-complete" and sorted(quasi.rows) == [3, 4] and quasi.direction["d"] > 0
    none = models.detect_separation(X[["Intercept", "x"]], [0, 1, 0, 1, 0, 1])
    assert none.kind == "none" and len(none.rows) == 0


def test_vote_keywords(in_data_dir):
    assert model_data.resolve_votes("ES-11") == ES11
    assert model_data.resolve_votes("2024-2025") == ["A/RES/78/316", "A/RES/79/184", "A/RES/ES-11/7", "A/RES/ES-11/8",
                                                     "A/RES/79/284", "A/RES/ES-11/9", "A/RES/80/223"]  # not 80/111
    assert set(ES11) < set(model_data.resolve_votes("2022-2023"))
    assert not any(v.startswith("S/") for v in model_data.resolve_votes("post-invasion"))
    assert model_data.resolve_votes(["A/RES/ES-11/4", "A/RES/ES-11/1"]) == ["A/RES/ES-11/1", "A/RES/ES-11/4"]
    assert model_data.comparable_training_vote("A/RES/80/223", model_data.resolve_votes("2022-2023")) == "A/RES/78/221"


def test_main_ordered_model(in_data_dir):
    m = models.fit("ES-11")
    assert m.family == "ordered" and m.estimator == "penalised"
    # No listwise deletion: Sudan's Freedom House score, empty in QoG, comes from the source directly; arms ties
    # in levels need no fill rule.
    assert m.data.dropped_missing.empty and m.data.filled.empty and "SDN" in set(m.data.frame["iso3"])
    # Absences are left out of the ordered scale, never coded as abstentions; arrears are named apart.
    assert set(m.sample["vote"]) == {"yes", "abstain", "no"}
    left = m.data.left_out.groupby("vote")["n"].sum()
    assert left["absent (no vote right: no_vote_right)"] == 6  # Venezuela on each of the six votes
    ame = m.ame().set_index("term")
    assert (ame["target"] == "not yes").all() and np.isfinite(ame["ame"]).all()
    assert (ame["p_holm"] >= ame["p"]).all()
    assert ame.loc["ideal_point_prewar", "ci_high"] < 0  # closer to the US before the war: fewer non-yes votes
    stats_ = m.fit_stats()
    assert stats_["n_states"] == 187 and stats_["n_votes"] == 6 and stats_["converged"]
    assert not set(m.data.frame["iso3"]) & {"RUS", "UKR"}  # the parties to the war are left out
    # No Western European and Others state voted no: found, named, and estimated finite by the penalty.
    sep = m.separation.set_index("check")
    assert "Western European and Others" in sep.loc["no vs yes or abstain", "covariates"]
    cv = models.cross_validate(m)
    assert 0.7 < cv["auc"] <= 1 and cv["n_scored"] == len(m.data.frame) and not cv["failed_folds"]
    assert cv == models.cross_validate(m)  # seeded folds: reproducible
    table = models.cross_validation_table({"main": m}).set_index("model")
    assert table.loc["main", "auc"] == pytest.approx(cv["auc"])
    fe_only = table.loc["main, fixed effects only"]
    assert fe_only["n_scored"] == cv["n_scored"] and fe_only["auc"] < cv["auc"]  # same rows, less information
    text = models.describe_sample(m)
    assert "no state lacks a covariate" in text and "ordered logit" in text


def test_choice_model_keeps_absence_and_leaves_out_arrears(in_data_dir):
    m = models.fit("ES-11", outcome="choice")
    assert m.family == "multinomial" and set(m.sample["vote"]) == {"yes", "abstain", "no", "absent"}
    assert not ((m.sample["iso3"] == "VEN") & (m.sample["vote"] == "absent")).any()  # no vote right: not a choice
    effects = {t: m.ame(t) for t in ("abstain", "no", "absent")}
    assert all(np.isfinite(e["ame"]).all() for e in effects.values())
    # The probabilities sum to one, so the effects on yes are minus the sum of the others.
    p = m.predict(m.sample)
    assert np.allclose(p.sum(axis=1), 1)


def test_african_group_and_one_vote(in_data_dir):
    african = models.fit("ES-11", group="African")
    assert set(african.sample["un_group"]) == {"African"}
    assert any("un_group dropped" in n for n in african.notes)
    one = models.fit(["A/RES/ES-11/4"])
    assert one.fit_stats()["n_votes"] == 1 and "fixed effect" not in one.description
    effects = models.specification_effects("ES-11", "African")
    text = models.headline_findings(effects, african.data.group)
    assert text.startswith("Within the African Group, average marginal effects on the probability of not voting yes")
    stable = models.stability(effects)
    for _, r in stable[stable["main (pp)"].notna()].iterrows():  # every main covariate, with its numbers
        assert r["covariate"] in text and f"main {r['main (pp)']:+.1f} pp" in text
    assert "counted" not in text and "survives" not in text  # no verdict by counting significant columns


def test_a_group_of_ones_own_states(in_data_dir):
    """A list of states (codes or names) is a group: its label names them, and the sample holds only them."""
    west = ["NGA", "GHA", "SEN", "CIV", "MLI", "BFA", "NER", "GIN", "SLE", "LBR", "TGO", "BEN", "GMB", "GNB",
            "CPV", "MRT", "CMR", "TCD", "CAF", "GAB", "COG", "COD", "GNQ", "Sao Tome and Principe"]
    m = models.fit("ES-11", group=west)
    assert m.data.group == "24 states chosen (NGA, GHA, SEN, CIV, MLI, BFA, NER, GIN and 16 more)"
    assert set(m.sample["iso3"]) <= set(west[:-1]) | {"STP"} and len(set(m.sample["iso3"])) >= 20
    assert models.check_parameters("ES-11", west, model_data.DEFAULT_COVARIATES, "not_yes")["group"] == m.data.group


def test_standardisation_pooled_gives_one_unit_in_every_sample(in_data_dir):
    from unvotes import api

    everyone = model_data.prepare("ES-11", None, standardize="pooled")
    african = model_data.prepare("ES-11", "African", standardize="pooled")
    per_sample = model_data.prepare("ES-11", "African")
    # the same transformation in both samples: the pooled all-member-states mean and sd
    c = api.load_countries()
    fh = c.loc[c["un_member_to"].isna(), "fh_total"]
    assert everyone.scales["fh_total"] == african.scales["fh_total"] == pytest.approx((fh.mean(), fh.std(ddof=0)))
    assert per_sample.scales["fh_total"][1] < african.scales["fh_total"][1]  # the African Group's own sd is smaller
    raw = model_data.prepare("ES-11", "African", standardize=False)
    assert not raw.scales and raw.frame["fh_total"].max() > 50
    with pytest.raises(ModelParameterError, match=r"unknown standardize 'by-group'.*pooled"):
        model_data.prepare("ES-11", standardize="by-group")
    # AMEs in common units do not depend on how the covariates were standardised (up to the prior's pull)
    a = models.in_common_units(models.fit("ES-11", "African").ame(), per_sample).set_index("term")
    b = models.in_common_units(models.fit("ES-11", "African", standardize="pooled").ame(), african).set_index("term")
    assert a.loc["fh_total", "unit"] == b.loc["fh_total", "unit"] == "+10 points (of 100)"
    assert a.loc["fh_total", "ame"] == pytest.approx(b.loc["fh_total", "ame"], rel=0.05)


def test_stability_summary_on_a_hand_made_curve():
    """Four specifications on the same estimand, one on another: the summary counts only the four."""
    rows = [("main", True, 0.10, 0.02, 0.18), ("b", True, 0.05, -0.01, 0.11), ("c", True, -0.02, -0.08, 0.04),
            ("d", True, 0.20, 0.12, 0.28), ("other", False, -0.30, -0.40, -0.20)]
    effects = pd.DataFrame({"specification": [r[0] for r in rows], "same_estimand": [r[1] for r in rows],
                            "estimand": ["P(not yes)"] * 4 + ["P(abstain)"], "label": "x", "unit": "+1 unit",
                            "term": "x", "covariate": "x", "ame": [r[2] for r in rows],
                            "ci_low": [r[3] for r in rows], "ci_high": [r[4] for r in rows], "error": np.nan})
    r = models.stability(effects).iloc[0]
    assert r["specifications"] == 4 and r["main (pp)"] == pytest.approx(10.0)
    assert r["median (pp)"] == pytest.approx(7.5) and r["lowest (pp)"] == pytest.approx(-2.0)
    assert r["highest (pp)"] == pytest.approx(20.0)
    assert r["same sign"] == 0.75 and r["95% CI excludes 0"] == 0.5 and r["same sign, CI excludes 0"] == 0.5
    table = models.robustness_table(effects)
    assert "other [other estimand]" in table.columns and table.loc[0, "specifications"] == 4


def test_specification_curve_holds_the_estimand_fixed(in_data_dir):
    curve = models.specification_curve({"All": "all", "African": "African"}, {"ES-11": "ES-11"})
    assert curve["error"].isna().all()
    assert list(dict.fromkeys(curve["specification"])) == list(models.SPECIFICATIONS)
    same = curve[curve["same_estimand"]]
    assert set(same["target"]) == {"not yes"} and set(same["estimand"]) == {models.ESTIMAND}
    other = curve[~curve["same_estimand"]]
    assert set(other["specification"]) == {k for k, v in models.SPECIFICATIONS.items() if "estimand" in v}
    assert "choice model: P(abstain)" in set(other["specification"])
    # one unit in every sample: no per-SD unit anywhere
    assert not curve["unit"].str.contains("SD").any()
    fh = curve[curve["covariate"] == "fh_total"]
    assert set(fh["unit"]) == {"+10 points (of 100)"}
    table = models.stability(curve).set_index(["group", "covariate"])
    ideal = table.loc[("All", "Pre-war ideal point (towards the US)")]
    assert ideal["specifications"] == len([k for k, v in models.SPECIFICATIONS.items() if "estimand" not in v]) - 1
    assert np.isnan(table.loc[("All", "CSTO member"), "main (pp)"])  # not in the main specification
    main = curve[(curve["group"] == "All") & (curve["specification"] == next(iter(models.SPECIFICATIONS)))]
    assert ideal["main (pp)"] == pytest.approx(main.set_index("covariate").loc["ideal_point_prewar", "ame"] * 100)
    # the dated ties enter their own specification, at each vote's date
    dated = curve[curve["specification"] == "with dated identities and security ties"]
    assert {"flmsa_party_gov", "member_arab_league_at_vote"} <= set(dated["covariate"])
    priors = models.prior_sensitivity("ES-11", scales=(1.0, 2.5))
    assert sorted(priors["prior_scale"].unique()) == [1.0, 2.5]
    at_main = priors[priors["prior_scale"] == 2.5].set_index("term")["ame"]
    assert at_main.round(10).equals(main.set_index("term")["ame"].round(10).reindex(at_main.index))
    # a stronger prior pulls every effect towards zero
    strong = priors[priors["prior_scale"] == 1.0].set_index("term")["ame"].abs()
    assert (strong <= at_main.abs() + 1e-9).mean() >= 0.8
    table = models.prior_table(priors).set_index("covariate")
    assert list(table.columns) == ["prior scale 1", "prior scale 2.5"]
    text = models.robustness_headline(curve, priors)
    assert "**All**" in text and "**African**" in text and "at scale 1," in text and "at scale 2.5" in text
    assert "per 10 points" in text and "same sign in" in text
    shown = models.other_estimands(curve)
    assert len(shown) == len(other) and set(shown["estimand"]) == set(other["estimand"])
    # the former remedy sets the CSTO members aside when CSTO is a covariate
    ml = models.fit("ES-11", covariates=model_data.DEFAULT_COVARIATES + ["member_csto"], outcome="abstain_vs_yes",
                    estimator="ml")
    assert ml.separation.iloc[0]["states"] == "ARM, KAZ, KGZ, TJK"


def test_rolling_origin_predicts_each_vote_from_the_earlier_ones(in_data_dir):
    from unvotes.analyses import shifts
    from unvotes.models import evaluation

    ro = models.rolling_origin("all", list(model_data.DEFAULT_COVARIATES), "2022-02-24")  # as the notebook
    assert ro.test_votes == model_data.resolve_votes("post-invasion")
    assert ro.sequence[0] == "A/RES/68/262" and ro.sequence.index(ro.test_votes[0]) > 0
    p = ro.predictions
    assert set(p["vote"]) == {"yes", "abstain", "no"} and p[list(models.evaluation.PREDICTORS)].notna().all().all()
    # one intercept per kind; a first vote of its kind borrows, and says so (the nuclear-safety text)
    assert any(n.startswith("A/RES/78/316 (Nuclear safety)") for n in ro.notes)
    # the same lag and persistence construction for every row: the preceding vote of the sequence
    frame = p[["iso3", "vote_id"]]
    hist = evaluation._history_columns(frame, ro.sequence)
    vm = shifts.vote_table(ro.sequence)
    for vote in ("A/RES/ES-11/4", "A/RES/79/284"):
        k = ro.sequence.index(vote)
        rows = frame["vote_id"] == vote
        prev = frame.loc[rows, "iso3"].map(vm[ro.sequence[k - 1]])
        assert (hist.loc[rows, "last_abstain"] == prev.eq("abstain").astype(float)).all()
        earlier = vm[ro.sequence[:k]]
        share = earlier.isin(["abstain", "no"]).sum(axis=1) / earlier.isin(["yes", "abstain", "no"]).sum(axis=1)
        assert np.allclose(hist.loc[rows, "persistence"], frame.loc[rows, "iso3"].map(share), equal_nan=True)
    # scores: per origin and pooled on the same rows
    pooled = ro.pooled.set_index("predictor")
    assert set(pooled["n"]) == {len(p)}
    for name in ("persistence", "covariates"):
        assert pooled.loc[name, "log_loss"] == pytest.approx(models.log_loss(p["y"], p[name]))
        assert 0.5 < pooled.loc[name, "auc"] <= 1
    # the paired tests: the difference is the difference of the log-losses on the same state-votes
    c = ro.comparisons.set_index(["model", "against"])
    r = c.loc[("covariates", "persistence")]
    assert r["difference"] == pytest.approx(pooled.loc["covariates", "log_loss"] - pooled.loc["persistence", "log_loss"])
    assert r["ci_low"] < r["difference"] < r["ci_high"] and r["states"] == p["iso3"].nunique()
    # the verdict is computed from those numbers
    assert ro.verdict == evaluation.verdict(ro.comparisons)
    assert (" no different from " in ro.verdict) == (r["p"] >= 0.05)
    assert f"{r['difference']:+.3f}" in ro.verdict


def test_verdict_follows_the_tests():
    from unvotes.models import evaluation

    def table(p1, d1, p2, d2):
        base = {"n": 100, "states": 10, "log_loss_model": 0.4, "log_loss_against": 0.5, "ci_low": -0.2,
                "ci_high": 0.1, "t": 1.0}
        return pd.DataFrame([{**base, "model": "covariates", "against": "persistence", "difference": d1, "p": p1},
                             {**base, "model": "covariates + persistence", "against": "persistence",
                              "difference": d2, "p": p2}])
    assert "predict no different from persistence" in evaluation.verdict(table(0.4, 0.01, 0.3, -0.01))
    assert "does not improve" in evaluation.verdict(table(0.4, 0.01, 0.3, -0.01))
    text = evaluation.verdict(table(0.001, 0.05, 0.01, -0.02))
    assert "predict worse than persistence" in text and "improves the prediction" in text


def test_cross_validated_auc_is_computed_within_folds(in_data_dir):
    """With one vote, a model of fixed effects only predicts one constant per fold: AUC 0.5 exactly, not the
    below-chance value that pooling folds gave (0.46 on ES-11/4)."""
    one = models.fit(["A/RES/ES-11/4"])
    table = models.cross_validation_table({"main": one}).set_index("model")
    assert table.loc["main, fixed effects only", "auc"] == pytest.approx(0.5)
    assert table.loc["main", "auc"] > 0.5
    # a fold that cannot be fitted (too few No votes left in training) is counted and named, never silent
    for _, r in table.iterrows():
        assert (r["n_scored"] < r["n_rows"]) == (r["folds that failed"] > 0)
        assert r["why"].startswith("fold ") if r["folds that failed"] else r["why"].startswith("every fold")
    assert models.auc_within([1, 0, 1, 0], [0.9, 0.1, 0.2, 0.8], [1, 1, 2, 2]) == 0.5  # one right, one wrong
    assert models.auc([1, 0, 1, 0], [0.9, 0.1, 0.2, 0.8]) == 0.75  # pooled: pairs across strata count too


def test_published_comparison(in_data_dir):
    findings = models.published_findings()
    assert set(findings["study"]) == {"Farzanegan & Gholipour (2023)", "Amighini & García-Herrero (2023)"}
    table = models.replicate_published()
    csto = table[(table["study"] == "Farzanegan & Gholipour (2023)") & (table["proxy"] == "member_csto")]
    assert np.isfinite(csto["ame"]).all()  # penalised: estimated, not set aside
    lacking = table[table["proxy"] == ""]
    assert (lacking["verdict"] == "not in the project's data").all() and len(lacking) == 4
    # Belt and Road comes from the GFDC list since it became a registered source: estimated like the others
    bri = table[table["proxy"] == "bri_signatory"].iloc[0]
    assert np.isfinite(bri["ame"]) and bri["verdict"].startswith(("agrees", "same sign", "disagrees", "opposite"))
    arms = table[(table["study"] == "Amighini & García-Herrero (2023)")
                 & (table["proxy"] == "ru_arms_share_2010_2021")].iloc[0]
    assert arms["verdict"].startswith(("agrees", "same sign", "disagrees", "opposite"))
    assert (arms["ame"] > 0) == arms["verdict"].startswith(("agrees", "same sign"))
    summary = models.published_summary(table)
    assert "80 of about 150" not in summary and "Farzanegan" in summary
    shown = models.published_table(table)
    assert "member_csto" not in set(shown["measured here by"]) and "CSTO member" in set(shown["measured here by"])
    assert shown.loc[table["ame"].isna(), "95% CI (pp)"].isna().all()


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
    ({"group": []}, ModelParameterError, r"empty list"),
    ({"group": ["MLI", "Mali"]}, ModelParameterError, r"twice: MLI"),
    ({"group": ["MLI", "Mlai"]}, UnvotesError, r"Mlai.*did you mean.*MLI"),
    ({"group": ["MLI", "BFA", "NER"]}, ModelParameterError, r"at least 15"),
    ({"estimator": "probit"}, ModelParameterError, r"unknown estimator 'probit'.*penalised"),
    ({"outcome": "abstain"}, ModelParameterError, r"unknown outcome 'abstain'.*ordered.*abstain_vs_yes"),
    ({"intercepts": "country"}, ModelParameterError, r"unknown intercepts 'country'.*theme"),
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


def test_dated_covariates_are_shared_within_a_block_only(monkeypatch):
    from unvotes import memo
    from unvotes.tables import dated

    monkeypatch.delenv(memo.ENV, raising=False)  # outside a build's (or this session's) shared results
    calls = []
    monkeypatch.setattr(dated, "vote_covariates", lambda ids: calls.append(list(ids)) or pd.DataFrame({"n": [len(calls)]}))
    with model_data.dated_covariates_shared():
        first = model_data._vote_covariates(["a", "b"])
        first.loc[0, "n"] = 99  # a caller's change stays its own
        with model_data.dated_covariates_shared():
            assert model_data._vote_covariates(["a", "b"])["n"].tolist() == [1]
        model_data._vote_covariates(["a"])
    model_data._vote_covariates(["a", "b"])  # after the block: read again
    assert calls == [["a", "b"], ["a"], ["a", "b"]]
