"""Readers of the UN Digital Library (Dag Hammarskjöld Library) bulk voting files.

Two sources, one reader each, both returning :class:`~unvotes.sources.readers.SourceVotes`:

* :func:`read_undl_ga` (source ``"undl-ga"``): the General Assembly file, in either layout
  - 2026 (``2026_02_06_ga_voting.csv``): ``undl_id, ms_code, ms_name, ms_vote, date, session,
    resolution, draft, committee_report, meeting, title, agenda_title, subjects, vote_note,
    total_yes, total_no, total_abstentions, total_non_voting, total_ms, undl_link``;
  - 2024 (``2024_09_12_ga_resolutions_voting.csv``): ``undl_id, ms_codes, ms_names, ms_votes,
    resolutions, title, modality, draft, committee_report, meeting, agenda_titles, subjects, date,
    yes, no, abstentions, non-voting, total-voting, undl_link``;
* :func:`read_undl_sc` (source ``"undl-sc"``): the Security Council file
  (``2026_02_06_sc_voting.csv``): ``undl_id, ms_code, ms_name, permanent_member, ms_vote, date,
  resolution, draft, meeting, description, agenda, subjects, vote_note, total_yes, total_no,
  total_abstentions, total_non_voting, total_ms, modality, undl_link``.

The layouts are those of the data dictionaries in ``data/raw/undl-docs`` (column order = dictionary
order). One row per (member state, resolution); the header decides the layout, columns are read by
name (order and extra columns do not matter; a missing or renamed one is an error).

What the files look like, as far as public code that reads them shows (the files themselves were not
available when this was written):

* plain comma-separated UTF-8, a header line, fields quoted only when needed (titles with commas);
* dates ISO ``2023-10-27``; ``session`` is text: ``77``, ``ES-10``; votes ``Y``/``N``/``A``/``X``
  (2024 dictionary: ``NV``); the published totals are written as floats (``120.0``, the file is a
  pandas export with gaps); names upper case as at the time of the vote (``AFGHANISTAN``,
  ``TÜRKIYE``); codes are the modern ISO3 code for continuing states (the USSR's votes are ``RUS``)
  plus codes of their own for states that ended (e.g. ``SCG`` Serbia and Montenegro);
* sources: public code that reads these files (a reader test showing the 2026 GA header and real
  rows such as ``4025240,AFG,AFGHANISTAN,Y,2023-10-27,ES-10,A/RES/ES-10/21,...,120.0,14.0,45.0,14.0,193.0``;
  an ingester of the GA and SC 2026 files using ISO dates, ``int(float(total))``, votes
  ``{Y, N, A, X}`` and the GER/SCG codes; a loader reading ``session`` as text,
  navyanawal0310/un-votes-intelligence-platform, packages/pipeline/ingestion/ga_loader.py; a study
  reading the 2024 file with singular ``ms_code``/``ms_name``/``ms_vote`` columns although its
  dictionary says plural), and research.un.org/en/docs/unvoting/undl ("blank = non-participating").
  None of this was checked against the official files, which were not available here.

Assumptions (where no source settles it), each tolerant rather than strict:

* dates ``YYYY-MM-DD``, optionally followed by a time (``T00:00:00``, `` 00:00:00``, ``Z`` or an
  offset), which is dropped; a blank date gives NaT and a ``missing_date`` finding;
* totals are whole numbers written ``120`` or ``120.0``; blank means not published (<NA>);
* ``session`` is kept as written but normalised where it is unambiguous: ``77.0`` -> ``77``,
  ``10emsp`` -> ``ES-10``, ``10sp`` -> ``S-10`` (MARC labels); blank -> derived from the symbol;
  in the 2024 layout it is always derived from the symbol (``A/RES/ES-11/1`` -> ``ES-11``,
  ``A/RES/2467(XXIII) A`` -> ``23``);
* votes: ``X`` and ``NV`` are both read as non-voting in every layout; a blank vote is read as
  absent, with one ``blank_vote`` finding; anything else is an error. Surrounding blanks are
  stripped from every value read (names and codes are otherwise kept as given);
* the 2024 layout also accepts the singular ``ms_code``/``ms_name``/``ms_vote``/``resolution``;
* the SC file has no title: ``description`` is the title. ``permanent_member`` is not read;
* line numbers in ``source_ref`` and messages are physical lines of the file (the header is line 1)
  when values contain no line breaks; with line breaks inside quoted values they are still exact,
  except after blank lines, which the CSV parser skips (a ``line_numbers_approximate`` finding).

Not done here, on purpose: comparing published totals with the listed votes (one check for all
sources, :func:`unvotes.tables.build.check_totals`), reconciling names and codes, repeated listings and
adding absent members (:mod:`unvotes.tables.build`).
"""

