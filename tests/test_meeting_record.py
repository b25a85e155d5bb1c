"""The parser of roll calls pasted from UN meeting records and press releases, on constructed records
(tests/fixtures/meeting_records, see its README), and the command that adds them to the curated tables."""

import pytest

from unvotes import cli
from unvotes.tables import curated_votes
from unvotes.sources import meeting_record
from unvotes.errors import UnknownCountryError
from unvotes.sources.meeting_record import MeetingRecordError

from conftest import FIXTURES

RECORDS = FIXTURES / "meeting_records"


def text_of(name: str) -> str:
    return (RECORDS / name).read_text(encoding="utf-8")


def by_vote(record) -> dict[str, set[str]]:
    return {v: set(g["iso3"]) for v, g in record.votes.groupby("vote")}


def test_meeting_record_layout():
    rec = meeting_record.parse(text_of("meeting_record_es11_1.txt"), date="2022-03-02")
    assert rec.counts() == {"yes": 141, "no": 5, "abstain": 35, "absent": 0}
    assert rec.stated == {"yes": 141, "no": 5, "abstain": 35}
    meeting_record.check_counts(rec)  # a complete roll call matches its stated totals
    votes = by_vote(rec)
    assert votes["no"] == {"BLR", "PRK", "ERI", "RUS", "SYR"}  # "Eritrea*": footnote mark dropped
    # broken across the pasted page header, hyphenated at a line end, old names of 2022
    assert {"FSM", "VCT", "NLD", "TUR", "NZL", "KNA", "TTO"} <= votes["yes"]
    assert {"CHN", "IND", "TZA", "ZAF", "LAO"} <= votes["abstain"]
    assert "Exampleland" not in set(rec.votes["name"])  # the text after the lists is not read


def test_meeting_record_reproduces_the_bulk_roll_call(in_data_dir):
    import unvotes

    for fixture, vote_id in [("meeting_record_es11_1.txt", "A/RES/ES-11/1"), ("press_release_es11_4.txt", "A/RES/ES-11/4")]:
        rec = meeting_record.parse(text_of(fixture), date=unvotes.roll_call(vote_id)["date"])
        bulk = unvotes.votes_on(vote_id)
        if "absent" not in set(rec.votes["vote"]):
            bulk = bulk[bulk["vote"] != "absent"]
        assert dict(zip(rec.votes["iso3"], rec.votes["vote"])) == dict(zip(bulk["iso3"], bulk["vote"].astype(str)))


def test_press_release_layout_with_absent():
    rec = meeting_record.parse(text_of("press_release_es11_4.txt"), date="2022-10-12")
    assert rec.counts() == {"yes": 143, "no": 5, "abstain": 35, "absent": 10}
    assert rec.stated == {"yes": 143, "no": 5, "abstain": 35}
    assert len(rec.votes) == 193 and rec.votes["iso3"].is_unique
    assert by_vote(rec)["no"] == {"BLR", "PRK", "NIC", "RUS", "SYR"}


def test_tricky_names_line_breaks_and_footnotes():
    rec = meeting_record.parse(text_of("tricky_names.txt"), date="2023-04-26")
    assert dict(zip(rec.votes["iso3"], rec.votes["vote"])) == {
        "BOL": "yes", "CIV": "yes", "NLD": "yes", "VCT": "yes", "GNB": "yes", "TLS": "yes", "TUR": "yes",
        "GBR": "yes", "USA": "yes", "VEN": "yes",
        "PRK": "no", "RUS": "no", "SYR": "no",
        "CHN": "abstain", "LAO": "abstain", "IRN": "abstain", "FSM": "abstain", "MDA": "abstain", "TZA": "abstain"}
    names = dict(zip(rec.votes["iso3"], rec.votes["name"]))
    assert names["VCT"] == "Saint Vincent and the Grenadines"      # "Gren-" / "adines": a broken word joined
    assert names["GNB"] == "Guinea-Bissau"                         # "Guinea-" / "Bissau": the hyphen kept
    assert names["BOL"] == "Bolivia (Plurinational State of)"      # broken inside the parentheses
    assert names["CIV"] == "Côte d’Ivoire" and names["RUS"] == "Russian Federation"  # "¹" and "2" dropped
    assert rec.stated == {"yes": 10, "no": 3, "abstain": 6}         # "retained by 10 votes to 3, with 6 abstentions"


def test_unknown_names_are_all_listed():
    with pytest.raises(UnknownCountryError) as err:
        meeting_record.parse(text_of("bad_names.txt"), date="2023-04-26")
    msg = str(err.value)
    assert all(f"'{n}'" in msg for n in ("Atlantis", "Ruritania", "Eldorado"))
    assert "'no' list" in msg and "correct the text" in msg


def test_state_listed_twice_and_missing_lists_are_errors():
    with pytest.raises(MeetingRecordError, match=r"listed more than once: CHN: China \(yes\), China \(abstain\)"):
        meeting_record.parse("In favour: China, France\nAbstaining: China.", date="2023-04-26")
    with pytest.raises(MeetingRecordError, match="no roll-call lists found"):
        meeting_record.parse("The draft resolution was adopted without a vote.", date="2023-04-26")


