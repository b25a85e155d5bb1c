"""Shared fixtures. Tests that need the raw-data mirror use ``built`` (the processed tables built once
per session into a temporary data folder, never touching the repository's data/)."""

from __future__ import annotations

import os
from pathlib import Path

# One BLAS thread per test worker, set before numpy loads: pytest-xdist already runs a worker per core, and
# competing thread pools slow the model fits several times (the report's workers do the same:
# unvotes.report.ONE_THREAD).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
# The hierarchical model samples with small, fast settings in tests (the report uses its full settings).
os.environ.setdefault("UNVOTES_SAMPLER", "fast")

import pytest  # noqa: E402

from unvotes import paths  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


#: The order in which `make test` starts the slow modules, longest first, with the seconds of one worker each
#: takes (7 December 2026: each module's share of a timed run, scaled to the 250 s that the whole suite took on two
#: workers of a quiet machine, so about 500 s of work in all). `make test` hands whole
#: modules to pytest-xdist's two workers in this order (--dist loadfile --no-loadscope-reorder; xdist's own
#: reordering puts modules with few tests, such as these, last), each worker taking the next module when its
#: queue runs short, so the long ones start at once on different workers and the quick ones fill in at the end.
#: The first module needs the processed tables, so its worker builds them (about 30 s); the second needs none,
#: so the other worker is busy meanwhile. Modules not listed follow in collection order (each under 10 s).
START_ORDER = [
    "test_notebooks_votes.py",   # 60 s of notebooks, after the tables' build
    "test_report_kernels.py",    # 23 s, no tables: report runs of the fixture notebooks
    "test_notebooks_models.py",  # 50 s (the hierarchical notebook's fit shared with test_hierarchical.py)
    "test_report_runs.py",       # 22 s, no tables
    "test_hierarchical.py",      # 10 s recovery on simulated data, then the real data's fit (26 s)
    "test_notebooks.py",         # 45 s (the Africa model's fits shared with test_africa_model.py)
    "test_any_vote.py",          # 35 s
    "test_integration.py",       # 19 s
    "test_site.py",              # 18 s
    "test_claims.py",            # 18 s
    "test_report_signals.py",    # 14 s, mostly waiting for signals
    "test_alignment.py",         # 14 s
    "test_models.py",            # 13 s
    "test_absence_movers.py",    # 12 s
    "test_escaping.py",          # 11 s
    "test_dated.py",             # 9 s
]


def pytest_collection_modifyitems(config, items):
    """Modules in :data:`START_ORDER`, then the other modules that execute notebooks (marked ``notebooks``:
    kernels, report runs, signals), then the rest; the order of tests within a module is kept."""
    rank = {name: i for i, name in enumerate(START_ORDER)}

    def key(item):
        name = item.path.name
        return rank.get(name, len(rank) + (item.get_closest_marker("notebooks") is None))

    items.sort(key=key)  # stable: the order within a module is kept


def _mirror() -> Path | None:
    m = paths.mirror_dir()
    return m if m is not None and (m / "dgacm-ga").is_dir() else None


@pytest.fixture(scope="session")
def mirror() -> Path:
    m = _mirror()
    if m is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the raw-data mirror: set {paths.MIRROR_ENV} (e.g. ../shared/data)")
        pytest.skip(f"no raw-data mirror: set {paths.MIRROR_ENV} to run the integration tests")
    return m


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory, mirror) -> Path:
    """A session-wide data folder with the processed tables built from the mirror. Built once per test run:
    the workers of pytest-xdist share it (the first builds it under a lock, the others wait), because the
    build is the largest fixed cost of the suite. Tests must not change it (copy it to change it)."""
    import fcntl

    from unvotes.tables import build

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # one folder per test run, shared by its workers
    d = root / "shared-data"
    old = os.environ.get(paths.DATA_ENV)
    os.environ[paths.DATA_ENV] = str(d)
    # Fits on these tables (specification tables, bridged ideal points) are computed once for the session's
    # tests and notebooks (unvotes.memo; its key holds the data folder, so other folders are never served).
    from unvotes import memo

    os.environ[memo.ENV] = str(root / "shared-memo")
    try:
        with open(root / "shared-data.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (d / "processed" / "build_info.json").is_file():
                d.mkdir(exist_ok=True)
                build.write_tables(build.build_tables(download=False, say=lambda *a: None))
        yield d
    finally:
        os.environ.pop(memo.ENV, None)
        if old is None:
            os.environ.pop(paths.DATA_ENV, None)
        else:
            os.environ[paths.DATA_ENV] = old


@pytest.fixture(scope="module")
def rendered(data_dir, tmp_path_factory):
    """Each notebook executed once with its defaults (several tests read the same output), all of a module in
    one kernel reset between notebooks, as the report's workers do."""
    from unvotes import report

    out_dir = tmp_path_factory.mktemp("rendered")
    cache = {}

    def render(notebook: Path) -> Path:
        if notebook not in cache:
            km = report._worker_kernel(notebook.parent, out_dir / "kernel.log")
            try:
                cache[notebook] = report.render(notebook, out_dir=out_dir, km=km)
            except BaseException:
                report._discard_kernel()
                raise
        return cache[notebook]
    yield render
    report._discard_kernel()


@pytest.fixture
def in_data_dir(data_dir, monkeypatch) -> Path:
    monkeypatch.setenv(paths.DATA_ENV, str(data_dir))
    return data_dir


@pytest.fixture
def external_copy(tmp_path, monkeypatch) -> Path:
    """A copy of data/external the package reads instead of the repository's (a test may break it)."""
    import shutil

    ext = tmp_path / "external"
    shutil.copytree(paths.external_dir(), ext)
    monkeypatch.setattr(paths, "external_dir", lambda: ext)
    return ext


@pytest.fixture
def empty_data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    return tmp_path


@pytest.fixture
def fixed_inputs(monkeypatch):
    """Hold the report's shared inputs' fingerprint still, so edits elsewhere in the checkout cannot re-run
    sections mid-test (the fingerprint itself is tested in test_report.py)."""
    from unvotes import report

    monkeypatch.setattr(report, "code_and_data_fingerprint", lambda: "fixed")


@pytest.fixture
def chromium() -> str:
    """Headless Chromium for the tests that open pages as a reader would; skipped without one, except in CI
    (UNVOTES_REQUIRE_BROWSER=1, set by .ci/run after installing it), where a missing browser fails."""
    from unvotes.site import browser

    try:
        return browser.find()
    except browser.BrowserError as exc:
        if os.environ.get("UNVOTES_REQUIRE_BROWSER"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
