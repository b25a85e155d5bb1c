"""add-vote: one UN Digital Library voting record (MARC21 XML), checked, stored with provenance, used by the build."""

import json

import pandas as pd
import pytest

from unvotes.sources import add_vote
from unvotes.tables import build
from unvotes import cli, paths
from unvotes.errors import ChecksumError, RawFormatError, UnvotesError
from unvotes.sources.readers.undl_record import parse_record, read_undl_records, records_in

from conftest import FIXTURES

RECORDS = FIXTURES / "undl_record"


@pytest.fixture
def raw(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    return tmp_path / "raw"


def test_a_record_is_read_in_the_project_id_scheme():
    sv = read_undl_records([RECORDS / "sc_2774.xml"])
    rc = sv.roll_calls.iloc[0]
    assert (rc["vote_id"], rc["body"], rc["date"], rc["session"]) == ("S/RES/2774", "SC", pd.Timestamp("2025-02-24"), "")
    assert (rc["yes"], rc["no"], rc["abstain"], rc["absent"]) == (10, 0, 5, 0)
    assert rc["title"].startswith("Security Council resolution 2774 (2025) : [on imploring")
    assert rc["source_ref"] == "sc_2774.xml (UN Digital Library record 4077111)"
    votes = sv.votes.set_index("country_code")["vote"]
    assert len(votes) == 15 and votes["GBR"] == "abstain" and votes["RUS"] == "yes"


def test_add_vote_by_symbol_picks_the_record_checks_counts_and_stores_it(raw, monkeypatch):
    said = []
    monkeypatch.setattr(add_vote, "_download", lambda url: (said.append(url), (RECORDS / "search_es11.xml").read_text())[1])
    dest = add_vote.add_vote("a/res/es-11/10", say=said.append)
    assert 'p=791__a%3A%22A/RES/ES-11/10%22' in said[0]  # searched by symbol
    assert dest == raw / "undl-records" / "4100001.xml"
    assert any("listed 2-1-2 (yes-no-abstain) agree with the published 2-1-2" in s for s in said)
    # six states of 193 agree with their own totals, but are not the roll call: the user is told so
    assert any("names 6 states, but 193 were members on 2026-02-24" in s and "partial" in s for s in said)
    info = json.loads(dest.with_suffix(".json").read_text())
    assert info["vote_id"] == "A/RES/ES-11/10" and info["record_id"] == "4100001" and info["bytes"] == dest.stat().st_size
    (record,) = records_in(dest.read_text(), "stored")
    rc, votes = parse_record(record, "stored")
    assert rc["date"] == pd.Timestamp("2026-02-24") and [v["vote"] for v in votes].count("absent") == 1
    assert not list((raw / "undl-records").glob(".*.part"))


def test_a_stored_record_is_not_overwritten_by_a_different_copy(raw, tmp_path):
    add_vote.add_vote("S/RES/2774", file=RECORDS / "sc_2774.xml", say=lambda *a: None)
    changed = tmp_path / "changed.xml"
    changed.write_text((RECORDS / "sc_2774.xml").read_text().replace(">0</subfield>", ">00</subfield>", 1))
    with pytest.raises(ChecksumError, match="already holds a different copy of record 4077111"):
        add_vote.add_vote("S/RES/2774", file=changed, say=lambda *a: None)
    add_vote.add_vote("S/RES/2774", file=changed, replace=True, say=lambda *a: None)


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('tag="996"', 'tag="997"'), "field 996 should hold the published counts"),
    (lambda t: t.replace('<subfield code="d">A</subfield>', '<subfield code="d">Abs</subfield>', 1),
     r"member 3 \(Denmark\) has vote 'ABS' in 967 \$d"),
    (lambda t: t.replace("S/RES/2774 (2025)", "S/PV.9866"), "no resolution symbol in field 791"),
    (lambda t: t[: len(t) // 2], "not MARC21 XML"),
])
def test_bad_records_are_clear_errors(raw, tmp_path, edit, message):
    bad = tmp_path / "bad.xml"
    bad.write_text(edit((RECORDS / "sc_2774.xml").read_text()))
    with pytest.raises((RawFormatError, UnvotesError), match=message):
        add_vote.add_vote("4077111", file=bad, say=lambda *a: None)
    assert not (raw / "undl-records").exists() or not list((raw / "undl-records").iterdir())


def test_a_saved_file_that_cannot_be_read_is_a_message_not_a_traceback(raw, tmp_path, capsys):
    latin1 = tmp_path / "latin1.xml"
    latin1.write_bytes((RECORDS / "sc_2774.xml").read_text().replace("Security", "S\u00e9curit\u00e9").encode("latin-1"))
    for file, message in ((tmp_path / "nowhere.xml", "does not exist"), (tmp_path, "is not a file"),
                          (latin1, r"is not UTF-8 text \(byte \d+: b'\\xe9'\)")):
        with pytest.raises(UnvotesError, match=message):
            add_vote.add_vote("4077111", file=file, say=lambda *a: None)
    assert cli.main(["add-vote", "4077111", "--file", str(latin1)]) == 2
    assert "/record/<id>/export/xm" in capsys.readouterr().err


def test_a_symbol_the_library_does_not_hold_is_a_clear_error(raw):
    with pytest.raises(UnvotesError, match="no Voting Data record with the symbol A/RES/ES-11/12"):
        add_vote.add_vote("A/RES/ES-11/12", file=RECORDS / "search_es11.xml", say=lambda *a: None)
    with pytest.raises(UnvotesError, match="neither a record id"):
        add_vote.add_vote("A/80/PV.12", say=lambda *a: None)


def test_the_cli_says_what_to_do_without_network(raw, monkeypatch, capsys):
    def offline(url, **kwargs):
        import requests
        raise requests.ConnectionError("no route to host")

    monkeypatch.setattr("requests.get", offline)
    assert cli.main(["add-vote", "A/RES/ES-11/10"]) == 2
    err = capsys.readouterr().err
    assert "Could not fetch https://digitallibrary.un.org/search" in err and "--file saved.xml" in err


def test_the_build_uses_a_stored_record_at_its_precedence(mirror, raw):
    from unvotes.sources import fetch

    add_vote.add_vote("S/RES/2774", file=RECORDS / "sc_2774.xml", say=lambda *a: None)
    log_start = len(fetch.FETCH_LOG)
    sources, _ = build.read_sources(download=False, say=lambda *a: None)
    assert any(f.file.source.id == "undl-records" and f.file.name == "4077111.xml" for f in fetch.FETCH_LOG[log_start:])
    by_source = {sv.source: sv for sv in sources}
    prepared = {s: build.prepare_source(by_source[s])[:2] for s in ("undl-records", "unga-2025", "curated")}
    rc, _, findings = build.apply_precedence(prepared)
    assert rc.set_index("vote_id").loc["S/RES/2774", "source"] == "undl-records"  # above the 2025 file and curated
    overlap = [f for f in findings if f["vote_id"] == "S/RES/2774" and f["source"] == "unga-2025"]
    assert [f["check"] for f in overlap] == ["source_overlap"] and "undl-records (kept)" in overlap[0]["detail"]
    # raw data are immutable: a stored record edited by hand stops the build where it is read
    (raw / "undl-records" / "4077111.xml").write_text((RECORDS / "sc_2774.xml").read_text() + " ")
    with pytest.raises(ChecksumError, match="4077111.xml"):
        [fetch.fetch(f, download=False) for f in add_vote.stored_records()]
