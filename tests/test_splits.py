"""Part/whole pairing of split votes on the hand-made data folder of test_shifts (a partial separate vote on a
paragraph of A/RES/77/284 and the complete vote on the whole), and on the real data."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from test_shifts import A, B, C, PART, W, write_tiny
from unvotes import paths
from unvotes.analyses import shifts, splits
from unvotes.errors import UnknownCountryError, UnknownVoteError, UnvotesError

matplotlib.use("Agg")


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_ENV, str(write_tiny(tmp_path)))
    return tmp_path


def test_pairs_and_parts_of(tiny):
    p = splits.pairs()
    assert p[["part", "whole", "kind"]].values.tolist() == [[PART, W, "paragraph"]]
    assert p["part_complete"].tolist() == [False] and p["whole_complete"].tolist() == [True]
    assert splits.parts_of(W) == [PART] and splits.parts_of(A) == []


def test_pairs_ignore_parts_whose_whole_is_not_a_roll_call():
    rc = pd.DataFrame({"vote_id": ["X [amendment]", "Y [paragraph]", "Y"], "part_of": ["X", "Y", ""],
                       "kind": ["amendment", "paragraph", "resolution"], "date": pd.to_datetime(["2020-01-01"] * 3),
                       "complete": [True, False, True]})
    assert splits.pairs(rc)["part"].tolist() == ["Y [paragraph]"]


def test_check_pair_errors_name_the_valid_parts(tiny):
    splits.check_pair(W, PART)
    with pytest.raises(UnknownVoteError, match=r"'A/RES/ES-11/4' is not a separate vote on part of 'A/RES/77/284'"):
        splits.check_pair(W, A)
    with pytest.raises(UnknownVoteError, match="Separate votes on A/RES/ES-11/4: none in the data"):
        splits.check_pair(A, PART)
    with pytest.raises(UnknownVoteError, match="No roll call 'A/RES/77/284 \\[paragraph 9\\]'"):
        splits.check_pair(W, "A/RES/77/284 [paragraph 9]")


def test_pair_votes_known_and_unknown(tiny):
    pv = splits.pair_votes(W, PART).set_index("iso3")
    assert pv.loc["CHN", "part"] == "abstain" and pv.loc["CHN", "whole"] == "yes"
    assert pv.loc["CHN", "pattern"] == "abstain on the part, yes on the whole"
    assert pv.loc["KAZ", "pattern"] == "abstain on the part, yes on the whole"
    # the partial separate vote does not list the United States: its pair is not known
    assert pv.loc["USA", "part"] == shifts.UNKNOWN and pv.loc["USA", "pattern"] == "not known"
    # every UN member of 26 April 2023 has a row; those the whole's roll call does not list are "not a member" there
    assert len(pv) == 193 and pv.loc["DEU", "whole"] == "not a member" and pv.loc["DEU", "part"] == shifts.UNKNOWN


def test_pattern_counts(tiny):
    t = splits.pattern_counts(W, PART)
    assert t.loc["abstain", "yes"] == 2 and t.loc["abstain", "total"] == 2
    assert t.loc[shifts.UNKNOWN, "no"] == 1 and t.loc["total", "total"] == 193
    assert "abstain" not in t.columns  # columns with no state are dropped


def test_related_votes_in_date_order_with_the_part_before_the_whole(tiny):
    assert splits.related_votes(W) == [A, PART, W, C, B]
    assert splits.related_votes(W, themes=["Council of Europe cooperation"]) == [PART, W]
    with pytest.raises(UnvotesError, match="unknown theme"):
        splits.related_votes(W, themes=["Crimea"])


def test_timeline_long_table(tiny):
    t = splits.timeline(["CHN", "usa"], [A, PART, W, C])
    chn = t[t["iso3"] == "CHN"].set_index("vote_id")
    assert chn["vote"].tolist() == ["not a member", "abstain", "yes", shifts.UNKNOWN]
    assert chn.loc[PART, "theme"] == "Council of Europe cooperation" and chn.loc[PART, "partial"]
    assert t[t["iso3"] == "USA"]["vote"].tolist() == ["yes", shifts.UNKNOWN, "yes", "no"]
    with pytest.raises(UnknownCountryError):
        splits.timeline(["Atlantis"], [A])


def test_plot_timeline_stars_partial_roll_calls(tiny):
    ax = splits.plot_timeline(["CHN", "USA"], [A, PART, W, C])
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "ES-11/4 (Oct 2022)" and labels[1] == "77/284 [PP 9]* (Apr 2023)"
    assert labels[3].startswith("ES-11/7*")
    assert len([t for t in ax.texts if t.get_text() == "?"]) == 2  # USA on the part, CHN on ES-11/7


def test_check_states():
    with pytest.raises(UnvotesError, match="at least one focus state"):
        splits.check_states([])


def test_real_split_vote_of_a77_l65(in_data_dir):
    parts = splits.parts_of("A/RES/77/284")
    assert parts == ["A/RES/77/284 [preambular paragraph 9]"]  # curated: data/external/separate_roll_calls.csv
    pv = splits.pair_votes("A/RES/77/284", parts[0]).set_index("iso3")
    for state in ("CHN", "ARM", "KAZ"):
        assert pv.loc[state, "pattern"] == "abstain on the part, yes on the whole"
    assert pv.loc["RUS", "whole"] == "no" and pv.loc["RUS", "part"] == "no"   # single press source
    assert pv.loc["NGA", "whole"] == "yes" and pv.loc["NGA", "part"] == shifts.UNKNOWN  # not in any list