from __future__ import annotations

import csv
import mmap
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from unvotes.errors import RawFormatError
from unvotes.ids import normalize_symbol, session_of
from unvotes.quality import finding
from unvotes.sources.readers import ROLL_CALL_COLUMNS, VOTE_COLUMNS, VOTE_VALUES, SourceVotes

SOURCE_GA = "undl-ga"
SOURCE_SC = "undl-sc"

#: Files larger than this print one line per reading stage on stderr.
PROGRESS_BYTES = 50 * 1024 * 1024
#: Per-roll-call findings of one kind beyond this many are summed up in one more finding.
MAX_FINDINGS_PER_CHECK = 50

_VOTE_CODES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent", "NV": "absent", "": "absent"}
_TOTAL_ROLES = ("yes", "no", "abstain", "absent")


@dataclass(frozen=True)
class Layout:
    """One published column layout: its columns in dictionary order and the role of those read."""

    name: str
    columns: tuple[str, ...]
    roles: dict  # role -> canonical column name (session: None when the layout has none)
    aliases: dict = field(default_factory=dict)  # canonical name -> other accepted spellings

    def describe(self) -> str:
        return f"{self.name}: {', '.join(self.columns)}"


GA_2026 = Layout(
    name="GA 2026 layout (2026_02_06_ga_voting.csv)",
    columns=("undl_id", "ms_code", "ms_name", "ms_vote", "date", "session", "resolution", "draft",
             "committee_report", "meeting", "title", "agenda_title", "subjects", "vote_note", "total_yes",
             "total_no", "total_abstentions", "total_non_voting", "total_ms", "undl_link"),
    roles=dict(undl_id="undl_id", code="ms_code", name="ms_name", vote="ms_vote", date="date", session="session",
               symbol="resolution", draft="draft", title="title", yes="total_yes", no="total_no",
               abstain="total_abstentions", absent="total_non_voting"),
)
GA_2024 = Layout(
    name="GA 2024 layout (2024_09_12_ga_resolutions_voting.csv)",
    columns=("undl_id", "ms_codes", "ms_names", "ms_votes", "resolutions", "title", "modality", "draft",
             "committee_report", "meeting", "agenda_titles", "subjects", "date", "yes", "no", "abstentions",
             "non-voting", "total-voting", "undl_link"),
    roles=dict(undl_id="undl_id", code="ms_codes", name="ms_names", vote="ms_votes", date="date", session=None,
               symbol="resolutions", draft="draft", title="title", yes="yes", no="no", abstain="abstentions",
               absent="non-voting"),
    aliases={"ms_codes": ("ms_code",), "ms_names": ("ms_name",), "ms_votes": ("ms_vote",),
             "resolutions": ("resolution",)},
)
SC_2026 = Layout(
    name="SC 2026 layout (2026_02_06_sc_voting.csv)",
    columns=("undl_id", "ms_code", "ms_name", "permanent_member", "ms_vote", "date", "resolution", "draft",
             "meeting", "description", "agenda", "subjects", "vote_note", "total_yes", "total_no",
             "total_abstentions", "total_non_voting", "total_ms", "modality", "undl_link"),
    roles=dict(undl_id="undl_id", code="ms_code", name="ms_name", vote="ms_vote", date="date", session=None,
               symbol="resolution", draft="draft", title="description", yes="total_yes", no="total_no",
               abstain="total_abstentions", absent="total_non_voting"),
)
GA_LAYOUTS = (GA_2026, GA_2024)
SC_LAYOUTS = (SC_2026,)


