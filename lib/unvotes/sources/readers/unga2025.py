"""Reader for the 2025 roll calls scraped from the UN Digital Library (mirror source ``unga-2025``).

``un_votes_2025_processed.csv`` (HZloto/unga-2025, Data Driven Decision Lab): one row per recorded vote
of 2025 in the General Assembly and the Security Council, one column per member state::

    Link, token, Scrape_Year, Title, Council, Resolution, country, subregion, continent, Date,
    YES COUNT, NO COUNT, ABSTAIN COUNT, NO-VOTE COUNT, TOTAL VOTES, tags, AGO, ALB, ..., ZWE

- ``Resolution``: ``A/RES/ES-11/7``, ``A/RES/80/84 A``, ``S/RES/2774(2025)``, ``A/DEC/80/506``; mapped
  onto the project's one id scheme (:func:`unvotes.ids.normalize_symbol`);
- ``Council``: ``General Assembly`` or ``Security Council``; ``Date``: ``YYYY-MM-DD``;
- counts: zero-padded text (``"012"``), published by the UN record; ``NO-VOTE COUNT`` is the members
  that did not vote (the roll call's ``absent``);
- one column per member state, named by ISO3; a cell is ``YES``, ``NO``, ``ABSTAIN`` or blank (did not
  vote; for the Council also "not on the Council"). Anything else is an error naming line and column;
- ``tags``: topics assigned by a language model, not by the UN: kept as topics flagged ``assigned_by="machine"``;
- ``country``, ``subregion``, ``continent``: machine-assigned places the text is about; not used.

**States without a column** (Afghanistan and Venezuela in the 2025 file). Their vote is not in the file.
On a General Assembly roll call whose listed yes, no and abstain votes already add up to the published
totals, they cast none of those: the roll call is complete and the build records them ``absent`` (it adds
an absent row for every unlisted member). Where the listed votes fall short of the published totals the
roll call is marked not complete (its unlisted states get no row) and a finding says so.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from unvotes.tables import membership
from unvotes.errors import RawFormatError
from unvotes.ids import kind_of, normalize_symbol, session_of
from unvotes.quality import finding
from unvotes.sources.readers import ROLL_CALL_COLUMNS, TOPIC_COLUMNS, VOTE_COLUMNS, SourceVotes

SOURCE = "unga-2025"
FILE_NAME = "un_votes_2025_processed.csv"
META_COLUMNS = ("Link", "token", "Title", "Council", "Resolution", "Date",
                "YES COUNT", "NO COUNT", "ABSTAIN COUNT", "NO-VOTE COUNT", "TOTAL VOTES", "tags")
#: columns the file has that the reader does not use (kept out of the state columns)
UNUSED_COLUMNS = ("Scrape_Year", "country", "subregion", "continent")
COUNTS = {"yes": "YES COUNT", "no": "NO COUNT", "abstain": "ABSTAIN COUNT", "absent": "NO-VOTE COUNT"}
VOTE_CODES = {"YES": "yes", "NO": "no", "ABSTAIN": "abstain"}
BODIES = {"General Assembly": "GA", "Security Council": "SC"}
_STATE_COLUMN = re.compile(r"^[A-Z]{3}$")
# The Digital Library's catalogue title ends with a statement of responsibility, not part of the title.
_TITLE_SUFFIX = re.compile(r"\s*:\s*(resolution|decision)\s*/\s*adopted by the General Assembly\s*$", re.I)


class _Row:
    """One data row, with the file position for error messages."""

    def __init__(self, path: Path, line: int, values: dict[str, str]):
        self.path, self.line, self.values = path, line, values

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def count(self, column: str) -> int:
        value = self.values[column].strip()
        if not value.isdigit():
            raise RawFormatError(f"{self.where}: {column} is {value!r}, expected a whole number such as '012'")
        return int(value)


def _header(path: Path, header: list[str]) -> list[str]:
    """The state columns; a missing or renamed column is an error naming what was expected."""
    missing = [c for c in META_COLUMNS if c not in header]
    if missing:
        raise RawFormatError(f"{path}: column(s) {missing} missing; found {header[:20]}{' ...' if len(header) > 20 else ''}. "
                             f"Has the file's layout changed? The registry pins HZloto/unga-2025@46fa27e.")
    states = [c for c in header if c not in META_COLUMNS and c not in UNUSED_COLUMNS]
    odd = [c for c in states if not _STATE_COLUMN.match(c)]
    if odd:
        raise RawFormatError(f"{path}: column(s) {odd} are neither known columns ({', '.join(META_COLUMNS)}) nor "
                             "ISO3 codes of member states")
    return states


def read_unga2025(path) -> SourceVotes:
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    if not text:
        raise RawFormatError(f"{path}: the file is empty")
    if not text.endswith("\n"):
        raise RawFormatError(f"{path}: the last line does not end with a newline; the file looks truncated. "
                             f"Delete it from data/raw and run `make data` to fetch it again.")
    reader = csv.reader(text.splitlines())
    header = next(reader)
    states = _header(path, header)
    roll_calls, votes, findings, topics = [], [], [], []
    no_column: dict[str, list[str]] = {}  # vote_id -> members on the date without a column
    for line, values in enumerate(reader, start=2):
        if len(values) != len(header):
            raise RawFormatError(f"{path}:{line}: {len(values)} fields, the header has {len(header)}; the file is "
                                 "truncated or corrupt. Fetch it again (`make data`).")
        row = _Row(path, line, dict(zip(header, values)))
        rc, listed = _roll_call(row, states)
        roll_calls.append(rc)
        votes += listed
        tags = dict.fromkeys(t.strip() for t in row.values["tags"].split(",") if t.strip())
        topics += [{"source_ref": rc["source_ref"], "topic": t, "code": "", "scheme": "unga-2025 tags",
                    "assigned_by": "machine"} for t in tags]
        if rc["body"] == "GA":
            missing = sorted(membership.members_on(rc["date"]) - set(states))
            if missing:
                no_column[rc["vote_id"]] = missing
    rc = pd.DataFrame(roll_calls, columns=ROLL_CALL_COLUMNS)
    for col in COUNTS:
        rc[col] = rc[col].astype("Int64")
    complete = _completeness(rc, pd.DataFrame(votes, columns=VOTE_COLUMNS), no_column, findings)
    return SourceVotes(SOURCE, rc, pd.DataFrame(votes, columns=VOTE_COLUMNS), findings, complete=complete,
                       topics=pd.DataFrame(topics, columns=TOPIC_COLUMNS))


def _roll_call(row: _Row, states: list[str]) -> tuple[dict, list[dict]]:
    v = row.values
    try:
        vote_id = normalize_symbol(v["Resolution"])
    except ValueError:
        raise RawFormatError(f"{row.where}: Resolution {v['Resolution']!r} is not a GA or SC symbol the project "
                             "knows (e.g. A/RES/ES-11/7, A/RES/80/84 A, A/DEC/80/506, S/RES/2774(2025))") from None
    body = BODIES.get(v["Council"].strip())
    if body is None:
        raise RawFormatError(f"{row.where}: Council {v['Council']!r}; expected one of {list(BODIES)}")
    if (body == "SC") != vote_id.startswith("S/"):
        raise RawFormatError(f"{row.where}: Council {v['Council']!r} does not match the symbol {vote_id!r}")
    try:
        date = pd.to_datetime(v["Date"].strip(), format="%Y-%m-%d")
    except ValueError:
        raise RawFormatError(f"{row.where}: Date {v['Date']!r} is not YYYY-MM-DD") from None
    ref = f"{FILE_NAME}:{row.line} (UN Digital Library record {v['token'].strip()})"
    listed = []
    for state in states:
        cell = v[state].strip().upper()
        if not cell:
            continue  # did not vote (or, for the Council, not on it): the build adds absent rows for members
        if cell not in VOTE_CODES:
            raise RawFormatError(f"{row.where}: column {state} is {v[state]!r}; expected YES, NO, ABSTAIN or blank")
        listed.append({"vote_id": vote_id, "country": state, "country_code": state, "vote": VOTE_CODES[cell],
                       "source_ref": ref})
    return {
        "vote_id": vote_id, "body": body, "date": date, "session": session_of(vote_id) if body == "GA" else "",
        "title": _TITLE_SUFFIX.sub("", " ".join(v["Title"].split())), "draft": "",
        "kind": kind_of(vote_id), "part_of": "",
        **{cat: row.count(col) for cat, col in COUNTS.items()},
        "source": SOURCE, "source_ref": ref,
    }, listed


def _completeness(rc: pd.DataFrame, votes: pd.DataFrame, no_column: dict[str, list[str]],
                  findings: list[dict]) -> dict[str, bool]:
    """complete[vote_id]: the listed votes add up to the published yes/no/abstain totals, so every member
    without a column (or with a blank cell) cast none of them. One finding per kind of outcome."""
    listed = votes.groupby(["vote_id", "vote"]).size().unstack(fill_value=0).reindex(columns=list(VOTE_CODES.values()),
                                                                                     fill_value=0)
    complete: dict[str, bool] = {}
    proved: list[str] = []
    for r in rc.itertuples(index=False):
        n = listed.loc[r.vote_id] if r.vote_id in listed.index else pd.Series(0, index=listed.columns)
        adds_up = all(int(n[c]) == getattr(r, c) for c in ("yes", "no", "abstain"))
        complete[r.vote_id] = adds_up
        if not adds_up:
            findings.append(finding(
                SOURCE, "count_mismatch", f"listed {n['yes']}-{n['no']}-{n['abstain']} against published "
                f"{r.yes}-{r.no}-{r.abstain} (yes-no-abstain); the roll call is kept as not complete, so states "
                f"without a column or with a blank cell get no row", vote_id=r.vote_id, source_ref=r.source_ref,
                published=f"{r.yes}-{r.no}-{r.abstain}", listed=f"{n['yes']}-{n['no']}-{n['abstain']}"))
        elif r.vote_id in no_column:
            proved.append(r.vote_id)
    if proved:
        states = sorted({s for v in proved for s in no_column[v]})
        findings.append(finding(
            SOURCE, "state_without_column", f"{', '.join(states)} have no column in {FILE_NAME}. On {len(proved)} "
            "General Assembly roll calls the other states' listed votes add up to the published yes, no and abstain "
            "totals, so these states cast none of them: recorded absent (did not vote)", severity="info",
            listed=str(len(proved))))
    return complete

