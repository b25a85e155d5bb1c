"""Where the project's data lives. One home for every path, so notebooks and tests agree."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
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


#: Environment variable naming the folder of the seed articles (default: ../shared/seeds beside the repo).
SEEDS_ENV = "UNVOTES_SEEDS"


def seeds_dir() -> Path:
    """The news articles the claims check reads (outside the checkout)."""
    return setting(SEEDS_ENV, PROJECT_ROOT.parent / "shared" / "seeds")


# ---------------------------------------------------------------- writing a file whole or not at all

@contextlib.contextmanager
def atomic_paths(*targets: Path) -> Iterator[list[Path]]:
    """Temporary files beside each of ``targets`` (``.<name>.<random>.part``, which a build may clear as leftovers),
    for the block to write; when it ends without an error they replace their targets, in order; on any error
    (Ctrl-C included) they are removed and every target is left as it was, so a reader never sees half a file.
    Each file gets the mode the user's umask gives a new file (mkstemp's own 0600 is for secrets)."""
    staged: list[Path] = []
    try:
        for target in map(Path, targets):
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            os.close(fd)
            staged.append(Path(tmp))
        yield list(staged)
        mode = 0o666 & ~_umask()
        for tmp, target in zip(staged, map(Path, targets)):
            os.chmod(tmp, mode)
            os.replace(tmp, target)
    finally:
        for tmp in staged:
            tmp.unlink(missing_ok=True)


def write_atomic(target: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``target`` whole or not at all (:func:`atomic_paths`)."""
    with atomic_paths(target) as (tmp,):
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")


def _umask() -> int:
    current = os.umask(0o022)  # reading the umask means setting it: set it back at once
    os.umask(current)
    return current