def read_undl_ga(path) -> SourceVotes:
    """Read the UN Digital Library General Assembly bulk file (2026 or 2024 layout)."""
    return _read(Path(path), GA_LAYOUTS, body="GA", source=SOURCE_GA, other=("SC", SC_LAYOUTS, "read_undl_sc"))


def read_undl_sc(path) -> SourceVotes:
    """Read the UN Digital Library Security Council bulk file."""
    return _read(Path(path), SC_LAYOUTS, body="SC", source=SOURCE_SC, other=("GA", GA_LAYOUTS, "read_undl_ga"))


# ---------------------------------------------------------------------------------------------
# file-level checks


class _Progress:
    def __init__(self, path: Path, size: int):
        self.on = size > PROGRESS_BYTES
        self.name = path.name
        self.t0 = time.perf_counter()
        if self.on:
            self(f"reading {size / 1e6:,.0f} MB")

    def __call__(self, message: str) -> None:
        if self.on:
            print(f"[undl] {self.name}: {message} ({time.perf_counter() - self.t0:.1f} s)", file=sys.stderr, flush=True)


def _scan(path: Path) -> tuple[int, int, bytes, int]:
    """Newlines and double quotes in the file, its last byte and the number of blank lines that end
    it: one fast pass in 16 MB chunks."""
    newlines = quotes = 0
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            newlines += chunk.count(b"\n")
            quotes += chunk.count(b'"')
            tail = (tail + chunk)[-4096:]
    stripped = tail.rstrip(b"\r\n")
    trailing_blank = max(0, tail[len(stripped):].count(b"\n") - 1) if stripped else 0
    return newlines, quotes, tail[-1:], trailing_blank


def _line_of_offset(path: Path, offset: int) -> int:
    """1-based line number of the byte at ``offset``."""
    count = 0
    with open(path, "rb") as fh:
        remaining = offset
        while remaining > 0 and (chunk := fh.read(min(1 << 24, remaining))):
            count += chunk.count(b"\n")
            remaining -= len(chunk)
    return count + 1


