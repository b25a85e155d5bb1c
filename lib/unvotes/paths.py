"""Where the project's data lives. One home for every path, so notebooks and tests agree."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming a mirror folder laid out as <mirror>/<source-id>/<file>.
MIRROR_ENV = "UNVOTES_MIRROR"
#: Environment variable overriding the data folder (tests point it at a temporary folder).
DATA_ENV = "UNVOTES_DATA"

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get(DATA_ENV, PROJECT_ROOT / "data"))


def raw_dir() -> Path:
    return data_dir() / "raw"


def processed_dir() -> Path:
    return data_dir() / "processed"


def external_dir() -> Path:
    """Hand-curated, version-controlled tables (always the repository's own)."""
    return PROJECT_ROOT / "data" / "external"


def mirror_dir() -> Path | None:
    value = os.environ.get(MIRROR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None
