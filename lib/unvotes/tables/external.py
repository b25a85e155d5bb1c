"""Reading the hand-curated tables of ``data/external/`` (version-controlled, cited per row)."""

from __future__ import annotations

import hashlib
import io

import pandas as pd

from unvotes import paths
from unvotes.errors import DataFileError


def read_curated(name: str, columns: list[str], derive=None) -> pd.DataFrame:
    """``data/external/<name>`` as text (empty cells are ""), after checking its header is exactly ``columns``.

    ``derive``: a function of the validated table and ``name`` alone (checks, parsed dates) whose result is kept
    with it, so that a table read many times is derived once (the catalogue, read for every claim's vote id; the
    dated tables, read for every covariate at every date)."""
    path = paths.external_dir() / name
    content = path.read_bytes()  # opened every time, so that curated_reads credits the run with it
    key = (str(path), hashlib.sha256(content).hexdigest(), tuple(columns), _codes_checked_against(name),
           None if derive is None else f"{derive.__module__}.{derive.__qualname__}")
    if key not in _VALIDATED:
        df = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
        if list(df.columns) != list(columns):
            raise DataFileError(f"{path}: columns {list(df.columns)}, expected {list(columns)}")
        from unvotes.tables.schemas import validate_curated  # every curated table is checked against its schema where it is read

        if len(_VALIDATED) >= _MOST_VALIDATED:
            _VALIDATED.pop(next(iter(_VALIDATED)))
        df = validate_curated(df, name, path)
        _VALIDATED[key] = df if derive is None else derive(df, name)
    return _VALIDATED[key].copy()


def _codes_checked_against(name: str) -> frozenset[str]:
    """The member codes a table's ``iso3`` is validated against (those of un_membership.csv, whose own schema
    checks only the pattern): part of the cache key, so that a table is checked again when they change."""
    from unvotes.tables import membership

    if name == membership.MEMBERSHIP_FILE:
        return frozenset()
    spells = membership.spells()  # cached: a new table only once its cache is cleared (tests that edit the file do)
    if _CODES[0] is not spells:
        _CODES[:] = [spells, membership.known_codes()]
    return _CODES[1]


_CODES: list = [None, frozenset()]  # the membership table last seen (held, so its identity stays its own) and its codes


#: Validated tables by path and content: parsing and checking a table against its schema costs ~40 ms, and some
#: callers read one table hundreds of times (the claims' check of each vote id read the catalogue 540 times, 25 s).
#: Keyed on the bytes, not the modification time, whose clock ticks are coarser than a test's two writes.
_VALIDATED: dict[tuple, pd.DataFrame] = {}
_MOST_VALIDATED = 64


def check_codes_and_sources(df: pd.DataFrame, name: str) -> None:
    """The two rules every cited table keeps: each ``iso3`` a code of ``un_membership.csv`` and each row a
    ``source``; an error names the file, the line, the column and the value, and what to do."""
    from unvotes.tables import membership

    path = paths.external_dir() / name
    known = membership.known_codes()
    for i, row in df.iterrows():
        where = f"{path}, line {i + 2}"
        if row["iso3"] not in known:
            raise DataFileError(f"{where}, column 'iso3': {row['iso3']!r} is not a code of data/external/"
                                "un_membership.csv; use the ISO 3166-1 alpha-3 code of a UN member state (COD for "
                                "DR Congo, COG for Congo)")
        if not str(row["source"]).strip():
            raise DataFileError(f"{where}, column 'source': {row['source']!r} is empty; every row cites its source")


def check_unique(df: pd.DataFrame, name: str, key: list[str]) -> None:
    """One row per ``key`` (e.g. state, variable and year): a second row, agreeing or not, is an error naming
    both lines and, where they conflict, the values, never "the first wins"."""
    path = paths.external_dir() / name
    repeated = df[df.duplicated(key, keep=False)]
    if repeated.empty:
        return
    problems = []
    for values, grp in repeated.groupby(key, sort=False):
        values = values if isinstance(values, tuple) else (values,)
        lines = [i + 2 for i in grp.index]
        what = ", ".join(f"{k}={v}" for k, v in zip(key, values))
        differ = [c for c in df.columns if c not in key and grp[c].nunique() > 1]
        detail = ("; they conflict in " + ", ".join(f"{c} ({' vs '.join(map(repr, grp[c]))})" for c in differ)
                  if differ else " (identical)")
        problems.append(f"lines {lines} are both {what}{detail}")
    raise DataFileError(f"{path}: one row per {', '.join(key)}: " + "; ".join(problems[:5])
                        + ". Keep the row its source supports and delete the other.")