def _read_header(path: Path) -> tuple[list[str], int]:
    """Column names of the first line (BOM and blanks stripped) and the byte length of that line."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    end = head.find(b"\n")
    line = head if end < 0 else head[:end]
    try:
        text = line.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError as exc:
        raise RawFormatError(f"{path.name}: line 1: the header is not UTF-8 text ({exc})") from None
    names = [c.strip() for c in next(csv.reader([text]))] if text.strip() else []
    return names, (len(line) + 1 if end >= 0 else len(line))


def _match(header: list[str], layout: Layout) -> tuple[dict, list[str]]:
    """Map canonical column -> column name in the file; and the canonical columns not found."""
    found, missing = {}, []
    present = set(header)
    for col in layout.columns:
        for name in (col, *layout.aliases.get(col, ())):
            if name in present:
                found[col] = name
                break
        else:
            missing.append(col)
    return found, missing


def _choose_layout(path: Path, header: list[str], layouts, other) -> tuple[Layout, dict]:
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise RawFormatError(f"{path.name}: line 1: the header repeats column(s) {', '.join(map(repr, dupes))}")
    results = []
    for layout in layouts:
        found, missing = _match(header, layout)
        if not missing:
            return layout, found
        results.append((len(missing), layout, found, missing))
    results.sort(key=lambda r: r[0])
    _, closest, found, missing = results[0]
    used = set(found.values())
    extra = [c for c in header if c not in used]
    msg = (f"{path.name}: line 1: the header matches none of the expected layouts. Closest is the {closest.name}, "
           f"which lacks column(s) {', '.join(map(repr, missing))}")
    if extra:
        msg += f"; the file has instead {', '.join(map(repr, extra))} (renamed or unexpected)"
    other_body, other_layouts, other_reader = other
    for layout in other_layouts:
        if not _match(header, layout)[1]:
            msg += f". This header is the {layout.name}: read it with {other_reader}()"
    msg += ". Expected " + "; or ".join(layout.describe() for layout in layouts) + "."
    raise RawFormatError(msg)


# ---------------------------------------------------------------------------------------------
# parsing


def _parse(path: Path, header: list[str], columns: list[str]) -> tuple[pa.Table, list]:
    invalid: list = []

    def on_invalid(row) -> str:
        if len(invalid) < 100:
            invalid.append((row.expected_columns, row.actual_columns, row.text))
        return "skip"

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns,
                column_types={c: pa.dictionary(pa.int32(), pa.string()) for c in columns},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise RawFormatError(f"{path.name}: could not be read as CSV: {exc}") from None
    return table, invalid


def _raise_invalid_rows(path: Path, invalid: list, n_lines: int) -> None:
    """Locate the first row of the wrong width and raise an error naming its line."""
    best = None
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        for expected, actual, text in invalid:
            needle = b"\n" + text.split("\n", 1)[0].rstrip("\r").encode("utf-8")
            pos = -1
            for candidate in (needle + b"\n", needle + b"\r\n", needle):  # the whole line, else its start
                if (pos := mm.find(candidate)) >= 0:
                    break
            line = _line_of_offset(path, pos + 1) if pos >= 0 else None
            if best is None or (line is not None and (best[0] is None or line < best[0])):
                best = (line, expected, actual, text)
    line, expected, actual, text = best
    where = f"line {line}" if line is not None else "a row"
    shown = text if len(text) <= 160 else text[:160] + "..."
    if line is not None and line >= n_lines and actual < expected:
        what = (f"truncated file: the last row has {actual} of the header's {expected} fields "
                "(the download was cut short, or a quote was left open)")
    elif actual < expected:
        what = f"{actual} fields where the header has {expected} (a truncated row or an unterminated quote)"
    else:
        what = f"{actual} fields where the header has {expected} (an unquoted comma or a stray quote)"
    raise RawFormatError(f"{path.name}: {where}: {what}: {shown!r}")


def _embedded_newlines(path: Path, header: list[str]) -> np.ndarray:
    """Line breaks inside the values of each row (all columns): a second, rarely needed pass."""
    table, _ = _parse(path, header, header)
    total = np.zeros(table.num_rows, dtype=np.int64)
    for name in header:
        col = table.column(name).unify_dictionaries().combine_chunks()
        if not isinstance(col, pa.DictionaryArray):  # no chunks at all
            continue
        per_value = pc.count_substring(col.dictionary, "\n").to_numpy(zero_copy_only=False)
        if per_value.any():
            total += per_value[col.indices.to_numpy(zero_copy_only=False)]
    return total


# ---------------------------------------------------------------------------------------------
# column helpers (all vectorised over the distinct values of a column, then taken by row)


@dataclass
class _Col:
    codes: np.ndarray  # int32 per row
    values: np.ndarray  # object array of distinct values, blanks stripped

    def row_values(self, rows) -> np.ndarray:
        return self.values[self.codes[rows]]

    def first_row_with(self, value_index: int) -> int:
        return int(np.argmax(self.codes == value_index))


def _column(table: pa.Table, name: str) -> _Col:
    cat = table.column(name).to_pandas()  # Categorical: dictionaries of the chunks unified
    values = cat.cat.categories.astype(object).to_numpy()
    stripped = np.array([v.strip() for v in values], dtype=object)  # one per distinct value
    codes = cat.cat.codes.to_numpy().astype(np.int32, copy=False)
    if len(stripped) != len(set(stripped)):  # " X" and "X": merge them
        uniq, inverse = np.unique(stripped.astype(str), return_inverse=True)
        return _Col(codes=inverse.astype(np.int32)[codes], values=uniq.astype(object))
    return _Col(codes=codes, values=stripped)


_DATE_RE = r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_TOTAL_RE = r"\d+(?:\.0*)?"


def _parse_dates(col: _Col) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[ns] per distinct value; mask of values that are not dates."""
    s = pd.Series(col.values, dtype=object).astype(str)
    day = s.str.extract("^" + _DATE_RE + "$", expand=False)
    parsed = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    bad = (s != "") & parsed.isna()
    return parsed.to_numpy(dtype="datetime64[ns]"), bad.to_numpy()


