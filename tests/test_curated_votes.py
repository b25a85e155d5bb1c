"""The hand-curated separate votes (data/external/separate_*.csv): validation with clear errors, and their
place in the build (partial roll calls get no absent rows; any bulk record of the same vote supersedes them)."""

import shutil

import pandas as pd
import pytest

from unvotes.tables import build, curated_votes
from unvotes import paths
from unvotes.tables.curated_votes import CuratedVotesError
from unvotes.errors import DataFileError
from unvotes.sources.readers import SourceVotes

RCF, VF = "data/external/separate_roll_calls.csv", "data/external/separate_votes.csv"
PARA = "A/RES/77/284 [preambular paragraph 9]"


@pytest.fixture(scope="module")
def tables():
    return curated_votes.load()


def edited(tables, rc_edit=None, votes_edit=None):
    rc, votes = (t.copy() for t in tables)
    if rc_edit:
        rc_edit(rc)
    if votes_edit:
        votes_edit(votes)
    return curated_votes.check(rc, votes)


def test_the_curated_files_are_valid(tables):
    rc, votes = tables
    assert curated_votes.check(rc, votes) == []
    council = {"S/2014/189", "S/RES/2166", "S/RES/2202", "S/2015/562", "S/2022/155", "S/RES/2623", "S/2022/231",
               "S/2022/720", "S/2022/821", "S/2023/212"}
    assert set(rc["vote_id"]) == {PARA, "A/RES/ES-11/7", "A/RES/ES-11/8", "A/RES/ES-11/10", "S/RES/2774"} | council
    assert (votes["source"].str.len() > 20).all() and (rc["source"].str.len() > 20).all()
    # every Council vote is complete: the 15 members of its year
    sc = rc[rc["body"] == "SC"]
    assert (sc["complete"] == "true").all()
    assert (votes[votes["vote_id"].isin(sc["vote_id"])].groupby("vote_id").size() == 15).all()
    # the vetoed and failed drafts are identified by their draft symbols
    assert set(sc.loc[sc["kind"] == "failed_draft", "vote_id"]) == {
        "S/2014/189", "S/2015/562", "S/2022/155", "S/2022/231", "S/2022/720", "S/2022/821", "S/2023/212"}


def test_es_11_8_ukraine_is_corrected_with_its_citation(tables):
    _, votes = tables
    row = votes[(votes["vote_id"] == "A/RES/ES-11/8") & (votes["iso3"] == "UKR")].iloc[0]
    assert row["vote"] == "abstain" and "UN Digital Library voting record" in row["source"]


def test_a_council_vote_by_a_state_off_the_council_is_an_error(tables):
    problems = edited(tables, votes_edit=lambda v: v.loc[(v["vote_id"] == "S/2022/155") & (v["iso3"] == "IND"), "iso3"].pipe(
        lambda s: v.__setitem__("iso3", v["iso3"].where(~v.index.isin(s.index), "PAK"))))
    assert any("PAK was not on the Security Council in 2022" in p for p in problems)


def test_a_failed_draft_needs_its_draft_symbol(tables):
    problems = edited(tables, rc_edit=lambda rc: rc.__setitem__("kind", rc["kind"].where(rc["vote_id"] != "S/RES/2623",
                                                                                     "failed_draft")))
    assert any("(S/RES/2623): a failed Council draft has kind 'failed_draft'" in p for p in problems)


def test_read_as_a_vote_source(tables):
    cv = curated_votes.read_curated_votes()
    rc = cv.roll_calls.set_index("vote_id")
    assert cv.source == "curated" and {k: cv.complete[k] for k in (PARA, "A/RES/ES-11/7", "A/RES/ES-11/8",
                                                                    "A/RES/ES-11/10", "S/RES/2774", "S/2022/155")} == {
        PARA: False, "A/RES/ES-11/7": False, "A/RES/ES-11/8": False, "A/RES/ES-11/10": False, "S/RES/2774": True,
        "S/2022/155": True}
    assert rc.loc[PARA, ["part_of", "kind", "session", "draft", "yes", "no", "abstain"]].tolist() == [
        "A/RES/77/284", "paragraph", "77", "A/77/L.65", 81, 10, 48]
    assert rc.loc["S/RES/2774", ["body", "session"]].tolist() == ["SC", ""]
    assert rc.loc["A/RES/ES-11/7", "session"] == "ES-11" and rc.loc["A/RES/ES-11/7", "source_ref"] == "separate_roll_calls.csv:3"
    assert len(cv.votes) == len(tables[1])


def _set(frame, row, column, value):
    frame.loc[frame.index[row], column] = value


