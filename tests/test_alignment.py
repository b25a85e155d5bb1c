"""Alignment measures: agreement and ideal points on hand-made votes with known answers, clear errors on bad
parameters, and the validation against Voeten's published scores on the real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from unvotes.analyses import alignment
from unvotes import api
from unvotes.errors import UnknownCountryError, UnvotesError

# 4 states x 5 roll calls; "-" = absent.
HAND = {
    "USA": ["yes", "no", "yes", "abstain", "yes"],
    "RUS": ["no", "no", "abstain", "yes", "-"],
    "CHN": ["no", "yes", "abstain", "yes", "yes"],
    "FRA": ["yes", "no", "-", "abstain", "no"],
}


def _tables(matrix: dict[str, list[str]], session="75", start="2020-01-01"):
    n = len(next(iter(matrix.values())))
    ids = [f"R{j + 1}" for j in range(n)]
    rc = pd.DataFrame({"vote_id": ids, "body": "GA", "date": pd.date_range(start, periods=n, freq="D"),
                       "session": session, "kind": "resolution", "complete": True})
    votes = pd.DataFrame([(ids[j], s, "absent" if v == "-" else v)
                          for s, row in matrix.items() for j, v in enumerate(row)], columns=["vote_id", "iso3", "vote"])
    return votes.astype("category"), rc


def test_partial_roll_calls_never_enter_a_window():
    votes, rc = _tables(HAND)
    rc.loc[rc["vote_id"] == "R1", "complete"] = False
    window = alignment.window_roll_calls(rc, start=None, end=None)
    assert window["vote_id"].tolist() == ["R2", "R3", "R4", "R5"]


def test_agreement_by_hand_exact_and_half():
    votes, rc = _tables(HAND)
    a = alignment.agreement(votes, rc, with_=("RUS", "USA"), start=None, end=None).set_index("iso3")
    assert list(a.columns) == ["agree_rus", "agree_usa", "n_votes_rus", "n_votes_usa"]
    # USA-RUS: R1 yes/no, R2 no/no, R3 yes/abstain, R4 abstain/yes; R5 RUS absent -> 1 of 4 identical
    assert a.loc["USA", "agree_rus"] == pytest.approx(1 / 4) and a.loc["USA", "n_votes_rus"] == 4
    # CHN-RUS: no/no, yes/no, abstain/abstain (agreement), yes/yes -> 3 of 4
    assert a.loc["CHN", "agree_rus"] == pytest.approx(3 / 4)
    # FRA-RUS: R3 FRA absent -> R1 0, R2 1, R4 abstain/yes 0 -> 1 of 3
    assert a.loc["FRA", "agree_rus"] == pytest.approx(1 / 3) and a.loc["FRA", "n_votes_rus"] == 3
    assert a.loc["RUS", "agree_rus"] == 1.0 and a.loc["RUS", "n_votes_rus"] == 4
    assert a.loc["CHN", "agree_usa"] == pytest.approx(1 / 5) and a.loc["CHN", "n_votes_usa"] == 5
    assert a.loc["FRA", "agree_usa"] == pytest.approx(3 / 4) and a.loc["FRA", "n_votes_usa"] == 4

    h = alignment.agreement(votes, rc, with_=("RUS", "USA"), start=None, end=None, scoring="half").set_index("iso3")
    assert h.loc["USA", "agree_rus"] == pytest.approx((0 + 1 + 0.5 + 0.5) / 4)
    assert h.loc["FRA", "agree_rus"] == pytest.approx((0 + 1 + 0.5) / 3)
    assert h.loc["CHN", "agree_usa"] == pytest.approx((0 + 0 + 0.5 + 0.5 + 1) / 5)
    assert h.loc["CHN", "agree_rus"] == pytest.approx(3 / 4)


def test_agreement_window_and_sessions():
    votes, rc = _tables(HAND)
    # only R1-R2 (2020-01-01, 2020-01-02)
    a = alignment.agreement(votes, rc, with_="USA", start="2020-01-01", end="2020-01-02").set_index("iso3")
    assert a.loc["FRA", "agree_usa"] == 1.0 and a.loc["FRA", "n_votes_usa"] == 2
    assert a.loc["CHN", "agree_usa"] == 0.0
    b = alignment.agreement(votes, rc, with_="usa", start=None, end=None, sessions=75).set_index("iso3")
    assert b.loc["CHN", "n_votes_usa"] == 5


def _one_dimensional():
    """8 states on a line (positions 1..8, USA at 8, RUS at 1); roll call k separates the states below cut
    k + 0.5 from those above, alternating polarity; states within 0.3 of the cut abstain. Two absences,
    and one unanimous roll call that must be dropped."""
    states = ["RUS", "CHN", "IRN", "IND", "BRA", "DEU", "GBR", "USA"]
    pos = np.arange(1, 9, dtype=float)
    cols = []
    for k, cut in enumerate([1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 2.2, 4.8, 6.8, 3.2, 5.2]):
        above, below = ("yes", "no") if k % 2 == 0 else ("no", "yes")
        cols.append(["abstain" if abs(p - cut) < 0.3 else above if p > cut else below for p in pos])
    cols.append(["yes"] * 8)  # unanimous: no information
    matrix = {s: [c[i] for c in cols] for i, s in enumerate(states)}
    matrix["DEU"][3] = "-"
    matrix["IRN"][7] = "-"
    return states, matrix


@pytest.mark.parametrize("method", ["irt", "pca"])
def test_ideal_points_order_a_one_dimensional_example(method):
    states, matrix = _one_dimensional()
    votes, rc = _tables(matrix)
    ip = alignment.ideal_points(votes, rc, start=None, end=None, method=method, min_votes=5).set_index("iso3")
    assert list(ip.sort_values("ideal_point").index) == states  # the constructed order, US highest
    assert ip.loc["USA", "ideal_point"] > 0
    assert ip.loc["DEU", "n_votes"] == 11 and ip.loc["USA", "n_votes"] == 12  # unanimous roll call dropped
    assert ip["ideal_point"].mean() == pytest.approx(0, abs=1e-9)
    flipped = alignment.ideal_points(votes, rc, start=None, end=None, method=method, min_votes=5, orient="RUS")
    assert flipped.set_index("iso3").loc["RUS", "ideal_point"] > 0


def test_ideal_points_too_few_votes_left_missing():
    states, matrix = _one_dimensional()
    matrix["IND"] = ["-"] * 9 + matrix["IND"][9:]  # 3 votes cast on informative roll calls (+1 unanimous)
    votes, rc = _tables(matrix)
    ip = alignment.ideal_points(votes, rc, start=None, end=None, min_votes=5).set_index("iso3")
    assert np.isnan(ip.loc["IND", "ideal_point"]) and ip.loc["IND", "n_votes"] == 3
    assert ip["ideal_point"].notna().sum() == 7


def test_errors_are_clear():
    votes, rc = _tables(HAND)
    with pytest.raises(UnknownCountryError, match=r"'RUSS'.*RUS \(Russian Federation\)"):
        alignment.agreement(votes, rc, with_=("RUSS",), start=None, end=None)
    with pytest.raises(UnvotesError, match="no complete roll call in the window.*2020-01-01 to 2020-01-05"):
        alignment.agreement(votes, rc, start="1990-01-01", end="1990-12-31")
    with pytest.raises(UnvotesError, match="start='2021-01-01' is after end='2020-01-01'"):
        alignment.ideal_points(votes, rc, start="2021-01-01", end="2020-01-01")
    with pytest.raises(UnvotesError, match=r"kinds \['resolutions'\].*\['resolution'\]"):
        alignment.agreement(votes, rc, start=None, end=None, kinds="resolutions")
    with pytest.raises(UnvotesError, match=r"sessions \['76'\] not in roll_calls"):
        alignment.agreement(votes, rc, sessions=[76])
    with pytest.raises(UnvotesError, match=r"scoring='halves'; choose one of \['exact', 'half'\]"):
        alignment.agreement(votes, rc, start=None, end=None, scoring="halves")
    with pytest.raises(UnvotesError, match=r"method='wnominate'; choose one of \['irt', 'pca'\]"):
        alignment.ideal_points(votes, rc, start=None, end=None, method="wnominate")
    with pytest.raises(UnvotesError, match="only 5 roll call.*widen the window or lower min_votes"):
        alignment.ideal_points(votes, rc, start=None, end=None)  # 4 states with < 10 votes each
    with pytest.raises(UnvotesError, match="RUS cast no vote"):
        alignment.agreement(votes, rc, with_="RUS", start="2020-01-05", end="2020-01-05")


# ---- real data -------------------------------------------------------------------------------------------


def test_voeten_reader_maps_codes(in_data_dir):
    v = alignment.voeten_scores()
    assert not v.duplicated(["session", "iso3"]).any()
    assert set(v.loc[v["session"] == 75, "iso3"]) >= {"SRB", "USA", "RUS", "CHN"}
    assert "YUG" not in set(v.loc[v["session"] >= 55, "iso3"]) and "YUG" in set(v.loc[v["session"] == 40, "iso3"])
    assert {"YEM", "YMD"} <= set(v.loc[v["session"] == 30, "iso3"])
    usa = v[(v["session"] == 75) & (v["iso3"] == "USA")].iloc[0]
    assert usa["agree_usa"] == 1.0 and usa["ideal_point"] == pytest.approx(2.707292)


def test_validation_against_voeten(in_data_dir):
    r = alignment.validate_sessions_against_voeten((74, 75)).set_index(["session", "measure"])
    print(r.round(4).to_string())
    # Sessions 74: both datasets hold the same 91 roll calls: the published agreement columns are reproduced.
    for m in ("agree_usa", "agree_rus", "agree_chn"):
        assert r.loc[(74, m), "pearson"] > 0.99999 and r.loc[(74, m), "mad"] < 1e-6
        assert r.loc[(75, m), "pearson"] > 0.98  # Voeten's session 75 lacks ~4 of our 100 roll calls
    for s in (74, 75):
        assert r.loc[(s, "ideal_point"), "pearson"] > 0.97
        assert r.loc[(s, "ideal_point"), "spearman"] > 0.94
        assert r.loc[(s, "ideal_point"), "n"] >= 190


def test_voeten_sessions_are_numbered_like_ours(in_data_dir):
    """Our session 75 (Nov 2020 - Jun 2021) matches Voeten's 75, not his 74 or 76."""
    theirs = alignment.voeten_scores([74, 75, 76]).set_index(["session", "iso3"])["agree_rus"]
    ours = alignment.agreement(start=None, end=None, sessions=[75]).set_index("iso3")["agree_rus"]
    r = {s: ours.corr(theirs.loc[s]) for s in (74, 75, 76)}
    assert r[75] > 0.99 and max(r[74], r[76]) < 0.9


