"""The hierarchical model: it recovers known parameters from data drawn from it, it fits the real votes with
the stated sample rules, and its results (diagnostics, effects, checks) have the shape the report reads; the
forecast store refuses to overwrite and scores a forecast once its vote is in the data."""

import json

import numpy as np
import pandas as pd
import pytest

from unvotes.models import forecast, hierarchical as h

pytestmark = pytest.mark.notebooks  # slow (sampling): scheduled first, beside the notebook runs

#: Two chains of 80 warm-up and 80 kept draws on 60 simulated states and 10 votes. Measured (7 December 2026, one
#: core): JAX's compilation of the model is nearly all of the fit's cost, about 27 s of processor time whatever the
#: design (5 + 5 draws cost as much as 80 + 80, one chain more than two), so a smaller design saves little; with
#: 80 + 80 draws the known values are still recovered with margin (covariate intervals cover the truth, slopes
#: correlate 0.91 with it, every tail bound asserted below clears zero by 0.16 or more).
SMALL = h.Settings(chains=2, warmup=80, draws=80, max_tree_depth=6, seed=3)


@pytest.fixture(scope="module")
def simulated_fit():
    data, truth = h.simulate(n_states=60, n_items=10, n_second=4, seed=1)
    return h.sample(data, SMALL, progress=False), truth


def test_recovers_the_covariate_effects_and_discriminations(simulated_fit):
    fit, truth = simulated_fit
    gamma = fit.flat("gamma")
    low, high = np.percentile(gamma, [2.5, 97.5], axis=0)
    assert ((low <= truth["gamma"]) & (truth["gamma"] <= high)).all(), (low, high, truth["gamma"])
    assert np.sign(gamma.mean(0)).tolist() == np.sign(truth["gamma"]).tolist()
    beta1 = fit.flat("beta1").mean(0)
    assert np.corrcoef(beta1, truth["beta1"])[0, 1] > 0.6
    # the second dimension rests on four items here: only its orientation is asserted
    assert np.percentile(fit.flat("beta2")[:, fit.data.items["anchor"].to_numpy()], 2.5) > 0
    phi = fit.flat("phi")
    assert np.percentile(phi[:, 0], 2.5) > 0  # staying in the hall rises with reluctance, as simulated
    assert fit.divergences.sum() <= 0.01 * fit.divergences.size


def test_results_have_the_shape_the_report_reads(simulated_fit):
    fit, _ = simulated_fit
    d = h.diagnostics(fit)
    assert len(d) == 8 and d["max R-hat"].notna().all() and "divergences" in d.attrs
    table = h.covariate_table(fit)
    assert table["unit"].tolist() == ["+1 SD (1)", "0 -> 1"]
    assert (table["low"] <= table["effect_pp"]).all() and (table["effect_pp"] <= table["high"]).all()
    assert table.loc[0, "effect_pp"] < 0 < table.loc[1, "effect_pp"]
    by_item = h.marginal_effects(fit, by_item=True)
    assert len(by_item) == 2 * 10
    ppc = h.posterior_predictive(fit)
    assert len(ppc) == 4 * 10 and ppc["inside"].mean() > 0.8
    sens = h.prior_sensitivity(fit)
    assert len(sens) == 2 and sens["prior sensitivity"].between(0, 5).all()
    assert "x" not in h.headline(fit)[:5]


def test_unknown_sampler_settings_are_an_error():
    with pytest.raises(h.SamplingError, match="choose one of report, fast"):
        h.settings_named("quick")


