"""Shifts between votes on a hand-made data folder with known answers: transition tables, switchers,
stability, agreement with a reference state, partial roll calls ("unknown", never guessed), the Council
beside the Assembly; and the United States' 2025 reversal on the real data."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from unvotes import paths
from unvotes.analyses import shifts
from unvotes.errors import UnknownCountryError, UnknownVoteError, UnvotesError

matplotlib.use("Agg")

A, W, PART, C, D, B = ("A/RES/ES-11/4", "A/RES/77/284", "A/RES/77/284 [preambular paragraph 9]", "A/RES/ES-11/7",
                       "S/RES/2774", "A/RES/80/223")
# vote_id -> (body, date, kind, part_of, complete, published yes-no-abstain, listed votes)
TINY = {
    A: ("GA", "2022-10-12", "resolution", "", True, (2, 1, 1),
        {"USA": "yes", "FRA": "yes", "IND": "abstain", "RUS": "no", "ZAF": "absent"}),
    PART: ("GA", "2023-04-26", "paragraph", W, False, (81, 10, 48), {"CHN": "abstain", "KAZ": "abstain"}),
    W: ("GA", "2023-04-26", "resolution", "", True, (5, 1, 0),
        {"USA": "yes", "FRA": "yes", "IND": "yes", "RUS": "no", "ZAF": "absent", "CHN": "yes", "KAZ": "yes"}),
    C: ("GA", "2025-02-24", "resolution", "", False, (93, 18, 65), {"USA": "no", "RUS": "no"}),
    D: ("SC", "2025-02-24", "resolution", "", True, (2, 0, 1), {"USA": "yes", "RUS": "yes", "FRA": "abstain"}),
    B: ("GA", "2025-12-18", "resolution", "", True, (2, 2, 0),
        {"USA": "yes", "FRA": "abstain", "IND": "yes", "RUS": "no", "ZAF": "no", "CHN": "no", "KAZ": "abstain"}),
}
GROUPS = {"USA": "Western European and Others", "FRA": "Western European and Others", "IND": "Asia-Pacific",
          "CHN": "Asia-Pacific", "KAZ": "Asia-Pacific", "RUS": "Eastern European", "ZAF": "African"}


def write_tiny(folder):
    """The TINY roll calls as processed tables in ``folder``/processed (the package's own file layout)."""
    out = folder / "processed"
    out.mkdir(parents=True, exist_ok=True)
    rc = pd.DataFrame([{"vote_id": v, "body": b, "date": pd.Timestamp(d), "session": "", "title": f"Title of {v}",
                        "draft": "", "kind": k, "part_of": p, "yes": t[0], "no": t[1], "abstain": t[2], "absent": None,
                        "complete": c, "source": "curated" if not c else "dgacm-ga", "source_ref": f"tiny:{i}"}
                       for i, (v, (b, d, k, p, c, t, _)) in enumerate(TINY.items())])
    for col in ("yes", "no", "abstain", "absent"):
        rc[col] = rc[col].astype("Int64")
    votes = pd.DataFrame([(v, s, x) for v, spec in TINY.items() for s, x in spec[6].items()],
                         columns=["vote_id", "iso3", "vote"]).astype("category")
    countries = pd.DataFrame({"iso3": list(GROUPS), "name": [f"Name {s}" for s in GROUPS],
                              "un_group": list(GROUPS.values())})
    rc.to_parquet(out / "roll_calls.parquet")
    votes.to_parquet(out / "votes.parquet")
    countries.to_parquet(out / "countries.parquet")
    return folder


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_ENV, str(write_tiny(tmp_path)))
    return tmp_path


def test_transition_table_hand_made(tiny):
    t = shifts.transition_table(A, B)
    # USA yes->yes, FRA yes->abstain, IND abstain->yes, RUS no->no, ZAF absent->no
    assert t.loc["yes", "yes"] == 1 and t.loc["yes", "abstain"] == 1 and t.loc["abstain", "yes"] == 1
    assert t.loc["no", "no"] == 1 and t.loc["absent", "no"] == 1
    assert t.loc["total", "total"] == 5 and t.loc["yes", "total"] == 2 and t.loc["total", "no"] == 2
    assert list(t.index) == shifts.VOTE_ORDER + ["total"]