def test_table_prewar(in_data_dir):
    t = alignment.table()
    assert list(t.columns) == ["iso3", *alignment.COLUMNS]
    assert t["iso3"].is_unique and len(t) == 193
    t = t.set_index("iso3")
    assert t.loc["RUS", "agree_rus_prewar"] == 1.0 and t.loc["USA", "agree_usa_prewar"] == 1.0
    # Belarus votes with Russia far more often than with the United States. Poland agrees with the United
    # States four times as often as Belarus does, yet not more often than with Russia (0.48 vs 0.53): the
    # United States votes alone on many development and human-rights resolutions that the EU supports.
    assert t.loc["BLR", "agree_rus_prewar"] > 0.7 > 0.2 > t.loc["BLR", "agree_usa_prewar"]
    assert t.loc["POL", "agree_usa_prewar"] > 3 * t.loc["BLR", "agree_usa_prewar"]
    assert 240 < t["n_prewar_votes"].max() <= 262  # 262 resolution roll calls, Sep 2019 - Feb 2022, Ukraine votes out
    ip = t["ideal_point_prewar"]
    # Russia sits near the middle of the GA's main dimension (as in Voeten's scores: +0.05 in session 75).
    assert ip["USA"] > 0 and ip.rank(ascending=False)["USA"] <= 2 and ip["SYR"] < ip["RUS"] < ip["POL"] < ip["USA"]