def test_fits_every_complete_assembly_vote_with_the_sample_rules(in_data_dir):
    fit = h.shared_fit()
    items = fit.data.items["vote_id"].tolist()
    assert items[0] == "A/RES/68/262" and "A/RES/ES-11/10" in items and "A/RES/80/111" not in items
    assert items == sorted(items, key=lambda v: fit.data.items.set_index("vote_id").at[v, "date"])
    assert not {"RUS", "UKR"} & set(fit.data.states)
    assert fit.data.items.loc[fit.data.items["second_dimension"], "vote_id"].iloc[0] == "A/RES/ES-11/7"
    rows = fit.data.rows
    # Venezuela has no vote right on the 2026 vote: that cell is left out, not counted absent
    assert rows[(rows["iso3"] == "VEN") & (rows["vote_id"] == "A/RES/ES-11/10")].empty
    # every absence is sorted by same-day presence
    assert set(rows.loc[rows["vote"] == "absent", "absence"]) <= {1, 2, 3}
    assert set(fit.data.terms) >= {"ideal_point_prewar", "flmsa_party_gov", "member_arab_league_at_vote",
                                   "russian_forces", "coup_within_3y"}
    text = h.headline(fit)
    assert f"all {len(items)} complete General Assembly votes" in text and "points [" in text


def _forecast(tmp_path, monkeypatch, made_on="2025-12-01", p=None):
    monkeypatch.setenv("UNVOTES_FORECASTS", str(tmp_path))
    states = ["KEN", "ZAF", "USA", "CHN", "BFA"]
    table = pd.DataFrame({"iso3": states, "name": states})
    probs = np.full((len(states), 4), 0.25) if p is None else p
    table[forecast.PROBABILITY_COLUMNS] = probs
    table[forecast.BASELINE_COLUMNS] = np.eye(4)[[1, 1, 0, 2, 2]] * 0.97 + 0.0075
    meta = {"id": "test-forecast", "theme": "Human rights in occupied Crimea and territories", "template": "A/RES/79/184",
            "expected": "2025-12-15", "description": "a test", "made_on": made_on}
    return table, meta


def test_a_stored_forecast_is_scored_once_its_vote_is_in_the_data(in_data_dir, tmp_path, monkeypatch):
    table, meta = _forecast(tmp_path, monkeypatch)
    forecast.write(table, meta)
    with pytest.raises(forecast.ForecastError, match="is already stored"):
        forecast.write(table, meta)
    scores = forecast.score()
    assert scores.loc[0, "target"] == "A/RES/80/223"
    assert scores.loc[0, "model: log score"] == pytest.approx(np.log(0.25))
    assert scores.loc[0, "model: Brier score"] == pytest.approx(0.75)
    # the baseline's one-hot guesses: right where the state repeated its 2024 vote
    assert scores.loc[0, "baseline: log score"] > scores.loc[0, "model: log score"]
    assert "scored a mean log score of -1.39" in forecast.headline(scores)


def test_a_forecast_waits_for_a_vote_after_it(in_data_dir, tmp_path, monkeypatch):
    table, meta = _forecast(tmp_path, monkeypatch, made_on="2026-12-07")
    forecast.write(table, meta)
    assert forecast.score().loc[0, "target"] == "not yet in the data"
    assert "waits for its vote" in forecast.headline(forecast.score())


def test_bad_probabilities_name_the_file_and_line(tmp_path, monkeypatch):
    table, meta = _forecast(tmp_path, monkeypatch, p=np.tile([0.5, 0.5, 0.5, 0.0], (5, 1)))
    forecast.write(table, meta)
    with pytest.raises(forecast.ForecastError, match=r"test-forecast\.csv, line 2 \(KEN\)"):
        forecast.stored()


def test_the_published_forecasts_are_well_formed():
    stored = forecast.stored()  # the repository's forecasts/ folder
    assert stored, "the forecast of record is stored in forecasts/"
    for f in stored:
        assert {"id", "theme", "template", "made_on", "description"} <= set(f.meta)
        assert len(f.table) > 150 and f.table["iso3"].is_unique


def test_the_compiled_sampler_is_cached_where_asked_and_the_bar_only_where_watched(tmp_path, monkeypatch):
    from unvotes import memo

    monkeypatch.setenv(h.JAX_CACHE_ENV, str(tmp_path / "jax"))
    assert h.compilation_cache_dir() == tmp_path / "jax" and (tmp_path / "jax").is_dir()
    monkeypatch.setenv(h.JAX_CACHE_ENV, "off")
    assert h.compilation_cache_dir() is None
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv(memo.ENV, str(tmp_path / "memo"))  # a report build's or a test session's run
    assert not h._watched()
    monkeypatch.delenv(memo.ENV)
    assert h._watched()