def test_transition_table_leaves_out_unknown_votes_of_a_partial_roll_call(tiny):
    t = shifts.transition_table(W, C)  # C lists only USA and RUS
    assert t.loc["total", "total"] == 2 and t.loc["yes", "no"] == 1 and t.loc["no", "no"] == 1
    t = shifts.transition_table(W, C, shifts.known_matrix([W, C]))  # "unknown" cells are not counted either
    assert t.loc["total", "total"] == 2


def test_switchers_and_directions(tiny):
    sw = shifts.switchers(A, B).set_index("iso3")
    assert set(sw.index) == {"FRA", "IND", "ZAF"}
    assert sw.loc["FRA", "direction"] == "away from yes" and sw.loc["IND", "direction"] == "towards yes"
    assert sw.loc["ZAF", "direction"] == "away from yes" and sw.loc["FRA", "name"] == "Name FRA"


def test_switch_summary_by_group(tiny):
    s = shifts.switch_summary(A, B)
    assert s.loc["All", "states"] == 5 and s.loc["All", "same vote"] == 2
    assert s.loc["All", "towards yes"] == 1 and s.loc["All", "away from yes"] == 2
    assert s.loc["Western European and Others", "away from yes"] == 1 and s.loc["African", "away from yes"] == 1
    with pytest.raises(UnvotesError, match="unknown grouping 'region'"):
        shifts.switch_summary(A, B, by="region")


def test_stability_of_successive_votes(tiny):
    s = shifts.stability([A, W, B]).set_index("first")
    # A -> W: IND abstain->yes, ZAF absent->absent: 5 in both, 4 same
    assert s.loc[A, "states"] == 5 and s.loc[A, "same vote"] == 4 and s.loc[A, "towards yes"] == 1
    # W -> B: FRA yes->abstain, ZAF absent->no, CHN yes->no, KAZ yes->abstain: 7 states, 3 same
    assert s.loc[W, "states"] == 7 and s.loc[W, "same vote"] == 3 and s.loc[W, "away from yes"] == 4
    assert s.loc[W, "share unchanged"] == pytest.approx(3 / 7) and not s["partial"].any()
    assert shifts.stability([W, C])["partial"].tolist() == [True]


def test_known_matrix_marks_unlisted_members_unknown(tiny):
    m = shifts.known_matrix([A, C, D])
    assert m.loc["FRA", C] == shifts.UNKNOWN and m.loc["USA", C] == "no"
    assert len(m[m[C] == shifts.UNKNOWN]) == 193 - 2  # every other UN member on 24 Feb 2025
    assert pd.isna(m.loc["IND", D])  # not on the Council: empty, not unknown
    assert pd.isna(m.loc["KAZ", A])  # not listed on a complete roll call: empty
    assert pd.isna(shifts.vote_table([C]).reindex(["FRA"]).loc["FRA", C])


def test_data_notes_name_partial_and_missing_roll_calls(tiny):
    notes = shifts.data_notes([A, C, "A/RES/ES-11/9"])
    assert len(notes) == 2
    assert notes[0].startswith("**A/RES/ES-11/7** is a *partial* roll call") and "published 93-18-65" in notes[0]
    assert "0 yes, 2 no and 0 abstain" in notes[0] and "other 191 member states are unknown" in notes[0]
    assert "A/RES/ES-11/9** is not in the processed data" in notes[1]


