"""The modelling layer on any vote and with a researcher's own covariates (issue 24, items 1 and 2): votes
outside the Ukraine catalogue (the tenth emergency special session's votes on Gaza), which states are left out,
errors that tell "not a roll call" from "not catalogued", and covariates brought as a table (``extra``) that
enter the model, the specification table and its headline like the package's own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import unvotes
from unvotes import api, models, paths
from unvotes.tables import catalogue
from unvotes.models import model_data
from unvotes.analyses import profile, trends
from unvotes.errors import NotCataloguedError, UnknownVoteError

#: The Gaza votes of the tenth emergency special session with complete roll calls in the data (none catalogued).
GAZA = ["A/RES/ES-10/21", "A/RES/ES-10/22", "A/RES/ES-10/24", "A/RES/ES-10/27"]


def test_models_trends_and_profiles_take_votes_outside_the_catalogue(in_data_dir):
    info = catalogue.vote_info(GAZA)
    assert not info["catalogued"].any() and (info["theme"] == "General Assembly, session ES-10").all()
    assert info.set_index("vote_id").loc["A/RES/ES-10/21", "label"].startswith("Protection of civilians")
    m = models.fit(GAZA)
    assert m.data.votes == GAZA and m.fit_stats()["n_votes"] == 4 and m.estimate.converged
    # On another question Russia and Ukraine are not "the parties": nobody is left out unless named.
    assert {"RUS", "UKR", "ISR"} <= set(m.data.frame["iso3"]) and m.data.excluded == {}
    named = models.fit(GAZA, exclude=["Israel", "USA"], intercepts="theme")
    assert not {"ISR", "USA"} & set(named.data.frame["iso3"]) and "Israel" in " ".join(named.data.notes)
    assert set(named.data.frame["vote_fe"]) == {"General Assembly, session ES-10"}
    # The war's votes keep the documented default: the parties are left out.
    assert not {"RUS", "UKR"} & set(models.fit("ES-11").data.frame["iso3"])
    # A search result is a vote set too (the three texts titled "Protection of civilians ...").
    found = unvotes.find("Protection of civilians and upholding", body="GA", start="2023-01-01")
    assert model_data.resolve_votes(found) == ["A/RES/ES-10/21", "A/RES/ES-10/22", "A/RES/ES-10/27"]
    search = {"find": "Protection of civilians and upholding", "body": "GA", "start": "2023-01-01"}
    assert model_data.resolve_votes(search) == model_data.resolve_votes(found) == trends._ids(search)
    text = trends.headline(GAZA)
    assert text.startswith("On the 4 General Assembly votes with complete roll calls (2023-2025)")
    assert "on the war" not in text
    yes = api.tally("A/RES/ES-10/22")["yes"] / api.tally("A/RES/ES-10/22").sum()
    assert f"to {yes:.0%} (A/RES/ES-10/22)" in text  # the highest share of yes votes, computed
    assert "on the war" in trends.headline(["A/RES/ES-11/1", "A/RES/ES-11/4"])
    one = trends.headline(["A/RES/ES-10/22"])
    assert one.startswith("On A/RES/ES-10/22 (Protection of civilians") and f", 2023), {yes:.0%} of member" in one
    assert "Theme:" not in profile.describe("A/RES/ES-10/24")  # no catalogue row, and no error


def test_errors_tell_not_a_roll_call_from_not_catalogued(in_data_dir):
    with pytest.raises(NotCataloguedError, match="is a roll call in the data but not catalogued"):
        catalogue.entry("A/RES/78/17")
    with pytest.raises(UnknownVoteError, match="not a roll call.*Did you mean: A/RES/ES-11/4") as err:
        catalogue.entry("A/RES/ES-11/44")
    assert not isinstance(err.value, NotCataloguedError)
    with pytest.raises(UnknownVoteError, match=r"No roll call 'A/RES/78/17x'.*Did you mean: A/RES/78/17.*keywords ES-11"):
        models.fit(["A/RES/78/17x"])
    assert model_data.resolve_votes("A/RES/78/17") == ["A/RES/78/17"]  # a roll call, not catalogued: accepted


def _own_freedom_house() -> pd.DataFrame:
    """A covariate of one's own, by name rather than code: the Freedom House total under another name."""
    c = api.load_countries()
    return pd.DataFrame({"iso3": c["name"], "my_fh": c["fh_total"]})


def test_an_own_state_level_covariate_is_merged_standardised_and_labelled_like_the_others(in_data_dir):
    base = ["un_group", "ideal_point_prewar"]
    own = models.fit("ES-11", covariates=base, extra=_own_freedom_house())
    package = models.fit("ES-11", covariates=base + ["fh_total"])
    assert own.data.covariates == base + ["my_fh"]
    assert own.data.scales["my_fh"] == pytest.approx(package.data.scales["fh_total"])
    a, b = own.coefficients().set_index("term"), package.coefficients().set_index("term")
    assert a.loc["my_fh", "coef"] == pytest.approx(b.loc["fh_total", "coef"], rel=1e-6)
    assert a.loc["my_fh", "label"] == "my fh"
    assert models.source_line(own).endswith("the analyst's own covariates (my_fh)")
    # merged before the listwise deletion: a state without a value is left out and named
    gaps = _own_freedom_house().assign(my_gdp=api.load_countries()["gdp_pc_ppp"])
    m = models.fit("ES-11", covariates=base, extra=gaps)
    missing = set(api.load_countries().loc[api.load_countries()["gdp_pc_ppp"].isna(), "iso3"]) - {"RUS", "UKR"}
    dropped = m.data.dropped_missing
    assert not missing & set(m.data.frame["iso3"]) and len(dropped) and set(dropped["iso3"]) <= missing
    assert dropped["missing"].str.contains("my_gdp").all()
    with pytest.raises(model_data.ModelParameterError, match=r"row 0, iso3 'Atlantis'"):
        models.fit("ES-11", extra=pd.DataFrame({"iso3": ["Atlantis"], "x": [1.0]}))
    with pytest.raises(model_data.ModelParameterError, match=r"\['fh_total'\] already name covariates"):
        models.fit("ES-11", extra=pd.DataFrame({"iso3": ["FRA"], "fh_total": [1.0]}))