def _parse_totals(col: _Col) -> tuple[np.ndarray, np.ndarray]:
    """float per distinct value (NaN for blank); mask of values that are not whole numbers."""
    s = pd.Series(col.values, dtype=object).astype(str)
    ok = s.str.fullmatch(_TOTAL_RE)
    values = pd.to_numeric(s.where(ok), errors="coerce").to_numpy(dtype=float)
    bad = ((s != "") & ~ok).to_numpy()
    return values, bad


def _normalize_session(value: str) -> str:
    if re.fullmatch(r"\d+(?:\.0*)?", value):
        return str(int(float(value)))
    m = re.fullmatch(r"(\d+)\s*(emsp|sp)", value, flags=re.IGNORECASE)
    if m:
        return ("ES-" if m.group(2).lower() == "emsp" else "S-") + str(int(m.group(1)))
    m = re.fullmatch(r"(ES|S)\s*-?\s*(\d+)", value, flags=re.IGNORECASE)
    if m:
        return f"{m.group(1).upper()}-{int(m.group(2))}"
    return value


def _capped(findings: list[dict], source: str, check: str, items: list[dict], summary: str) -> None:
    """Append one finding per item, at most MAX_FINDINGS_PER_CHECK, then one summing up the rest."""
    findings.extend(items[:MAX_FINDINGS_PER_CHECK])
    rest = items[MAX_FINDINGS_PER_CHECK:]
    if rest:
        findings.append(finding(source, check, f"{len(rest)} more: {summary}", severity=rest[0]["severity"],
                                source_ref=rest[0]["source_ref"]))


# ---------------------------------------------------------------------------------------------
# the reader


