"""Reader for the DGACM per-session JSON extracts of GA resolutions (mirror source ``dgacm-ga``).

Layout (one JSON object per line, one line per adopted resolution, recorded vote or not)::

    {"symbol": "A/RES/ES-11/1", "title": ..., "adoption_date": "2 March 2022",
     "adoption_type": "By a recorded vote", "originating_document": "A/ES-11/L.1 ...",
     "MS_in_favour_count": "141", "MS_against_count": "5", "MS_abstaining_count": "35",
     "MS_in_favour": ["AFGHANISTAN", ...], "MS_against": [...], "MS_abstaining": [...], ...}

Known quirks, each reported as a finding rather than silently fixed:
- counts of ``"N.A."`` where a category is empty (read as 0);
- two date formats: ``"2 March 2022"`` (sometimes with a non-breaking space) and
  ``"2019-12-12 00:00:00"``;
- a few records with an empty ``adoption_type`` (kept only if they list votes);
- the same resolution recorded more than once (session 79): all records are passed on, and the
  build keeps the first after comparing them;
- members absent from the vote are not listed (the build adds them from UN membership).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd

from unvotes.errors import RawFormatError
from unvotes.ids import normalize_symbol, session_of
from unvotes.quality import finding
from unvotes.sources.readers import TOPIC_COLUMNS, SourceVotes

SOURCE = "dgacm-ga"
REQUIRED_KEYS = ("symbol", "title", "adoption_date", "adoption_type", "originating_document",
                 "MS_in_favour_count", "MS_against_count", "MS_abstaining_count",
                 "MS_in_favour", "MS_against", "MS_abstaining")
CATEGORIES = (("MS_in_favour", "MS_in_favour_count", "yes"),
              ("MS_against", "MS_against_count", "no"),
              ("MS_abstaining", "MS_abstaining_count", "abstain"))
RECORDED = "By a recorded vote"


def _count(value: object, *, where: str, key: str) -> int | None:
    """Published count; "N.A." means none. Returns None for N.A. so the caller can report it."""
    if value == "N.A.":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise RawFormatError(f"{where}: {key} is {value!r}, expected a whole number or 'N.A.'") from None


DATE_FORMATS = {"%d %B %Y": "'2 March 2022'", "%Y-%m-%d %H:%M:%S": "'2019-12-12 00:00:00'",
                "%Y-%m-%d": "'2019-12-12'"}


def _parse_date(value: str, *, where: str) -> tuple[pd.Timestamp, str]:
    """The date and a label of the format it was written in."""
    text = " ".join(str(value).replace("\xa0", " ").split())
    for fmt, label in DATE_FORMATS.items():
        try:
            return pd.to_datetime(text, format=fmt), label
        except ValueError:
            continue
    raise RawFormatError(f"{where}: adoption_date {value!r} is in no known format "
                         "(expected e.g. '2 March 2022' or '2019-12-12 00:00:00')")


def read_dgacm_file(path: Path, date_formats: Counter | None = None) -> SourceVotes:
    """Recorded votes in one DGACM session file. ``date_formats`` counts (format, file) pairs."""
    path = Path(path)
    roll_calls, votes, findings, topics = [], [], [], []
    date_formats = Counter() if date_formats is None else date_formats
    with open(path, encoding="utf-8") as fh:
        lines = fh.readlines()
    if not lines:
        raise RawFormatError(f"{path}: the file is empty; expected one JSON object per line")
    if not lines[-1].endswith("\n"):
        # every published file ends with a newline: a missing one means a cut-off download
        raise RawFormatError(f"{path}:{len(lines)}: the last line does not end with a newline; the file looks "
                             "truncated. Delete it from data/raw and run `make data` to fetch it again.")
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RawFormatError(f"{path}:{lineno}: not valid JSON ({exc.msg} at column {exc.colno}); the file "
                                 "may be truncated or corrupt. Fetch it again (`make data`).") from None
        missing = [k for k in REQUIRED_KEYS if k not in rec]
        if missing:
            raise RawFormatError(f"{path}:{lineno}: record {rec.get('symbol', '?')!r} lacks the key(s) "
                                 f"{missing}; has the DGACM layout changed? Expected keys: {list(REQUIRED_KEYS)}")
        listed = {vote: [str(n).strip() for n in rec[key] or [] if str(n).strip()] for key, _, vote in CATEGORIES}
        n_listed = sum(len(v) for v in listed.values())
        adoption = (rec.get("adoption_type") or "").strip()
        if adoption != RECORDED:
            if adoption == "" and (n_listed or any(_count(rec[c], where=where, key=c) for _, c, _ in CATEGORIES)):
                findings.append(finding(SOURCE, "empty_adoption_type", "adoption_type is empty but votes are "
                                        "listed; treated as a recorded vote", source_ref=where,
                                        vote_id=rec["symbol"]))
            elif adoption == "":
                findings.append(finding(SOURCE, "empty_adoption_type", "adoption_type is empty and no votes "
                                        "are listed or counted; not treated as a recorded vote",
                                        severity="info", source_ref=where, vote_id=rec["symbol"]))
                continue
            else:
                continue
        try:
            vote_id = normalize_symbol(rec["symbol"])
        except ValueError:
            raise RawFormatError(f"{path}:{lineno}: symbol {rec['symbol']!r} is not a GA resolution symbol") from None
        date, date_format = _parse_date(rec["adoption_date"], where=f"{path}:{lineno}")
        date_formats[(date_format, path.name)] += 1
        totals = {}
        for _, count_key, vote in CATEGORIES:
            value = _count(rec[count_key], where=f"{path}:{lineno}", key=count_key)
            if value is None:
                findings.append(finding(SOURCE, "na_count", f"{count_key} is 'N.A.', read as 0",
                                        severity="info", source_ref=where, vote_id=vote_id,
                                        published="N.A.", listed=len(listed[vote])))
                value = 0
            totals[vote] = value
        roll_calls.append({
            "vote_id": vote_id, "body": "GA", "date": date, "session": session_of(vote_id),
            "title": " ".join(str(rec["title"]).split()), "draft": str(rec["originating_document"]).strip(),
            "kind": "resolution", "part_of": "", "yes": totals["yes"], "no": totals["no"],
            "abstain": totals["abstain"], "absent": pd.NA, "source": SOURCE, "source_ref": where,
        })
        for vote, names in listed.items():
            votes.extend({"vote_id": vote_id, "country": n, "country_code": "", "vote": vote, "source_ref": where}
                         for n in names)
        topics += _topics(rec, where)
    return _frames(roll_calls, votes, findings, topics)


#: the second element of a DGACM subject, as a scheme name (and code)
_SUBJECT_SCHEMES = {"UNBIS Thesaurus": ("UNBIS Thesaurus", ""),
                    "DHLAUTH": ("Dag Hammarskjöld Library authority", "DHLAUTH")}


def _topics(rec: dict, where: str) -> list[dict]:
    """The record's UNBIS subjects and its agenda item (both assigned by the UN), keyed by source_ref."""
    out = []
    for entry in rec.get("subjects") or []:
        if isinstance(entry, (list, tuple)) and entry and str(entry[0]).strip():
            if len(entry) > 1 and str(entry[1]).startswith("A/"):
                continue  # the agenda item's number in the session's agenda (A/80/251): the agenda item says it
            scheme, code = _SUBJECT_SCHEMES.get(str(entry[1]).strip() if len(entry) > 1 else "", ("subject", ""))
            out.append({"source_ref": where, "topic": " ".join(str(entry[0]).split()), "code": code,
                        "scheme": f"{scheme} (DGACM)", "assigned_by": "UN"})
    name = " ".join(str(rec.get("agenda_item_name") or "").split())
    if name and name != "N.A.":
        out.append({"source_ref": where, "topic": name, "code": " ".join(str(rec.get("agenda_item") or "").split()),
                    "scheme": "GA agenda item (DGACM)", "assigned_by": "UN"})
    return out