def test_dated_own_covariates_by_vote_and_by_date(in_data_dir):
    votes = api.load_votes()
    rows = votes[votes["vote_id"].isin(GAZA)][["iso3", "vote_id"]].astype(str).reset_index(drop=True)
    # the state's yes votes on the earlier Gaza texts: a real, dated quantity
    yes = votes[votes["vote_id"].isin(GAZA) & (votes["vote"] == "yes")].astype(str)
    rows["earlier_yes"] = [int(((yes["iso3"] == s) & (yes["vote_id"].map(GAZA.index) < GAZA.index(v))).sum())
                           for s, v in zip(rows["iso3"], rows["vote_id"])]
    m = models.fit(GAZA, extra=rows, standardize=False)
    joined = m.data.frame.merge(rows, on=["iso3", "vote_id"], suffixes=("", "_given"))
    assert np.allclose(joined["earlier_yes"], joined["earlier_yes_given"]) and "earlier_yes" in m.data.terms
    # by date: each vote takes the latest value dated on or before it
    states = sorted(set(rows["iso3"]))
    by_date = pd.DataFrame({"iso3": states * 2, "date": ["2020-01-01"] * len(states) + ["2024-06-01"] * len(states),
                            "after_mid_2024": [0.0] * len(states) + [1.0] * len(states)})
    d = models.fit(GAZA, extra=by_date, standardize=False).data.frame
    assert d.groupby("vote_id")["after_mid_2024"].max().to_dict() == {
        "A/RES/ES-10/21": 0.0, "A/RES/ES-10/22": 0.0, "A/RES/ES-10/24": 1.0, "A/RES/ES-10/27": 1.0}


def test_an_own_covariate_reaches_the_specification_table_and_the_headline(in_data_dir):
    effects = models.specification_effects(GAZA, None, covariates=["un_group", "ideal_point_prewar"],
                                           extra=_own_freedom_house())
    assert effects["error"].isna().all()
    main = effects[effects["specification"] == effects["specification"].iloc[0]]
    assert "my fh" in set(main["label"]) and "Freedom House score (0-100)" not in set(effects["label"])
    assert "without my fh" in set(effects["specification"])
    text = models.headline_findings(effects, "all member states")
    assert "(covariates: UN regional group, Pre-war ideal point (towards the US), my fh)" in text
    r = main.set_index("label").loc["my fh"]
    assert f"my fh (per 1 unit): main {r['ame'] * 100:+.1f} pp" in text
    assert "my fh" in set(models.robustness_table(effects)["covariate"])
    # the default covariates give the default specifications
    assert list(models.specifications_for()) == list(models.SPECIFICATIONS)


@pytest.mark.notebooks
def test_abstention_notebook_runs_on_the_gaza_votes_with_an_own_covariate(in_data_dir, tmp_path):
    import nbformat
    import papermill as pm

    csv = tmp_path / "own.csv"
    c = api.load_countries()
    pd.DataFrame({"iso3": c["iso3"], "press_freedom_proxy": c["fh_total"]}).to_csv(csv, index=False)
    bad = tmp_path / "bad.csv"
    bad.write_text("iso3,x\nFRA,1\nAtlantis,2\n")
    with pytest.raises(model_data.ModelParameterError, match=r"bad.csv: extra, line 3, iso3 'Atlantis'"):
        model_data.read_extra_csv(bad)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(paths.PROJECT_ROOT / "notebooks" / "abstention_drivers.ipynb"), str(out),
                        parameters={"votes": GAZA, "covariates": ["un_group", "ideal_point_prewar"],
                                    "extra_covariates_csv": str(csv), "exclude": ["Israel"], "cv_folds": 2,
                                    "compare_published": False},
                        progress_bar=False, kernel_name="python3")
    text = "\n".join(str(o.get("data", {}).get("text/markdown", "")) + str(o.get("text", ""))
                     for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    assert "(covariates: UN regional group, Pre-war ideal point (towards the US), press freedom proxy)" in text
    assert "left out as asked (exclude): Israel" in text and "A/RES/ES-10/27" in text
    assert "Left out: the rolling origin predicts the catalogued votes on the war" in text


def test_the_default_covariates_named_share_the_default_specification_table(in_data_dir):
    """The abstention notebook names its covariates; with the defaults its table is the one the robustness
    section computes (one result per build, unvotes.memo), not a second fit of the same thirteen models."""
    import os
    from pathlib import Path

    from unvotes import memo

    folder = Path(os.environ[memo.ENV])
    bare = models.specification_effects("ES-11", "African")
    before = set(folder.glob("_specification_effects-*.pkl"))
    named = models.specification_effects("ES-11", "African", covariates=list(model_data.DEFAULT_COVARIATES),
                                         prior_scale=2.5, estimator="penalised")
    assert before and set(folder.glob("_specification_effects-*.pkl")) == before
    pd.testing.assert_frame_equal(bare, named)