@pytest.mark.parametrize("rc_edit, votes_edit, expected", [
    (None, lambda v: _set(v, 0, "iso3", "XXX"),
     f"{VF} line 2 ({PARA}, XXX): unknown iso3 'XXX'"),
    (None, lambda v: _set(v, 3, "vote", "yea"),
     f"{VF} line 5 (A/RES/ES-11/7, BLR): vote 'yea'; use one of yes, no, abstain, absent"),
    (None, lambda v: _set(v, 3, "source", " "),
     f"{VF} line 5 (A/RES/ES-11/7, BLR): no source citation"),
    (lambda r: _set(r, 1, "source", ""), None,
     f"{RCF} line 3 (A/RES/ES-11/7): no source citation"),
    (lambda r: _set(r, 3, "yes_total", "11"), None,
     f"{RCF} line 5 (S/RES/2774): complete roll call lists 10 yes in {VF} but yes_total is 11"),
    (lambda r: _set(r, 1, "no_total", "17"), None,
     f"{RCF} line 3 (A/RES/ES-11/7): 18 states listed as no in {VF}, more than the published no_total 17"),
    (lambda r: _set(r, 1, "complete", "true"), None,
     f"{RCF} line 3 (A/RES/ES-11/7): complete roll call lists 0 yes in {VF} but yes_total is 93"),
    (lambda r: _set(r, 0, "what", "preambular paragraph 8"), None,
     f"{RCF} line 2 ({PARA}): vote_id must be 'A/RES/77/284 [preambular paragraph 8]' (part_of [what])"),
    (lambda r: _set(r, 1, "complete", "yes"), None, f"{RCF} line 3 (A/RES/ES-11/7): complete 'yes'; use true or false"),
    (lambda r: _set(r, 2, "date", "24/02/2025"), None, f"{RCF} line 4 (A/RES/ES-11/8): date '24/02/2025' is not YYYY-MM-DD"),
    (lambda r: _set(r, 3, "body", "GA"), None, f"{RCF} line 5 (S/RES/2774): body 'GA' does not match the symbol"),
    (lambda r: _set(r, 1, "kind", "vote"), None, f"{RCF} line 3 (A/RES/ES-11/7): kind 'vote'; use one of resolution"),
    (None, lambda v: _set(v, 3, "iso3", "CSK"), f"{VF} line 5 (A/RES/ES-11/7, CSK): CSK was not a UN member on 2025-02-24"),
    (None, lambda v: _set(v, 4, "iso3", "BLR"), f"{VF} line 6 (A/RES/ES-11/7, BLR): BLR is listed twice for this vote"),
    (None, lambda v: _set(v, 0, "vote_id", "A/RES/77/999"), f"{VF} line 2 (A/RES/77/999, ARM): vote_id 'A/RES/77/999' is not in"),
])
def test_check_names_file_line_and_value(tables, rc_edit, votes_edit, expected):
    problems = edited(tables, rc_edit, votes_edit)
    assert any(p.startswith(expected) for p in problems), problems


def test_load_raises_one_error_listing_every_problem(tmp_path, monkeypatch):
    ext = tmp_path / "external"
    shutil.copytree(paths.external_dir(), ext)
    votes = pd.read_csv(ext / curated_votes.VOTES_FILE, dtype=str, keep_default_na=False)
    votes.loc[0, "iso3"] = "ZZZ"
    votes.loc[1, "vote"] = "maybe"
    votes.to_csv(ext / curated_votes.VOTES_FILE, index=False)
    monkeypatch.setattr(paths, "external_dir", lambda: ext)
    with pytest.raises(DataFileError) as err:
        curated_votes.load()
    msg = str(err.value)
    assert "separate_votes.csv: 2 problem(s)" in msg
    assert "line 2, column 'iso3': 'ZZZ' is not a code of data/external/un_membership.csv" in msg
    assert "line 3, column 'vote': 'maybe' is not allowed" in msg


# ---------------------------------------------------------------- in the build


@pytest.fixture(scope="module")
def prepared_curated():
    return build.prepare_source(curated_votes.read_curated_votes())


def test_partial_roll_calls_are_not_checked_against_totals(prepared_curated):
    rc, votes, findings = prepared_curated
    assert findings == []  # ES-11/7 lists 20 of 176 voting states: not a count mismatch
    complete = dict(zip(rc["vote_id"], rc["complete"]))
    assert {k for k, v in complete.items() if not v} == {PARA, "A/RES/ES-11/7", "A/RES/ES-11/8", "A/RES/ES-11/10"}
    assert votes.loc[votes["vote_id"] == "A/RES/ES-11/7", "vote"].value_counts().to_dict() == {"no": 18, "abstain": 2}


