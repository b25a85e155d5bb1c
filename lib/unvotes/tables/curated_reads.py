"""Which curated tables (``data/external``) a report run read, so that editing one table re-executes only
the runs that read it (:mod:`unvotes.report`).

The report's workers and their kernels call :func:`start` before their first run. From then on an audit
hook (:func:`sys.addaudithook`) notes every file under the curated folder that the process opens, whichever
library opens it (pandas, the csv module, ``Path.read_text``). The record is kept per process and never
cleared: a kernel reused for several runs keeps the package's caches (``functools.lru_cache``) of the
earlier ones, so a later run may use a table without opening it. Every run is therefore credited with all
the files its process has opened so far, a superset of what it used, which may re-execute a run needlessly
but never leaves one stale. A result shared through :mod:`unvotes.memo` carries the files its computing
process had opened, and a run that reuses it is credited with them.

Only opening a file counts. Listing the folder does not (the catalogue lists it for a cache key of
modification times); instead the names of the folder's files are part of every run's fingerprint, so adding
or removing a table re-executes every run.
"""

from __future__ import annotations

import os
import sys

_ROOT: str | None = None
_SEEN: set[str] = set()


def start(root) -> None:
    """Note, from now on, every file under ``root`` this process opens (idempotent; ``root`` fixed by the
    first call)."""
    global _ROOT
    if _ROOT is None:
        _ROOT = os.path.join(os.path.abspath(os.fspath(root)), "")
        sys.addaudithook(_on_event)


def _on_event(event: str, args: tuple) -> None:
    if event != "open" or _ROOT is None:
        return
    path = args[0]
    if isinstance(path, int):  # os.fdopen of a descriptor: its file was noted when opened
        return
    path = os.path.abspath(os.fsdecode(path))
    if path.startswith(_ROOT):
        _SEEN.add(path[len(_ROOT):].replace(os.sep, "/"))


def seen() -> list[str] | None:
    """The files (names relative to the root) opened so far, sorted; None if :func:`start` was not called."""
    return sorted(_SEEN) if _ROOT is not None else None


def add(names) -> None:
    """Credit this process with files another process opened to compute a result it reuses."""
    _SEEN.update(names)