def _frames(roll_calls: list[dict], votes: list[dict], findings: list[dict], topics: list[dict]) -> SourceVotes:
    rc = pd.DataFrame(roll_calls, columns=["vote_id", "body", "date", "session", "title", "draft", "kind",
                                           "part_of", "yes", "no", "abstain", "absent", "source", "source_ref"])
    for col in ("yes", "no", "abstain", "absent"):
        rc[col] = rc[col].astype("Int64")
    rc["date"] = pd.to_datetime(rc["date"])
    v = pd.DataFrame(votes, columns=["vote_id", "country", "country_code", "vote", "source_ref"])
    return SourceVotes(SOURCE, rc, v, findings, topics=pd.DataFrame(topics, columns=TOPIC_COLUMNS))


def read_dgacm(paths: list[Path]) -> SourceVotes:
    """All session files of the DGACM source, concatenated."""
    date_formats: Counter = Counter()
    parts = [read_dgacm_file(p, date_formats) for p in paths]
    findings = [f for p in parts for f in p.findings]
    labels = {label for label, _ in date_formats}
    if len(labels) > 1:
        by_label = {label: sorted(f for lab, f in date_formats if lab == label) for label in sorted(labels)}
        findings.append(finding(
            SOURCE, "date_formats", f"adoption_date of recorded votes comes in {len(labels)} formats: " + "; ".join(
                f"{label} in {', '.join(files)} ({sum(n for (lab, _), n in date_formats.items() if lab == label)} "
                "votes)" for label, files in by_label.items()), severity="info"))
    return SourceVotes(
        SOURCE,
        pd.concat([p.roll_calls for p in parts], ignore_index=True),
        pd.concat([p.votes for p in parts], ignore_index=True),
        findings,
        topics=pd.concat([p.topics for p in parts], ignore_index=True),
    )