def test_empty_list_and_inline_headings():
    rec = meeting_record.parse("In favour: France, Germany\nAgainst: None\nAbstaining: China, India.", date="2023-04-26")
    assert rec.counts() == {"yes": 2, "no": 0, "abstain": 2, "absent": 0}


@pytest.mark.parametrize("text, totals", [
    ("Draft resolution A/77/L.65 was adopted by 122 votes to 5, with 18 abstentions (resolution 77/284).",
     {"yes": 122, "no": 5, "abstain": 18}),
    ("adopted by a recorded vote of 93 in favour to 18 against, with 65 abstentions, as follows:",
     {"yes": 93, "no": 18, "abstain": 65}),
    ("The draft resolution received 10 votes to none, with 5 abstentions", {"yes": 10, "no": 0, "abstain": 5}),
    ("was adopted by 104 votes to 1, with no abstentions", {"yes": 104, "no": 1, "abstain": 0}),
    ("A recorded vote was taken.", {}),
])
def test_stated_totals(text, totals):
    assert meeting_record.stated_totals(text) == totals


def test_counts_against_totals():
    rec = meeting_record.parse(text_of("tricky_names.txt"), date="2023-04-26")
    with pytest.raises(MeetingRecordError, match=r"yes: 10 listed, 81 stated"):
        meeting_record.check_counts(rec, {"yes": 81, "no": 3, "abstain": 6})
    meeting_record.check_counts(rec, {"yes": 81, "no": 10, "abstain": 48}, complete=False)  # partial: within the totals
    with pytest.raises(MeetingRecordError, match=r"no: 3 listed, 2 stated"):
        meeting_record.check_counts(rec, {"yes": 81, "no": 2, "abstain": 48}, complete=False)


def test_curated_rows_for_a_paragraph_vote():
    rec = meeting_record.parse(text_of("tricky_names.txt"), date="2023-04-26")
    roll_call, votes = meeting_record.curated_rows(
        rec, vote_id="", part_of="A/RES/77/284", what="preambular paragraph 9", date="2023-04-26",
        source="constructed record", draft="A/77/L.65", complete=True)
    assert roll_call["vote_id"] == "A/RES/77/284 [preambular paragraph 9]" and roll_call["kind"] == "paragraph"
    assert (roll_call["yes_total"], roll_call["no_total"], roll_call["abstain_total"]) == ("10", "3", "6")
    assert roll_call["complete"] == "true" and roll_call["date"] == "2023-04-26"
    assert list(votes.columns) == curated_votes.VOTE_COLUMNS and len(votes) == 19
    assert votes.set_index("iso3").loc["CHN", "vote"] == "abstain"
    with pytest.raises(MeetingRecordError, match="expected 'A/RES/77/284 \\[preambular paragraph 9\\]'"):
        meeting_record.curated_rows(rec, vote_id="A/RES/77/284 [para 9]", part_of="A/RES/77/284",
                                    what="preambular paragraph 9", date="2023-04-26", source="x")


def test_add_separate_vote_command(external_copy, capsys):
    before_rc = (external_copy / curated_votes.ROLL_CALLS_FILE).read_text()
    args = ["add-separate-vote", str(RECORDS / "tricky_names.txt"), "--date", "2023-04-26",
            "--part-of", "A/RES/77/284", "--what", "preambular paragraph 10", "--source", "constructed record, p. 1"]
    assert cli.main(args) == 0
    rc, votes = curated_votes.load()
    new = rc.set_index("vote_id").loc["A/RES/77/284 [preambular paragraph 10]"]
    assert (new["kind"], new["complete"], new["yes_total"]) == ("paragraph", "true", "10")
    assert (votes["vote_id"] == "A/RES/77/284 [preambular paragraph 10]").sum() == 19
    assert (external_copy / curated_votes.ROLL_CALLS_FILE).read_text().startswith(before_rc)  # appended
    assert not list(external_copy.glob(".*.part"))
    # the same id again is refused, and nothing is written
    snapshot = {p.name: p.read_bytes() for p in external_copy.glob("separate_*.csv")}
    assert cli.main(args) == 2
    assert "already in data/external/separate_roll_calls.csv" in capsys.readouterr().err
    assert snapshot == {p.name: p.read_bytes() for p in external_copy.glob("separate_*.csv")}
    assert cli.main(args + ["--replace", "--partial"]) == 0
    assert curated_votes.load()[0].set_index("vote_id").loc["A/RES/77/284 [preambular paragraph 10]", "complete"] == "false"


def test_add_separate_vote_refuses_rows_the_tables_reject(external_copy, capsys):
    # a complete Security Council roll call lists the 15 members of its year: these 19 states are not they
    args = ["add-separate-vote", str(RECORDS / "tricky_names.txt"), "--date", "2025-02-24", "--body", "SC",
            "--vote-id", "S/RES/2775", "--source", "constructed"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "nothing written" in err and "TZA was not on the Security Council in 2025" in err
    assert "S/RES/2775" not in (external_copy / curated_votes.ROLL_CALLS_FILE).read_text()
