"""The R unvotes reader, on small .rda files written from hand-made frames in the package's layout."""

import pandas as pd
import pyreadr
import pytest

from unvotes.errors import RawFormatError
from unvotes.sources.readers.unvotes_r import read_unvotes

ROLL_CALLS = pd.DataFrame({
    "rcid": [5309, 5310, 5311, 5312, 5313, 100],
    "session": [68.0, 68.0, 68.0, 61.0, 61.0, 1.0],
    "importantvote": ["1", "0", "0", "0", "0", "0"],
    "date": ["2014-03-27", "2014-03-27", "2014-03-27", "2006-12-06", "2006-12-06", "1946-01-01"],
    "unres": ["R/68/262", "R/68/262", "R/68/262", "R/61/77", "R/61/77", ""],
    "amend": ["0", "1", "0", "0", "0", "0"],
    "para": ["0", "0", "1", "0", "0", "0"],
    "short": ["ARMED CONFLICTS PREVENTION--MEDIATION", "AMENDMENT", "PARAGRAPH", "ARMS", "ARMS", "ELECTION"],
    "descr": ["Territorial integrity of Ukraine : resolution / adopted by the General Assembly", "TO ADOPT AN AMENDMENT",
              "TO ADOPT OPERATIVE PARAGRAPH 2", "Transparency in armaments", "Transparency in armaments", "TO ELECT"],
})
VOTES = pd.DataFrame({
    "rcid": [5309.0, 5309.0, 5309.0, 5309.0, 5310.0, 5312.0, 100.0],
    "country": ["Ukraine", "Russia", "China", "Yugoslavia", "Ukraine", "Taiwan", "Taiwan"],
    "country_code": ["UA", "RU", "CN", "YU", "UA", "TW", "TW"],
    "vote": ["yes", "no", "abstain", "yes", "no", "yes", "yes"],
})


def write(tmp_path, roll_calls=ROLL_CALLS, votes=VOTES):
    rc_path, v_path = tmp_path / "un_roll_calls.rda", tmp_path / "un_votes.rda"
    pyreadr.write_rdata(str(rc_path), roll_calls, df_name="un_roll_calls")
    pyreadr.write_rdata(str(v_path), votes, df_name="un_votes")
    return rc_path, v_path


def test_ids_kinds_and_links(tmp_path):
    sv = read_unvotes(*write(tmp_path))
    rc = sv.roll_calls.set_index("source_ref")
    assert rc.loc["un_roll_calls.rda rcid 5309", "vote_id"] == "A/RES/68/262"
    assert rc.loc["un_roll_calls.rda rcid 5309", "title"] == "Territorial integrity of Ukraine"
    assert rc.loc["un_roll_calls.rda rcid 5309", "kind"] == "resolution"
    assert rc.loc["un_roll_calls.rda rcid 5310", "vote_id"] == "A/RES/68/262 [amendment, rcid 5310]"
    assert rc.loc["un_roll_calls.rda rcid 5311", ["kind", "part_of"]].tolist() == ["paragraph", "A/RES/68/262"]
    # two unflagged roll calls on R/61/77: neither can be called the vote on the whole text
    assert rc.loc["un_roll_calls.rda rcid 5312", ["vote_id", "kind"]].tolist() == ["A/RES/61/77 [rcid 5312]", "other"]
    assert rc.loc["un_roll_calls.rda rcid 100", "vote_id"] == "unvotes rcid 100"
    assert rc.loc["un_roll_calls.rda rcid 5309", "date"] == pd.Timestamp("2014-03-27")
    assert rc.loc["un_roll_calls.rda rcid 5309", "session"] == "68"
    assert rc["yes"].isna().all()  # no published totals in this source
    checks = {f["check"] for f in sv.findings}
    assert {"ambiguous_whole_vote", "no_symbol", "no_published_totals"} <= checks


def test_votes_keep_source_names(tmp_path):
    sv = read_unvotes(*write(tmp_path))
    v = sv.votes[sv.votes["vote_id"] == "A/RES/68/262"].set_index("country")["vote"]
    assert v.to_dict() == {"Ukraine": "yes", "Russia": "no", "China": "abstain", "Yugoslavia": "yes"}


def test_renamed_column(tmp_path):
    with pytest.raises(RawFormatError, match=r"un_votes.rda: column\(s\) \['vote'\] missing"):
        read_unvotes(*write(tmp_path, votes=VOTES.rename(columns={"vote": "ballot"})))


def test_unknown_vote_value_and_orphan_votes(tmp_path):
    with pytest.raises(RawFormatError, match=r"vote values \['present'\]"):
        read_unvotes(*write(tmp_path, votes=VOTES.assign(vote=["yes", "no", "present", "yes", "no", "yes", "yes"])))
    orphan = pd.concat([VOTES, pd.DataFrame({"rcid": [999.0], "country": ["Chad"], "country_code": ["TD"],
                                             "vote": ["yes"]})], ignore_index=True)
    with pytest.raises(RawFormatError, match=r"rcid \[999\]"):
        read_unvotes(*write(tmp_path, votes=orphan))


def test_truncated_rda(tmp_path):
    rc_path, v_path = write(tmp_path)
    data = v_path.read_bytes()
    v_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(RawFormatError, match=r"un_votes.rda: cannot be read as an R data file.*truncated"):
        read_unvotes(rc_path, v_path)


def test_title_taken_from_short_when_the_two_fields_are_swapped(tmp_path):
    """Sessions 71-73 of the package hold the resolution's title in ``short`` and the agenda item, shared by
    several resolutions, in ``descr``: the title is the field that carries the 'adopted by' suffix."""
    rc = ROLL_CALLS.copy()
    rc.loc[0, ["short", "descr"]] = ["The Syrian Golan : resolution / adopted by the General Assembly",
                                     "A/72/251 37 - The situation in the Middle East. - MIDDLE EAST SITUATION"]
    sv = read_unvotes(*write(tmp_path, roll_calls=rc))
    titles = sv.roll_calls.set_index("source_ref")["title"]
    assert titles["un_roll_calls.rda rcid 5309"] == "The Syrian Golan"
    assert titles["un_roll_calls.rda rcid 5313"] == "Transparency in armaments"  # the usual layout unchanged
