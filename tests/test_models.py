"""Abstention models on the tables built from the mirror (``in_data_dir``): the main ordered model, the choice
model, the specification table, the out-of-sample test, the published findings and bad parameters. The
estimators themselves are tested on simulated data in ``test_model_estimators.py``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from unvotes import catalogue, model_data, models, paths
from unvotes.errors import UnknownVoteError, UnvotesError
from unvotes.model_data import ModelParameterError

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
    table = models.robustness_table(effects)
    if not table["survives"].any():
        assert text.startswith("Within the African Group, none of the pre-war covariates of these")
        assert "no covariate's association" not in text and "dated to each vote" in text
    else:
        assert all(c in text for c in table.loc[table["survives"], "covariate"])


def test_specification_table_and_headline(in_data_dir):
    effects = models.specification_effects("ES-11")
    assert list(dict.fromkeys(effects["specification"])) == list(models.SPECIFICATIONS)
    assert effects["error"].isna().all()
    table = models.robustness_table(effects).set_index("covariate")
    # The ideal point is left out of one specification by design; CSTO enters only one.
    assert table.loc["Pre-war ideal point (towards the US)", "specifications"] == len(models.SPECIFICATIONS) - 1
    assert not table.loc["CSTO member", "survives"]  # not in the main specification: never a headline
    survivors = table.index[table["survives"]]
    text = models.headline_findings(effects, "all member states")
    assert text.startswith("Across all member states")
    for c in survivors:
        assert c in text
    # The former remedy sets the CSTO members aside when CSTO is a covariate.
    ml = models.fit("ES-11", covariates=model_data.DEFAULT_COVARIATES + ["member_csto"], outcome="abstain_vs_yes",
                    estimator="ml")
    assert ml.separation.iloc[0]["states"] == "ARM, KAZ, KGZ, TJK"


def test_samples_side_by_side_and_the_prior_sensitivity(in_data_dir):
    effects = {"All": models.specification_effects("ES-11"), "African": models.specification_effects("ES-11", "African")}
    table = models.survival_by_sample(effects).set_index("covariate")
    survives_all = table["All: survives"] == "yes"
    assert set(table.index[survives_all]) == set(models.surviving(effects["All"])["label"])
    # the regional groups are not in the African Group's model
    assert table.loc["UN regional group: African (vs Asia-Pacific)", "African: main specification"] == \
        "not in this sample's model"
    priors = models.prior_sensitivity("ES-11", scales=(1.0, 2.5))
    assert sorted(priors["prior_scale"].unique()) == [1.0, 2.5]
    main = models.fit("ES-11").ame().set_index("term")["ame"]
    at_main = priors[priors["prior_scale"] == 2.5].set_index("term")["ame"]
    assert at_main.round(10).equals(main.round(10).reindex(at_main.index))  # scale 2.5 is the main model
    # a stronger prior pulls every effect towards zero
    weak = priors[priors["prior_scale"] == 2.5].set_index("term")["ame"].abs()
    strong = priors[priors["prior_scale"] == 1.0].set_index("term")["ame"].abs()
    assert (strong <= weak + 1e-9).mean() >= 0.8
    table = models.prior_table(priors).set_index("covariate")
    assert list(table.columns) == ["prior scale 1", "prior scale 2.5"]
    assert table.loc["Pre-war ideal point (towards the US)", "prior scale 2.5"].startswith("-16.8 [")
    text = models.robustness_headline(effects, priors)
    assert "African: no effect survives" in text and "at scale 1," in text and "at scale 2.5" in text


def test_out_of_sample_scores_every_predictor_on_the_same_rows(in_data_dir):
    oos = models.out_of_sample()
    assert oos.test_votes == model_data.resolve_votes("2024-2025")
    # A new vote takes its kind's intercept; the nuclear-safety text has no training vote of its kind.
    assert oos.themes["A/RES/80/223"] == "Human rights in occupied Crimea and territories"
    assert oos.themes["A/RES/78/316"] == "Emergency special session" and any("78/316" in n for n in oos.notes)
    p = oos.predictions
    assert set(p["vote"]) == {"yes", "abstain"}
    overall = oos.overall.set_index("predictor")
    assert set(overall["n"]) == {len(p)}
    for name in ("covariates", "lags", "dynamic (lags + covariates)"):
        assert overall.loc[name, "brier"] == pytest.approx(((p[name] - p["y"]) ** 2).mean())
    base = overall.loc["last vote carried forward"]
    assert np.isnan(base["log_loss"]) and base["brier"] == pytest.approx(1 - base["accuracy"])
    # The baseline is the state's vote on the last training vote when that vote was yes or abstain.
    from unvotes import shifts
    last = shifts.vote_matrix(["A/RES/78/221"])["A/RES/78/221"]
    coded = p[p["iso3"].map(last).isin(["yes", "abstain"])]
    assert (coded["last vote carried forward"] == coded["iso3"].map(last).eq("abstain").astype(int)).all()


def test_published_comparison(in_data_dir):
    findings = models.published_findings()
    assert set(findings["study"]) == {"Farzanegan & Gholipour (2023)", "Amighini & García-Herrero (2023)"}
    table = models.replicate_published()
    csto = table[(table["study"] == "Farzanegan & Gholipour (2023)") & (table["proxy"] == "member_csto")]
    assert np.isfinite(csto["ame"]).all()  # penalised: estimated, not set aside
    lacking = table[table["proxy"] == ""]
    assert (lacking["verdict"] == "not in the project's data").all() and len(lacking) == 4
    # Belt and Road is in the data (true or unknown): not "not in the data", but refused by the models, with why
    bri = table[table["proxy"] == "bri_signatory"].iloc[0]
    assert bri["verdict"].startswith("in the data, not usable in a model: 80 of about 150") and np.isnan(bri["ame"])
    arms = table[(table["study"] == "Amighini & García-Herrero (2023)")
                 & (table["proxy"] == "ru_arms_share_2010_2021")].iloc[0]
    assert arms["verdict"].startswith(("agrees", "same sign", "disagrees", "opposite"))
    assert (arms["ame"] > 0) == arms["verdict"].startswith(("agrees", "same sign"))
    summary = models.published_summary(table)
    assert "Belt and Road Initiative membership (`bri_signatory`: 80 of about 150" in summary and "Farzanegan" in summary
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