def test_prewar_columns_leave_out_the_ukraine_votes_by_construction(in_data_dir):
    """The six catalogued Crimea texts of sessions 74-76 are in the window, and out of the pre-war columns."""
    from unvotes import api

    rc = api.load_roll_calls()
    ukraine = alignment.ukraine_vote_ids()
    window = set(alignment.window_roll_calls(rc, window="prewar")["vote_id"])
    inside = sorted(window & set(ukraine))
    assert inside == ["A/RES/74/168", "A/RES/74/17", "A/RES/75/192", "A/RES/75/29", "A/RES/76/179", "A/RES/76/70"]
    kept = set(alignment.window_roll_calls(rc, window="prewar", exclude=ukraine)["vote_id"])
    # 262 texts less A/RES/75/254 A-C, a recorded vote whose names the DGACM extract lacks (partial, so out)
    assert kept == window - set(inside) and len(kept) == 261
    assert not set(alignment.vote_matrix(window="prewar", exclude=ukraine).columns) & set(ukraine)
    t = alignment.table().set_index("iso3")
    ip = alignment.ideal_points(window="prewar", exclude=ukraine).set_index("iso3")["ideal_point"]
    assert np.allclose(t["ideal_point_prewar"].dropna(), ip.reindex(t["ideal_point_prewar"].dropna().index))
    with_them = alignment.ideal_points(window="prewar").set_index("iso3")["ideal_point"]
    common = ip.dropna().index.intersection(with_them.dropna().index)
    assert not np.allclose(ip[common], with_them[common])  # the Crimea texts did move the scale
    # the processed countries table holds the same values: the build uses this definition
    countries = api.load_countries().set_index("iso3")
    assert (countries["n_prewar_votes"].dropna() <= 262).all()