def _read(path: Path, layouts, *, body: str, source: str, other) -> SourceVotes:
    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise RawFormatError(f"{name}: line 1: the file is empty (0 bytes); expected a CSV header: "
                             + "; or ".join(layout.describe() for layout in layouts))
    progress = _Progress(path, size)
    header, header_bytes = _read_header(path)
    if not header:
        raise RawFormatError(f"{name}: line 1: the first line is blank; expected a CSV header: "
                             + "; or ".join(layout.describe() for layout in layouts))
    layout, found = _choose_layout(path, header, layouts, other)

    newlines, quotes, last, trailing_blank = _scan(path)
    if last != b"\n":
        raise RawFormatError(f"{name}: line {newlines + 1}: truncated file: it does not end with a line break "
                             "(the last line is incomplete; download the file again)")
    if size <= header_bytes:
        raise RawFormatError(f"{name}: line 2: no data rows after the header")

    role_cols = {role: found[col] for role, col in layout.roles.items() if col is not None}
    # the last column too: a quote left open in it swallows the rest of the file without an error
    columns = list(dict.fromkeys([*role_cols.values(), header[-1]]))
    newlines -= trailing_blank  # blank lines at the end: harmless
    table, invalid = _parse(path, header, columns)
    progress(f"parsed {table.num_rows:,} rows")
    if invalid:
        _raise_invalid_rows(path, invalid, newlines)
    n = table.num_rows
    if n == 0:
        raise RawFormatError(f"{name}: line 2: no data rows after the header")

    findings: list[dict] = []
    # physical line of each row
    if newlines == n + 1:
        lines = np.arange(2, n + 2, dtype=np.int64)
    else:
        extra = _embedded_newlines(path, header)
        lines = 2 + np.arange(n, dtype=np.int64) + np.concatenate([[0], np.cumsum(extra)[:-1]])
        if int(lines[-1] + extra[-1]) != newlines:
            findings.append(finding(source, "line_numbers_approximate",
                                    "the file has blank lines, which the CSV parser skips: line numbers in "
                                    "source_ref may be off by the number of blank lines before them",
                                    severity="info", source_ref=f"{name}"))
        progress("mapped rows to lines (values contain line breaks)")

    last_value = table.column(header[-1])[-1].as_py() or ""
    if quotes % 2 and last_value.endswith("\n"):
        raise RawFormatError(f"{name}: line {int(lines[-1])}: truncated file: a quoted field opened on this line "
                             "is never closed and runs to the end of the file (the download was cut short, or a "
                             "quote is unbalanced)")

    def ref(row: int) -> str:
        return f"{name}:{int(lines[row])}"

    cols = {role: _column(table, col) for role, col in role_cols.items()}
    del table

    # roll calls: one per undl_id, in order of first appearance
    uid = cols["undl_id"]
    blank = np.flatnonzero(uid.values == "")
    if len(blank):
        raise RawFormatError(f"{name}: line {lines[uid.first_row_with(int(blank[0]))]}: blank undl_id")
    uniq, first = np.unique(uid.codes, return_index=True)
    order = np.argsort(first, kind="stable")
    first_rows = first[order]  # row of each roll call's first line
    rc_of_code = np.empty(len(uid.values), dtype=np.int64)
    rc_of_code[uniq[order]] = np.arange(len(order))
    rc_of_row = rc_of_code[uid.codes]
    n_rc = len(first_rows)
    undl_ids = uid.values[uid.codes[first_rows]]
    rc_refs = [ref(r) for r in first_rows]  # one per roll call

    # values that must agree within a roll call
    inconsistent: list[dict] = []
    for role in ("symbol", "date", "session", *_TOTAL_ROLES):
        if role not in cols:
            continue
        col = cols[role]
        differs = col.codes != col.codes[first_rows][rc_of_row]
        if differs.any():
            for row in np.flatnonzero(differs)[np.unique(rc_of_row[differs], return_index=True)[1]]:
                rc = rc_of_row[row]
                inconsistent.append(finding(
                    source, "undl_id_inconsistent",
                    f"undl_id {undl_ids[rc]}: {role_cols[role]} is {col.values[col.codes[row]]!r} on line "
                    f"{lines[row]} but {col.values[col.codes[first_rows[rc]]]!r} on line {lines[first_rows[rc]]}; "
                    "the first line's value is used", source_ref=ref(row)))
    _capped(findings, source, "undl_id_inconsistent", inconsistent, "rows whose roll-call fields differ")

    # votes
    vote = cols["vote"]
    lut = np.empty(len(vote.values), dtype=np.int64)
    for i, code in enumerate(vote.values):
        if code not in _VOTE_CODES:
            row = vote.first_row_with(i)
            raise RawFormatError(f"{name}: line {lines[row]}: unknown vote {code!r} in column {role_cols['vote']!r} "
                                 f"(expected Y, N, A, X or NV; undl_id {uid.values[uid.codes[row]]})")
        lut[i] = VOTE_VALUES.index(_VOTE_CODES[code])
    row_votes = np.asarray(VOTE_VALUES, dtype=object)[lut[vote.codes]]
    blank_votes = np.flatnonzero(vote.values == "")
    if len(blank_votes):
        is_blank = vote.codes == blank_votes[0]
        rows = np.flatnonzero(is_blank)
        findings.append(finding(
            source, "blank_vote",
            f"{len(rows):,} rows in {len(np.unique(rc_of_row[rows])):,} roll calls have a blank "
            f"{role_cols['vote']}; read as absent (non-voting). First on line {lines[rows[0]]}",
            source_ref=ref(rows[0]), listed=len(rows)))

    # dates
    date_col = cols["date"]
    date_values, bad = _parse_dates(date_col)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise RawFormatError(f"{name}: line {lines[date_col.first_row_with(i)]}: column {role_cols['date']!r}: "
                             f"{date_col.values[i]!r} is not a date (expected YYYY-MM-DD)")
    rc_dates = date_values[date_col.codes[first_rows]]
    missing_dates = [finding(source, "missing_date", f"undl_id {undl_ids[rc]}: blank {role_cols['date']}",
                             source_ref=rc_refs[rc]) for rc in np.flatnonzero(pd.isna(rc_dates))]

    # published totals
    totals = {}
    for role in _TOTAL_ROLES:
        col = cols[role]
        values, bad = _parse_totals(col)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise RawFormatError(f"{name}: line {lines[col.first_row_with(i)]}: column {role_cols[role]!r}: "
                                 f"{col.values[i]!r} is not a whole number")
        totals[role] = pd.array(values[col.codes[first_rows]], dtype="Float64").astype("Int64")

    # vote ids from the symbols (distinct symbols only)
    sym = cols["symbol"]
    rc_symbols = sym.values[sym.codes[first_rows]]
    prefix = "A/RES/" if body == "GA" else "S/RES/"
    canonical = {}
    for s in set(rc_symbols):
        try:
            c = normalize_symbol(s)
        except ValueError:
            c = None
        canonical[s] = c if c is not None and c.startswith(prefix) else None
    vote_ids = np.array([canonical[s] for s in rc_symbols], dtype=object)
    unparsed = [rc for rc in range(n_rc) if vote_ids[rc] is None]
    for rc in unparsed:
        shown = rc_symbols[rc] or "(no symbol)"
        vote_ids[rc] = f"{shown} [undl {undl_ids[rc]}]"
    _capped(findings, source, "unparsed_symbol", [
        finding(source, "unparsed_symbol",
                f"undl_id {undl_ids[rc]}: {role_cols['symbol']} {rc_symbols[rc]!r} is not a {body} resolution symbol; "
                f"kept as {vote_ids[rc]!r}", vote_id=vote_ids[rc], source_ref=rc_refs[rc]) for rc in unparsed],
        "unparsed symbols")
    # A symbol shared by several undl_ids keeps its plain id: the build compares the copies (after
    # reconciling names) and keeps the first, as for every source (build._dedupe_records).
    ids = pd.Series(vote_ids)
    dup = ids.duplicated(keep=False).to_numpy()
    dup_items = []
    if dup.any():
        for vid, group in pd.Series(np.flatnonzero(dup)).groupby(ids[dup].to_numpy()):
            rcs = group.to_numpy()
            dup_items.append(finding(
                source, "duplicate_symbol",
                f"{vid} is the symbol of {len(rcs)} roll calls (undl_id {', '.join(undl_ids[rcs])}); the build "
                "compares them and keeps the first", severity="info", vote_id=vid, source_ref=rc_refs[rcs[0]]))
    _capped(findings, source, "duplicate_symbol", dup_items, "symbols shared by several undl_ids")

    # sessions
    if body == "SC":
        sessions = np.full(n_rc, "", dtype=object)
    else:
        derived = np.array([session_of(v) for v in vote_ids], dtype=object)
        if "session" in cols:
            scol = cols["session"]
            normalized = np.array([_normalize_session(v) for v in scol.values], dtype=object)
            sessions = normalized[scol.codes[first_rows]]
            sessions = np.where(sessions == "", derived, sessions)
            mismatch = np.flatnonzero((derived != "") & (sessions != derived))
            _capped(findings, source, "session_mismatch", [
                finding(source, "session_mismatch",
                        f"{vote_ids[rc]}: session {sessions[rc]!r} but the symbol says {derived[rc]!r}; the "
                        "session column is kept", severity="info", vote_id=vote_ids[rc], source_ref=rc_refs[rc])
                for rc in mismatch], "sessions that differ from their symbol")
        else:
            sessions = derived
    _capped(findings, source, "missing_date", missing_dates, "roll calls without a date")

    progress("checked values")

    name_col, code_col = cols["name"], cols["code"]
    title_col, draft_col = cols["title"], cols["draft"]
    roll_calls = pd.DataFrame({
        "vote_id": vote_ids,
        "body": body,
        "date": rc_dates,
        "session": sessions,
        "title": title_col.values[title_col.codes[first_rows]],
        "draft": draft_col.values[draft_col.codes[first_rows]],
        "kind": "resolution",
        "part_of": "",
        **totals,
        "source": source,
        "source_ref": np.array(rc_refs, dtype=object),
    }, columns=ROLL_CALL_COLUMNS)

    # votes carry their roll call's source_ref: the build links them by it when a symbol repeats
    refs = np.array(rc_refs, dtype=object)[rc_of_row]
    votes = pd.DataFrame({
        "vote_id": vote_ids[rc_of_row],
        "country": name_col.values[name_col.codes],
        "country_code": code_col.values[code_col.codes],
        "vote": row_votes,
        "source_ref": refs,
    }, columns=VOTE_COLUMNS)
    progress(f"{n_rc:,} roll calls, {len(votes):,} votes, {len(findings)} findings")
    return SourceVotes(source=source, roll_calls=roll_calls, votes=votes, findings=findings)
