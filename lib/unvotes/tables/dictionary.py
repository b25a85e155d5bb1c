"""The one data dictionary: ``data/external/data_dictionary.csv`` documents every column of every processed table."""

from __future__ import annotations

import pandas as pd

from unvotes import paths
from unvotes.errors import DataFileError
from unvotes.tables.external import read_curated

DICTIONARY_FILE = "data_dictionary.csv"
COLUMNS = ["table", "column", "meaning", "unit", "year", "source", "citation"]


def load() -> pd.DataFrame:
    path = paths.external_dir() / DICTIONARY_FILE
    df = read_curated(DICTIONARY_FILE, COLUMNS)
    dup = df.duplicated(["table", "column"], keep=False)
    if dup.any():
        raise DataFileError(f"{path}: documented twice: {df.loc[dup, ['table', 'column']].values.tolist()}")
    return df


def undocumented(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, list[str]]]:
    """Columns missing from the dictionary, and dictionary entries for columns that no longer exist."""
    d = load()
    out = {}
    for name, frame in tables.items():
        documented = set(d.loc[d["table"] == name, "column"])
        missing, stale = sorted(set(frame.columns) - documented), sorted(documented - set(frame.columns))
        if missing or stale:
            out[name] = {"undocumented": missing, "stale": stale}
    return out
