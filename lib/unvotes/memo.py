"""Results shared by the runs of one report build: a model section and the robustness section fit the same
specification tables (``models.specification_effects``, ``models.prior_sensitivity``); the bridged ideal points
(``dynamic_alignment.bridge_fit``: the points, their posterior draws and the roll calls) are shared the same way
by the alignment notebook and its tests.

Only the report runner turns this on, by naming a folder in ``UNVOTES_MEMO_DIR`` (``reports/executed/memo/
<inputs fingerprint>``). The folder's name is the fingerprint of everything a memoised function can read
(the package code, the curated tables and the processed data; see :func:`unvotes.report.inputs_fingerprint`),
so a result computed from other inputs is never found, and the runner deletes the folders of older inputs.
The test session does the same for its one built data folder (``tests/conftest.py``), so that the notebooks
and the tests of the models share their fits. Anywhere else (JupyterLab) the functions simply run. The key
also holds the processed and curated data folders read, so a call pointed at other folders never meets a
result of these; a call with a table as an argument is computed, not shared.

A memoised function must depend only on its arguments and those inputs, its arguments must pickle the same
way each time (strings, numbers, lists, dicts, None) and its result must pickle (a table, not a fitted model:
patsy's design objects do not). Two workers asking for the same result at once
do not both compute it: the second waits on a lock for the first's result. A result is stored with the
curated tables its computing process had opened, and a run that reuses it is credited with them
(:mod:`unvotes.tables.curated_reads`), so editing one of them re-executes that run too.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import inspect
import os
import pickle
from pathlib import Path

from unvotes.tables import curated_reads
from unvotes import paths

ENV = "UNVOTES_MEMO_DIR"


def shared(func):
    """Memoise ``func`` across the runs of a report build (a no-op unless :data:`ENV` names a folder)."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        folder = os.environ.get(ENV)
        if not folder:
            return func(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        if not all(_simple(v) for v in bound.arguments.values()):
            return func(*args, **kwargs)  # a table as an argument: computed, not shared
        # the data folders read are part of the key: a test that points them elsewhere never sees these results
        where = (str(paths.processed_dir()), str(paths.external_dir()))
        key = hashlib.sha256(pickle.dumps((func.__module__, func.__qualname__, where,
                                           sorted(bound.arguments.items())), protocol=4)).hexdigest()[:24]
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{func.__name__}-{key}.pkl"
        with open(folder / f".{path.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if path.is_file():
                read, result = pickle.loads(path.read_bytes())
                curated_reads.add(read)  # this run depends on the tables the result was computed from
                return result
            result = func(*args, **kwargs)
            with paths.atomic_paths(path) as (tmp,), open(tmp, "wb") as fh:
                pickle.dump((curated_reads.seen() or [], result), fh, protocol=pickle.HIGHEST_PROTOCOL)
            return result

    return wrapper


def _simple(value) -> bool:
    """Arguments that pickle the same way every time: numbers, text, None and lists, tuples, dicts of them."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_simple(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _simple(v) for k, v in value.items())
    return False
