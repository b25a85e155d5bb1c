"""Reading the hand-curated tables of ``data/external/`` (version-controlled, cited per row)."""

from __future__ import annotations

import pandas as pd

from . import paths
from .errors import DataFileError


def read_curated(name: str, columns: list[str]) -> pd.DataFrame:
    """``data/external/<name>`` as text (empty cells are ""), after checking its header is exactly ``columns``."""
    path = paths.external_dir() / name
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(df.columns) != list(columns):
        raise DataFileError(f"{path}: columns {list(df.columns)}, expected {list(columns)}")
    return df
