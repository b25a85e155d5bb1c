"""Reading the hand-curated tables of ``data/external/`` (version-controlled, cited per row)."""

from __future__ import annotations

import pandas as pd

from unvotes import paths
from unvotes.errors import DataFileError


def read_curated(name: str, columns: list[str]) -> pd.DataFrame:
    """``data/external/<name>`` as text (empty cells are ""), after checking its header is exactly ``columns``."""
    path = paths.external_dir() / name
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(df.columns) != list(columns):
        raise DataFileError(f"{path}: columns {list(df.columns)}, expected {list(columns)}")
    from unvotes.tables.schemas import validate_curated  # every curated table is checked against its schema where it is read

    return validate_curated(df, name, path)


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
