"""File locks that say who holds them: the processed tables' lock (:func:`tables_lock`) and the
report's (:class:`unvotes.report._Locked`) are both this one mechanism with their own message."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from unvotes import paths
from unvotes.errors import UnvotesError


class HolderLock:
    """A non-blocking ``flock`` on ``path`` whose file names the holder. ``exclusive`` holders replace the name;
    shared holders leave the first holder's. Whoever cannot have it gets ``refuse(holder)`` raised at once."""

    def __init__(self, path: Path, holder: str, *, refuse: Callable[[str], Exception], exclusive: bool = True):
        self.path, self.holder, self.refuse, self.exclusive = Path(path), holder, refuse, exclusive

    def __enter__(self):
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "a+")
        try:
            fcntl.flock(self.fh, (fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "another process"
            self.fh.close()
            raise self.refuse(holder) from None
        if self.exclusive:
            self.fh.seek(0)
            self.fh.truncate()
        self.fh.seek(0)
        if self.exclusive or not self.fh.read().strip():
            stamp = f"pid {os.getpid()}, started {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC"
            self.fh.write(f"{self.holder} ({stamp})" if self.holder else stamp)
            self.fh.flush()
        return self

    def __exit__(self, *exc):
        self.fh.close()  # closing releases the lock
        return False


class TablesBusy(UnvotesError):
    """A data build or a report holds the processed tables."""


def tables_lock(what: str, *, exclusive: bool, folder: Path | None = None):
    """One lock on the processed tables (``<processed>/.tables.lock``) for data builds and reports: a data
    build holds it alone (``exclusive``), reports share it, so a data build never rewrites the tables under a
    running report (which would publish a site of two data states) nor shares staging files with another
    data build. Whoever cannot have it is refused at once with a message naming the holder."""
    path = Path(folder or paths.processed_dir()) / ".tables.lock"
    return HolderLock(path, what, exclusive=exclusive, refuse=lambda holder: TablesBusy(
        f"the processed tables in {path.parent} are in use by {holder}; {what} cannot run at the same time (a data "
        "build replaces the tables a report reads). Wait for it to finish, or stop it, then try again"))
