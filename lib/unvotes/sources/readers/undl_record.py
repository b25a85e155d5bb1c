"""Reader for single UN Digital Library voting records in MARC21 XML (source ``undl-records``).

Each "Voting Data" record of the UN Digital Library exports as MARC21 XML
(``https://digitallibrary.un.org/record/<id>/export/xm``). The fields used:

- ``001``: the record id; ``791 $a``: the resolution symbol (``A/RES/ES-11/10``, ``S/RES/2774 (2025)``);
- ``269 $a``: the date of the vote (``2026-02-24`` or ``20260224``); ``245 $a`` (``$b``): the title;
- ``967``: one datafield per member state: ``$c`` its ISO3 code, ``$d`` its vote (``Y`` yes, ``N`` no,
  ``A`` abstain, ``X`` or empty: did not vote), ``$e`` its name;
- ``996``: the published counts: ``$b`` yes, ``$c`` no, ``$d`` abstentions, ``$e`` non-voting, ``$f`` total.

The subfield letters of 996 follow the records as the project knows them (tests/fixtures/undl_record); a
record without them is an error naming what it found rather than a guess. :mod:`unvotes.sources.add_vote` fetches and
stores records under ``data/raw/undl-records/`` with their checksum; the build reads them all, ranked with the
official bulk files.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from unvotes.errors import RawFormatError
from unvotes.ids import kind_of, normalize_symbol, session_of
from unvotes.sources.readers import ROLL_CALL_COLUMNS, VOTE_COLUMNS, SourceVotes

SOURCE = "undl-records"
MARC = "{http://www.loc.gov/MARC21/slim}"
VOTE_CODES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent", "": "absent"}
COUNT_SUBFIELDS = {"yes": "b", "no": "c", "abstain": "d", "absent": "e"}


def _subfields(field: ET.Element) -> dict[str, str]:
    return {sf.get("code"): (sf.text or "").strip() for sf in field.findall(f"{MARC}subfield")}


def _datafields(record: ET.Element, tag: str) -> list[dict[str, str]]:
    return [_subfields(f) for f in record.findall(f"{MARC}datafield[@tag='{tag}']")]


def records_in(text: str, where: str) -> list[ET.Element]:
    """The MARC records of an XML document (a single record or a search result collection)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise RawFormatError(f"{where}: not MARC21 XML ({exc}); the download may be an error page or truncated") from None
    if root.tag == f"{MARC}record":
        return [root]
    return root.findall(f"{MARC}record")


def symbol_of(record: ET.Element) -> str | None:
    """The record's resolution symbol in the project's id scheme, if it has one."""
    for sf in _datafields(record, "791"):
        try:
            return normalize_symbol(sf.get("a", ""))
        except ValueError:
            continue
    return None


def parse_record(record: ET.Element, where: str) -> tuple[dict, list[dict]]:
    """One roll call (readers' intermediate shape) and its listed votes."""
    control = record.find(f"{MARC}controlfield[@tag='001']")
    record_id = (control.text or "").strip() if control is not None else ""
    vote_id = symbol_of(record)
    if vote_id is None:
        found = [sf.get("a", "") for sf in _datafields(record, "791")]
        raise RawFormatError(f"{where}: no resolution symbol in field 791 $a (found {found}); is this a Voting Data "
                             "record of the UN Digital Library?")
    dates = [sf.get("a", "") for sf in _datafields(record, "269")]
    date = pd.to_datetime(dates[0], errors="coerce", format="mixed") if dates else pd.NaT
    if pd.isna(date):
        raise RawFormatError(f"{where} ({vote_id}): no date of the vote in field 269 $a (found {dates})")
    counts = _datafields(record, "996")
    if not counts or not all(counts[0].get(c, "").isdigit() for c in COUNT_SUBFIELDS.values()):
        raise RawFormatError(f"{where} ({vote_id}): field 996 should hold the published counts in $b (yes), $c (no), "
                             f"$d (abstentions) and $e (non-voting); found {counts[:1]}")
    title_fields = _datafields(record, "245")[:1]
    title = " ".join(" ".join(filter(None, (sf.get("a"), sf.get("b")))) for sf in title_fields)
    title = " ".join(title.split())
    body = "SC" if vote_id.startswith("S/") else "GA"
    ref = f"{where} (UN Digital Library record {record_id})"
    votes = []
    for n, member in enumerate(_datafields(record, "967"), start=1):
        code, vote = member.get("c", ""), member.get("d", "").upper()
        if vote not in VOTE_CODES:
            raise RawFormatError(f"{where} ({vote_id}): member {n} ({member.get('e') or code}) has vote {vote!r} in "
                                 "967 $d; expected Y, N, A, X or empty")
        votes.append({"vote_id": vote_id, "country": member.get("e", "") or code, "country_code": code,
                      "vote": VOTE_CODES[vote], "source_ref": ref})
    if not votes:
        raise RawFormatError(f"{where} ({vote_id}): no member votes (field 967); the record holds no roll call")
    roll_call = {"vote_id": vote_id, "body": body, "date": date, "session": session_of(vote_id) if body == "GA" else "",
                 "title": title.rstrip(" :/"), "draft": "", "kind": kind_of(vote_id), "part_of": "",
                 **{cat: int(counts[0][sf]) for cat, sf in COUNT_SUBFIELDS.items()},
                 "source": SOURCE, "source_ref": ref}
    return roll_call, votes


def listed_counts(votes: list[dict]) -> dict[str, int]:
    out = dict.fromkeys(COUNT_SUBFIELDS, 0)
    for v in votes:
        out[v["vote"]] += 1
    return out


def read_undl_records(paths: list[Path]) -> SourceVotes:
    """Every stored record (one file each), as one vote source."""
    roll_calls, votes = [], []
    for path in paths:
        path = Path(path)
        records = records_in(path.read_text(encoding="utf-8"), str(path))
        if len(records) != 1:
            raise RawFormatError(f"{path}: {len(records)} MARC records; a stored vote holds exactly one. Store it "
                                 "again with `python -m unvotes add-vote`.")
        rc, listed = parse_record(records[0], path.name)
        roll_calls.append(rc)
        votes += listed
    rc = pd.DataFrame(roll_calls, columns=ROLL_CALL_COLUMNS)
    for col in COUNT_SUBFIELDS:
        rc[col] = rc[col].astype("Int64")
    rc["date"] = pd.to_datetime(rc["date"])
    return SourceVotes(SOURCE, rc, pd.DataFrame(votes, columns=VOTE_COLUMNS))
