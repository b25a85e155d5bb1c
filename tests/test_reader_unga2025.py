"""The reader of the 2025 roll calls scraped from the UN Digital Library (source ``unga-2025``)."""

import pandas as pd
import pytest

from unvotes.errors import RawFormatError
from unvotes.sources.readers.unga2025 import read_unga2025

from conftest import FIXTURES

SAMPLE = FIXTURES / "unga2025" / "votes_2025.csv"


@pytest.fixture(scope="module")
def sample():
    return read_unga2025(SAMPLE)


def test_symbols_map_onto_the_one_id_scheme(sample):
    rc = sample.roll_calls
    assert rc["vote_id"].tolist() == ["A/RES/ES-11/8", "S/RES/2774", "A/RES/80/84 A", "A/DEC/80/506"]
    assert rc["body"].tolist() == ["GA", "SC", "GA", "GA"]
    assert rc["kind"].tolist() == ["resolution", "resolution", "resolution", "decision"]
    assert rc["session"].tolist() == ["ES-11", "", "80", "80"]


def test_values_of_a_roll_call(sample):
    first = sample.roll_calls.iloc[0]
    assert first["date"] == pd.Timestamp("2025-02-24")
    assert first["title"] == "The path to peace"  # the catalogue's ": resolution / adopted by ..." is dropped
    assert (first["yes"], first["no"], first["abstain"], first["absent"]) == (1, 1, 2, 189)
    assert first["source_ref"] == "un_votes_2025_processed.csv:2 (UN Digital Library record 4077000)"
    votes = sample.votes[sample.votes["vote_id"] == "A/RES/ES-11/8"].set_index("country")["vote"]
    assert votes.to_dict() == {"FRA": "yes", "RUS": "no", "UKR": "abstain", "USA": "abstain"}


def test_blank_cells_are_not_listed_and_cells_are_read_loosely(sample):
    dec = sample.votes[sample.votes["vote_id"] == "A/DEC/80/506"]
    assert dec[["country", "vote"]].values.tolist() == [["NOR", "yes"]]  # "yes " in the file
    sc = sample.votes[sample.votes["vote_id"] == "S/RES/2774"]
    assert len(sc) == 15 and (sc["vote"] == "abstain").sum() == 5


def test_states_without_a_column_are_absent_only_where_the_counts_prove_it(sample):
    # ES-11/8: the listed votes add up to the published 1-1-2, so AFG and VEN cast none of them
    assert sample.complete["A/RES/ES-11/8"] and sample.complete["S/RES/2774"] and sample.complete["A/DEC/80/506"]
    # 80/84 A: 2 yes listed against a published 3: someone's vote is not in the file
    assert sample.complete["A/RES/80/84 A"] is False
    findings = pd.DataFrame(sample.findings)
    no_column = findings[findings["check"] == "state_without_column"]
    assert len(no_column) == 1 and "AFG, VEN" in no_column["detail"].iloc[0]
    assert "On 2 General Assembly roll calls" in no_column["detail"].iloc[0]
    mismatch = findings[findings["check"] == "count_mismatch"]
    assert mismatch["vote_id"].tolist() == ["A/RES/80/84 A"]
    assert mismatch["published"].iloc[0] == "3-1-0" and mismatch["listed"].iloc[0] == "2-1-0"


def _write_variant(tmp_path, edit) -> object:
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "un_votes_2025_processed.csv"
    path.write_text(edit(text), encoding="utf-8")
    return path


def test_a_renamed_column_is_a_clear_error(tmp_path):
    path = _write_variant(tmp_path, lambda t: t.replace("YES COUNT", "YES_COUNT", 1))
    with pytest.raises(RawFormatError, match=r"column\(s\) \['YES COUNT'\] missing"):
        read_unga2025(path)


def test_an_unknown_symbol_is_a_clear_error_naming_the_line(tmp_path):
    path = _write_variant(tmp_path, lambda t: t.replace("A/DEC/80/506", "A/80/PV.12"))
    with pytest.raises(RawFormatError, match=r"votes_2025|un_votes_2025_processed.csv:5: Resolution 'A/80/PV.12'"):
        read_unga2025(path)


def test_an_unknown_vote_value_is_a_clear_error_naming_line_and_column(tmp_path):
    path = _write_variant(tmp_path, lambda t: t.replace(",NO,", ",N.V.,", 1))
    with pytest.raises(RawFormatError, match=r":2: column RUS is 'N.V.'; expected YES, NO, ABSTAIN or blank"):
        read_unga2025(path)


def test_a_truncated_file_is_a_clear_error(tmp_path):
    path = _write_variant(tmp_path, lambda t: t[: len(t) // 2])
    with pytest.raises(RawFormatError, match="truncated"):
        read_unga2025(path)


def test_a_column_that_is_not_a_state_code_is_an_error(tmp_path):
    path = _write_variant(tmp_path, lambda t: t.replace(",AGO,", ",Angola,", 1))
    with pytest.raises(RawFormatError, match=r"\['Angola'\] are neither known columns"):
        read_unga2025(path)


def test_a_curated_vote_the_file_contradicts_surfaces_as_a_disagreement(sample):
    """The ES-11/8 case: a press report had Ukraine voting yes; the UN record (here the fixture) says abstain."""
    from unvotes.tables import build
    from unvotes.sources.readers import SourceVotes

    curated_rc = pd.DataFrame([{
        "vote_id": "A/RES/ES-11/8", "body": "GA", "date": pd.Timestamp("2025-02-24"), "session": "ES-11",
        "title": "The path to peace", "draft": "A/ES-11/L.11", "kind": "resolution", "part_of": "", "yes": 93,
        "no": 8, "abstain": 73, "absent": pd.NA, "source": "curated", "source_ref": "separate_roll_calls.csv:4"}])
    curated_rc[["yes", "no", "abstain", "absent"]] = curated_rc[["yes", "no", "abstain", "absent"]].astype("Int64")
    curated_votes = pd.DataFrame([{"vote_id": "A/RES/ES-11/8", "country": c, "country_code": c, "vote": v,
                                   "source_ref": "separate_votes.csv:9"} for c, v in (("UKR", "yes"), ("RUS", "no"))])
    curated = SourceVotes("curated", curated_rc, curated_votes, complete={"A/RES/ES-11/8": False})
    prepared = {sv.source: build.prepare_source(sv)[:2] for sv in (sample, curated)}
    rc, votes, findings = build.apply_precedence(prepared)
    assert rc.set_index("vote_id").loc["A/RES/ES-11/8", "source"] == "unga-2025"
    dis = [f for f in findings if f["check"] == "source_disagreement" and f["vote_id"] == "A/RES/ES-11/8"]
    assert any("differ from unga-2025 (kept): UKR: yes in curated, abstain in unga-2025" in f["detail"] for f in dis)
    assert any("published totals 93-8-73 in curated, 1-1-2 in unga-2025 (kept)" in f["detail"] for f in dis)
