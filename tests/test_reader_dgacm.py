import json

import pandas as pd
import pytest

from unvotes.errors import RawFormatError
from unvotes.sources.readers.dgacm import read_dgacm, read_dgacm_file

from conftest import FIXTURES

SAMPLE = FIXTURES / "dgacm" / "sample.json"


@pytest.fixture(scope="module")
def sample():
    return read_dgacm([SAMPLE])


def test_only_recorded_votes_are_kept(sample):
    rc = sample.roll_calls
    # the without-vote record (line 3) and the empty adoption type without votes (line 7) are not roll calls
    assert rc["source_ref"].tolist() == ["sample.json:1", "sample.json:2", "sample.json:4", "sample.json:5",
                                         "sample.json:6"]
    assert rc["vote_id"].tolist() == ["A/RES/ES-11/1", "A/RES/74/168", "A/RES/ES-11/1", "A/RES/75/290 A",
                                      "A/RES/75/254 A-C"]


def test_values_of_a_record(sample):
    first = sample.roll_calls.iloc[0]
    assert first["date"] == pd.Timestamp("2022-03-02")  # "2\xa0March 2022"
    assert (first["session"], first["body"], first["kind"], first["part_of"]) == ("ES-11", "GA", "resolution", "")
    assert (first["yes"], first["no"], first["abstain"]) == (4, 2, 2) and pd.isna(first["absent"])
    assert first["draft"] == "A/ES-11/L.1 and A/ES-11/L.1/Add.1"
    v = sample.votes[sample.votes["source_ref"] == "sample.json:1"].set_index("country")["vote"]
    assert v["RUSSIAN FEDERATION"] == "no" and v["CHINA"] == "abstain" and v["TÜRKİYE"] == "yes"
    assert len(v) == 8


def test_iso_dates_and_na_counts(sample):
    rc = sample.roll_calls.set_index("source_ref")
    assert rc.loc["sample.json:2", "date"] == pd.Timestamp("2019-12-18")
    assert rc.loc["sample.json:2", "no"] == 0  # "N.A." means none
    na = [f for f in sample.findings if f["check"] == "na_count"]
    assert [(f["vote_id"], f["published"]) for f in na] == [("A/RES/74/168", "N.A.")]


def test_findings_name_the_quirks(sample):
    checks = {f["check"] for f in sample.findings}
    assert {"na_count", "date_formats", "empty_adoption_type"} <= checks
    formats = next(f for f in sample.findings if f["check"] == "date_formats")["detail"]
    assert "'2 March 2022'" in formats and "'2019-12-12 00:00:00'" in formats


def _write(tmp_path, lines, name="bad.json", newline=True):
    p = tmp_path / name
    p.write_text("\n".join(lines) + ("\n" if newline else ""), encoding="utf-8")
    return p


def _record(**changes):
    rec = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])
    rec.update(changes)
    return rec


def test_truncated_file(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    p = tmp_path / "74.json"
    p.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(RawFormatError, match=r"74\.json:\d+: .*truncated"):
        read_dgacm_file(p)


def test_corrupt_json_names_the_line(tmp_path):
    p = _write(tmp_path, [json.dumps(_record()), '{"symbol": "A/RES/1/1", '])
    with pytest.raises(RawFormatError, match=r"bad\.json:2: not valid JSON"):
        read_dgacm_file(p)


def test_missing_key_names_record_and_key(tmp_path):
    rec = _record()
    del rec["MS_against"]
    p = _write(tmp_path, [json.dumps(rec)])
    with pytest.raises(RawFormatError, match=r"bad\.json:1: record 'A/RES/ES-11/1' lacks the key\(s\) \['MS_against'\]"):
        read_dgacm_file(p)


def test_bad_count_and_bad_date(tmp_path):
    p = _write(tmp_path, [json.dumps(_record(MS_in_favour_count="many"))])
    with pytest.raises(RawFormatError, match=r"bad\.json:1: MS_in_favour_count is 'many'"):
        read_dgacm_file(p)
    p = _write(tmp_path, [json.dumps(_record(adoption_date="March the 2nd"))])
    with pytest.raises(RawFormatError, match=r"bad\.json:1: adoption_date 'March the 2nd'"):
        read_dgacm_file(p)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.json"
    p.write_text("")
    with pytest.raises(RawFormatError, match="empty.json: the file is empty"):
        read_dgacm_file(p)
