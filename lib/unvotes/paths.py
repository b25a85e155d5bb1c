"""Where the project's data lives. One home for every path, so notebooks and tests agree."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming a mirror folder laid out as <mirror>/<source-id>/<file>.
MIRROR_ENV = "UNVOTES_MIRROR"
#: Environment variable overriding the data folder (tests point it at a temporary folder).
DATA_ENV = "UNVOTES_DATA"

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def setting(name: str, default: Path) -> Path:
    """The folder named by environment variable ``name`` (``default`` when unset or empty). A relative
    value is taken from the project root, not the working directory: the report's kernels run in
    notebooks/, and ``UNVOTES_DATA=data`` must mean the same folder there as in ``make`` or a test."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


def data_dir() -> Path:
    return setting(DATA_ENV, PROJECT_ROOT / "data")


def raw_dir() -> Path:
    return data_dir() / "raw"


def forecasts_dir() -> Path:
    """Where forecasts are stored: ``forecasts/`` in the repository (``UNVOTES_FORECASTS`` overrides it)."""
    return setting("UNVOTES_FORECASTS", PROJECT_ROOT / "forecasts")


def processed_dir() -> Path:
    return data_dir() / "processed"


#: The curated tables' folder inside the package: in a checkout a link to data/external (their one home, under
#: version control); an installed wheel holds a copy (pyproject.toml's package data).
CURATED_PACKAGE_DIR = "curated_data"


def external_dir() -> Path:
    """Hand-curated, version-controlled tables, read as the package's data (``importlib.resources``), so that an
    installed wheel finds them outside the checkout; in a checkout this resolves to ``data/external``."""
    from importlib.resources import files

    return Path(str(files("unvotes") / CURATED_PACKAGE_DIR)).resolve()


def mirror_dir() -> Path | None:
    return setting(MIRROR_ENV, None)