def test_agreement_with_reference(tiny):
    a = shifts.agreement_with("USA", [A, W, C, B]).set_index("vote_id")
    assert C not in a.index  # partial: left out by default
    # A: FRA yes, IND abstain, RUS no (ZAF absent left out) -> 1 of 3
    assert a.loc[A, "states"] == 3 and a.loc[A, "same"] == 1 and a.loc[A, "share_same"] == pytest.approx(1 / 3)
    # W: FRA, IND, CHN, KAZ yes; RUS no -> 4 of 5
    assert a.loc[W, "share_same"] == pytest.approx(4 / 5)
    assert a.loc[B, "same"] == 1 and a.loc[B, "states"] == 6
    with_partial = shifts.agreement_with("USA", [C], include_partial=True)
    assert with_partial["same"].tolist() == [1] and with_partial["partial"].tolist() == [True]


def test_agreement_by_year_pools_the_year(tiny):
    y = shifts.agreement_by_year("USA", [A, W, B]).set_index("year")
    assert y.loc[2022, "pairs"] == 3 and y.loc[2023, "same"] == 4
    assert y.loc[2025, "share_same"] == pytest.approx(1 / 6)
    assert y.loc[2025, "lowest"] == y.loc[2025, "highest"] == pytest.approx(1 / 6)


def test_agreement_change_before_after(tiny):
    ch = shifts.agreement_change("USA", [A, W], [B]).set_index("iso3")
    assert "USA" not in ch.index
    assert ch.loc["FRA", "share_before"] == 1.0 and ch.loc["FRA", "share_after"] == 0.0
    assert ch.loc["IND", "same_before"] == 1 and ch.loc["IND", "votes_before"] == 2 and ch.loc["IND", "change"] == 0.5
    assert pd.isna(ch.loc["ZAF", "share_before"])  # absent on both earlier votes
    # IND cast one vote after: with min_votes=2 its change is not ranked, its shares still shown
    few = shifts.agreement_change("USA", [A, W], [B], min_votes=2).set_index("iso3")
    assert pd.isna(few.loc["IND", "change"]) and few.loc["IND", "share_after"] == 1.0


def test_voted_with_and_before_after(tiny):
    assert shifts.voted_with("USA", B)["iso3"].tolist() == ["IND"]
    t = shifts.with_reference_before_after("USA", A, B)
    assert t.loc["with", "with"] == 0 and t.loc["with", "not with"] == 1 and t.loc["not with", "with"] == 1
    assert t.loc["total", "total"] == 4
    with pytest.raises(UnvotesError, match="USA cast no vote on A/RES/77/284 \\[preambular paragraph 9\\]"):
        shifts.voted_with("USA", PART)


def test_state_record(tiny):
    r = shifts.state_record("fra", [A, C, D, B]).set_index("vote_id")
    assert r["vote"].tolist() == ["yes", shifts.UNKNOWN, "abstain", "abstain"]
    assert r.loc[C, "partial"] and r.loc[A, "label"].startswith("Territorial integrity")
    assert shifts.state_record("KAZ", [A])["vote"].tolist() == ["not a member"]
    with pytest.raises(UnknownCountryError, match="'XYZ' is neither an ISO3 code"):
        shifts.state_record("XYZ", [A])
    assert shifts.state_record("Name Ind", [A]).equals(shifts.state_record("IND", [A]))  # names work too
    with pytest.raises(UnknownCountryError, match=r"did you mean IND \(Name IND\)"):
        shifts.state_record("Nme Ind", [A])


def test_council_beside_assembly(tiny):
    t = shifts.council_beside_assembly(D, [A, C])
    assert t.index.tolist() == ["RUS", "USA", "FRA"]  # yes first, then abstain; by name within
    assert t.loc["FRA", C] == shifts.UNKNOWN and t.loc["USA", C] == "no" and t.loc["FRA", A] == "yes"
    with pytest.raises(UnvotesError, match="not a Security Council one.*S/RES/2774"):
        shifts.council_beside_assembly(A, [B])
    with pytest.raises(UnknownVoteError):
        shifts.council_beside_assembly("S/RES/2775", [A])


def test_plots_draw_every_pair_and_mark_partial_votes(tiny):
    fig = shifts.plot_transitions([A, W, C])
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert len(titles) == 2 and "partial roll call" in titles[1] and "partial" not in titles[0]
    ax = shifts.plot_vote_grid(shifts.known_matrix([A, C]).loc[["USA", "FRA"]], title="t")
    assert [t.get_text() for t in ax.texts] == ["?"]  # FRA's unknown vote on C
    with pytest.raises(UnvotesError, match="at least two votes"):
        shifts.plot_transitions([A])