def test_windows_are_named_and_states_and_votes_can_be_given_by_name_and_id(in_data_dir):
    """No silent pre-war default: a call names its window (issue 24); vote_ids= and state names work."""
    with pytest.raises(UnvotesError, match="no window named: give window='prewar'"):
        alignment.agreement()
    with pytest.raises(UnvotesError, match="window='postwar'; choose one of \\['prewar'\\]"):
        alignment.agreement(window="postwar")
    prewar = alignment.agreement(window="prewar").set_index("iso3")
    dated = alignment.agreement(start=alignment.PREWAR_START, end=alignment.PREWAR_END).set_index("iso3")
    pd.testing.assert_frame_equal(prewar, dated)
    gaza = ["A/RES/ES-10/21", "A/RES/ES-10/22", "A/RES/ES-10/24", "A/RES/ES-10/27"]
    by_name = alignment.agreement(vote_ids=gaza, with_=("Israel", "United States")).set_index("iso3")
    assert (by_name["n_votes_isr"] <= 4).all() and by_name.loc["USA", "agree_isr"] == 1.0
    v = api.load_votes()
    usa, chn = (v[(v["iso3"] == s) & v["vote_id"].isin(gaza)].set_index("vote_id")["vote"].astype(str) for s in ("USA", "CHN"))
    both = (usa != "absent") & (chn.reindex(usa.index) != "absent")
    assert by_name.loc["CHN", "agree_usa"] == pytest.approx((usa == chn.reindex(usa.index))[both].mean())
    with pytest.raises(UnvotesError, match="No roll call 'A/RES/ES-10/99'"):
        alignment.agreement(vote_ids=["A/RES/ES-10/99"])
    with pytest.warns(DeprecationWarning, match="renamed unvotes.analyses.alignment.window_roll_calls"):
        alignment.select_roll_calls(api.load_roll_calls(), start=None, end=None)