def test_no_absent_rows_for_partial_roll_calls(prepared_curated):
    rc, votes, _ = prepared_curated
    absent, findings = build.add_absent(rc, votes)
    # partial GA roll calls get none; the complete Council ones list all 15 members, so none either
    assert absent.empty and not findings
    # the same listing declared complete would get an absent row for every other member
    absent, _ = build.add_absent(rc.assign(complete=True), votes)
    assert (absent["vote_id"] == "A/RES/ES-11/7").sum() == 193 - 20
    assert (absent["vote_id"] == "S/RES/2774").sum() == 0
    # a Council member left out of a complete Council roll call is absent (on the Council, did not vote)
    absent, _ = build.add_absent(rc, votes[~((votes["vote_id"] == "S/2022/155") & (votes["iso3"] == "IND"))])
    assert absent[["vote_id", "iso3"]].values.tolist() == [["S/2022/155", "IND"]]


def _official_sc(changes: dict[str, str], totals=(10, 0, 5)) -> SourceVotes:
    """An official SC record of S/RES/2774 (as the UN Digital Library reader gives it), with some votes changed."""
    members = {"CHN": "yes", "RUS": "yes", "USA": "yes", "DZA": "yes", "GUY": "yes", "PAK": "yes", "PAN": "yes",
               "KOR": "yes", "SLE": "yes", "SOM": "yes", "DNK": "abstain", "FRA": "abstain", "GRC": "abstain",
               "SVN": "abstain", "GBR": "abstain"} | changes
    rc = pd.DataFrame([{"vote_id": "S/RES/2774", "body": "SC", "date": pd.Timestamp("2025-02-24"), "session": "",
                        "title": "", "draft": "", "kind": "resolution", "part_of": "", "yes": totals[0],
                        "no": totals[1], "abstain": totals[2], "absent": 0, "source": "undl-sc",
                        "source_ref": "sc.csv:2"}]).astype({c: "Int64" for c in ("yes", "no", "abstain", "absent")})
    v = pd.DataFrame([{"vote_id": "S/RES/2774", "country": k, "country_code": k, "vote": x, "source_ref": "sc.csv:2"}
                      for k, x in members.items()])
    return SourceVotes("undl-sc", rc, v)


def test_official_record_supersedes_curated_and_disagreement_is_reported(prepared_curated):
    official = build.prepare_source(_official_sc({"GRC": "yes"}, totals=(11, 0, 4)))
    rc, votes, findings = build.apply_precedence({"undl-sc": official[:2], "curated": prepared_curated[:2]})
    chosen = rc.set_index("vote_id")
    assert chosen.loc["S/RES/2774", "source"] == "undl-sc" and chosen.loc["S/RES/2774", "complete"]
    assert chosen.loc["A/RES/ES-11/7", "source"] == "curated"  # what no bulk source holds stays curated
    assert votes[(votes["vote_id"] == "S/RES/2774") & (votes["iso3"] == "GRC")]["vote"].tolist() == ["yes"]
    details = [f["detail"] for f in findings if f["check"] == "source_disagreement" and f["source"] == "curated"]
    assert "published totals 10-0-5 in curated, 11-0-4 in undl-sc (kept)" in details
    assert any("1 state vote(s) differ" in d and "GRC: abstain in curated, yes in undl-sc" in d for d in details)


def test_agreeing_official_record_is_reported_as_overlap(prepared_curated):
    official = build.prepare_source(_official_sc({}))
    _, _, findings = build.apply_precedence({"undl-sc": official[:2], "curated": prepared_curated[:2]})
    assert [(f["check"], f["vote_id"]) for f in findings] == [("source_overlap", "S/RES/2774"), ("overlap_summary", "")]
    assert findings[1]["detail"] == "1 roll call(s) also in undl-sc (kept): 15 of 15 state votes agree, 0 differ"


def test_partial_curated_roll_call_is_compared_only_on_its_listed_states(prepared_curated):
    """A bulk record of ES-11/7 listing every state: the curated partial one is compared on its 20 states only."""
    rc, votes, _ = prepared_curated
    listed = votes[votes["vote_id"] == "A/RES/ES-11/7"]
    full = pd.DataFrame({"iso3": ["FRA", "DEU", "UKR"] + listed["iso3"].tolist(),
                         "vote": ["yes", "yes", "yes"] + listed["vote"].tolist()})
    full.loc[full["iso3"] == "IND", "vote"] = "yes"  # one disagreement among the listed states
    bulk_rc = rc[rc["vote_id"] == "A/RES/ES-11/7"].assign(source="undl-ga", source_ref="ga.csv:9", complete=True)
    bulk_votes = full.assign(vote_id="A/RES/ES-11/7", date=pd.Timestamp("2025-02-24"))
    _, _, findings = build.apply_precedence({"undl-ga": (bulk_rc, bulk_votes), "curated": (rc, votes)})
    dis = [f for f in findings if f["check"] == "source_disagreement"]
    assert len(dis) == 1 and dis[0]["listed"] == "1" and "IND: abstain in curated, yes in undl-ga" in dis[0]["detail"]