def test_us_reversal_on_the_real_data(in_data_dir):
    assert shifts.state_record("USA", ["A/RES/77/284", "A/RES/79/284"])["vote"].tolist() == ["yes", "no"]
    a = shifts.agreement_with("USA", ["A/RES/77/284", "A/RES/79/284"]).set_index("vote_id")
    # 121 of the 144 other states casting a vote voted yes with it in 2023; 8 of 146 voted no with it in 2025
    assert a.loc["A/RES/77/284", "same"] == 121 and a.loc["A/RES/79/284", "same"] == 8
    with_us = set(shifts.voted_with("USA", "A/RES/79/284")["iso3"])
    assert {"RUS", "BLR", "PRK", "NIC"} <= with_us and len(with_us) == 8


def test_cue_did_recovers_a_known_slope(monkeypatch):
    """On constructed rows, the difference-in-differences returns the linear probability slopes: moving off yes
    rises by 0.5 per unit of intensity on the reversal pairs and not at all on the placebo."""
    import numpy as np

    x = np.linspace(-0.5, 0.5, 40)
    rows = [{"iso3": f"S{i:02d}", "name": f"S{i:02d}", "un_group": "g", "pair": pair, "placebo": placebo,
             "intensity": v, "moved": int(placebo is False and v > 0), "to_no": 0}
            for pair, placebo in (("a → b", False), ("c → d", False), ("a → e", True)) for i, v in enumerate(x)]
    monkeypatch.setattr(shifts, "cue_did_frame", lambda *a, **k: pd.DataFrame(rows))
    did = shifts.cue_did().set_index(["outcome", "slope on"])
    ols_slope = np.polyfit(x, (x > 0).astype(float), 1)[0] * 0.1 * 100  # pp per 0.1 of intensity
    assert did.loc[("moved off yes", "the reversal pairs"), "pp"] == pytest.approx(ols_slope)
    assert did.loc[("moved off yes", "the placebo pair"), "pp"] == pytest.approx(0, abs=1e-9)
    assert did.loc[("moved off yes", "reversal minus placebo"), "pp"] == pytest.approx(ols_slope)
    assert did.loc[("moved off yes", "the reversal pairs"), "states"] == 40
    assert "more likely to follow its reversal" in shifts.cue_did_sentence(did.reset_index())


def test_us_cue_leaves_out_the_parties_and_russias_camp(in_data_dir):
    """The referee's check r3: Russia is not a state following the United States, Ukraine not a follower, and a
    state that voted no with Russia throughout is not among the 'others'."""
    before = [f"A/RES/ES-11/{i}" for i in range(1, 7)]
    t = shifts.cue_test("USA", before, ["A/RES/ES-11/7", "A/RES/79/284", "A/RES/ES-11/9"]).set_index("vote")
    row = t.loc["A/RES/ES-11/7"]
    assert row["reference vote"] == "no" and row["RUS's camp: n"] >= 1  # Belarus, the DPRK, ... set aside
    assert (row["followers: n"], row["followers: with USA"]) == (86, 3)  # Ukraine is not a follower
    assert row["others: n"] + row["followers: n"] + row["RUS's camp: n"] <= 193 - 3
    assert "no clear difference" in shifts.cue_headline("USA", t.reset_index())  # p >= 0.05 once like with like
    frame = shifts.cue_did_frame()
    assert not frame["iso3"].isin(["USA", "RUS", "UKR"]).any() and frame["placebo"].any()
    did = shifts.cue_did()
    assert set(did["slope on"]) == {"the reversal pairs", "the placebo pair", "reversal minus placebo"}
    with pytest.raises(UnvotesError, match="needs a change"):
        shifts.cue_did_frame(pairs=(("A/RES/ES-11/6", "A/RES/ES-11/9"),))
