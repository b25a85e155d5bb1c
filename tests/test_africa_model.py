"""The pre-specified Africa model: the Shapley arithmetic and the randomisation statistic on hand-made numbers,
then the model, its randomisation inference, the decomposition and the subgroups on the real data."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from unvotes.models.model_data import ModelParameterError
from unvotes.models import africa


def test_shapley_values_of_an_additive_game_and_with_an_interaction():
    players = ["a", "b", "c"]
    own = {"a": 0.3, "b": 0.1, "c": -0.05}
    loss = {frozenset(s): 1.0 - sum(own[p] for p in s) for k in range(4) for s in combinations(players, k)}
    assert africa.shapley_values(loss, players) == pytest.approx(own)
    # a and b are substitutes (together they save what either saves alone): the saving is split between them
    loss = {frozenset(s): 1.0 - (0.2 if {"a", "b"} & set(s) else 0.0) for k in range(4) for s in combinations(players, k)}
    values = africa.shapley_values(loss, players)
    assert values == pytest.approx({"a": 0.1, "b": 0.1, "c": 0.0})
    assert sum(values.values()) == pytest.approx(loss[frozenset()] - loss[frozenset(players)])


def test_the_randomisation_statistic_by_hand():
    x = np.array([[1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]])
    residual = np.array([0.5, -1.0, 0.25, -1.0])
    # the residuals summed over the treated rows of each assignment
    assert africa._statistic(x, residual).tolist() == [0.75, -0.5]


def test_bad_samples_and_permutations_fail_clearly():
    with pytest.raises(ModelParameterError, match="unknown Africa sample"):
        africa.check_sample("ES-12")
    with pytest.raises(ModelParameterError, match="at least 100"):
        africa.randomisation_inference("ES-11", permutations=10)


#: The Africa notebook's main sample, named as the notebook names it: the effects, the randomisation inference and
#: the decomposition below are then the notebook's own results, computed once per test session (unvotes.memo keys
#: them by their arguments) instead of once here and once in test_notebooks.py.
SAMPLE = "ES-11/1-6 (2022-2023)"


def test_the_africa_model_on_the_real_data(in_data_dir):
    assert africa.check_sample(SAMPLE) == africa.check_sample("ES-11") == "ES-11"  # the name and its votes: one sample
    effects = africa.effects(SAMPLE)
    old = effects[effects["specification"] == "report's covariates"].set_index("term")
    new = effects[effects["specification"] == "pre-specified Africa model"].set_index("term")
    assert set(old.index) == set(africa.REPORT_COVARIATES) and set(new.index) == set(africa.COVARIATES)
    assert effects.attrs["n_states"] == 53 and effects.attrs["n_rows"] == 280  # the report's African sample
    # the identities pull in opposite directions, and hold after Holm only once they are in the model
    assert new.loc["member_arab_league_at_vote", "ame"] < 0 < new.loc["flmsa_party_gov", "ame"]
    assert new.loc["flmsa_party_gov", "p_holm"] < 0.05 and old.loc["ideal_point_prewar", "p_holm"] >= 0.05
    # per SD of all member states, the all-states models' unit (the African states' SD of the ideal point is smaller)
    assert new.loc["ideal_point_prewar", "change"].startswith("+1 SD of all member states (1")
    scores = effects.attrs["scores"]
    assert scores["pre-specified Africa model"]["auc"] > scores["report's covariates"]["auc"]
    assert effects.attrs["fixed_effects_only"]["n_scored"] == effects.attrs["n_rows"]
    assert all(s["n_scored"] == s["n_rows"] for s in scores.values())  # no fold dropped rows
    ri = africa.randomisation_inference(SAMPLE).set_index("term")
    assert set(ri.index) == set(africa.TREATMENTS) and ri.loc["flmsa_party_gov", "treated states"] == 6
    assert ri["randomisation p"].between(1 / (africa.PERMUTATIONS + 1), 1).all()
    again = africa.randomisation_inference.__wrapped__("ES-11", permutations=200)  # seeded: reproducible
    assert again.equals(africa.randomisation_inference.__wrapped__("ES-11", permutations=200))
    shapley = africa.log_loss_shapley(SAMPLE)
    assert len(shapley) == len(africa.COVARIATE_GROUPS) and shapley.attrs["models"] == 2 ** len(africa.COVARIATE_GROUPS)
    total = shapley.attrs["fixed_effects_only"]["log_loss"] - shapley.attrs["full"]["log_loss"]
    assert shapley["log-loss reduction (Shapley)"].sum() == pytest.approx(total)
    groups = africa.subgroups("ES-11").set_index("subgroup")
    assert groups.loc["the African Group, pooled", "state-votes"] == 54 * 6
    assert groups.loc["FLMSA party in government", "share abstain"] > groups.loc["the African Group, pooled",
                                                                                   "share abstain"]
    text = africa.headline(effects, ri.reset_index(), shapley, groups.reset_index())
    assert text.startswith("Within the African Group") and "randomisation p" in text
    assert f"log-loss {effects.attrs['fixed_effects_only']['log_loss']:.3f}" in text and "Brier score" in text
    assert "no covariate's association" not in text and "not causal" in text
    table = africa.display_effects(effects)
    assert table.iloc[-1]["covariate"].startswith("cross-validated AUC") and len(table) == len(africa.COVARIATES) + 1


def _scored(auc, log_loss, brier):
    return {"auc": auc, "log_loss": log_loss, "brier": brier}


def test_the_scores_sentence_says_where_the_measures_disagree():
    table = africa.pd.DataFrame()
    table.attrs.update(fixed_effects_only=_scored(0.60, 0.668, 0.240),
                       scores={"report's covariates": _scored(0.68, 0.684, 0.238),
                               "pre-specified Africa model": _scored(0.79, 0.700, 0.207)})
    text = africa.scores_sentence(table)
    assert "AUC 0.60, 0.68 and 0.79" in text and "log-loss 0.668, 0.684 and 0.700" in text
    assert "better by AUC and Brier score but worse by log-loss" in text
    assert "covariates alone raise the log-loss of the fixed effects by 0.016" in text
    table.attrs["scores"]["pre-specified Africa model"] = _scored(0.79, 0.600, 0.207)
    assert "better than the report's covariates by all three" in africa.scores_sentence(table)


def test_the_limits_count_the_overlap_and_the_treated_states(in_data_dir):
    first, second = africa.SAMPLES
    ri = africa.randomisation_inference(first)
    ri2 = africa.randomisation_inference(second)
    text = africa.limits(first, ri, second, ri2)
    rows = africa.prepared(second).frame
    first_votes = set(africa.model_data.resolve_votes("ES-11"))
    overlap = int(rows["vote_id"].isin(first_votes).sum())
    assert 0 < overlap < len(rows) and f"{overlap} of its {len(rows)} state-votes" in text
    forces = ri2.set_index("term").loc["russian_forces"]
    assert f"{forces['covariate']} {forces['treated states']}" in text
    assert "out-of-sample check" in text and "four or fewer" not in text
