"""The report runner's reused kernels: a run is credited with the curated tables its kernel read (also
through a cache an earlier run filled), and a run sees none of the state an earlier run left behind. The
other report tests: test_report.py, test_report_runs.py, test_report_signals.py."""

import json

import pytest

from report_plans import FAILING, write_plan
from unvotes import report
from unvotes.report import ReportError

pytestmark = pytest.mark.notebooks


def test_editing_a_curated_table_re_executes_only_the_runs_that_read_it(tmp_path, fixed_inputs, external_copy,
                                                                       monkeypatch):
    """A run is credited with every curated table its process opened so far: the third run below reads
    a.csv from a cache the second run filled in the same kernel, without opening it, and must still re-run
    when a.csv changes. Which runs execute is the point here, so the site is not built (publication is
    tested above): the executed notebooks in the cache are what the site would show."""
    monkeypatch.setattr(report, "_publish", lambda *args: None)
    curated = external_copy
    for name in ("a.csv", "b.csv"):
        (curated / name).write_text(f"x\n{name}\n")
    plan = write_plan(tmp_path, "".join(f"""
  - id: {run_id}
    notebook: reads.ipynb
    group: Reads
    title: {run_id}
    summary: Reads curated tables.
    parameters: {{folder: '{curated}', {parameters}}}
""" for run_id, parameters in [("opens-b", "opened: [b.csv]"), ("opens-a", "cached: [a.csv]"),
                               ("cached-a", "cached: [a.csv]")]))
    out = tmp_path / "reports"
    cache = out / "executed"

    def executed_by(build) -> set[str]:
        before = {p.stem: p.stat().st_mtime_ns for p in cache.glob("*.ipynb")}
        build()
        return {p.stem for p in cache.glob("*.ipynb") if before.get(p.stem) != p.stat().st_mtime_ns}

    assert executed_by(lambda: report.build(plan, out, jobs=1)) == {"opens-a", "opens-b", "cached-a"}
    record = json.loads((cache / "cached-a.json").read_text())
    assert sorted(record["curated"]) == ["a.csv", "b.csv"]  # everything its kernel had opened before it
    assert "READ:a.csv" in (cache / "cached-a.ipynb").read_text()

    (curated / "a.csv").write_text("x\nedited\n")
    assert executed_by(lambda: report.build(plan, out, jobs=1)) == {"opens-a", "cached-a"}
    assert "READ:edited" in (cache / "cached-a.ipynb").read_text()
    (curated / "b.csv").write_text("x\nedited\n")  # the re-executed cached-a opened only a.csv
    assert executed_by(lambda: report.build(plan, out, jobs=1)) == {"opens-b"}
    assert executed_by(lambda: report.build(plan, out, jobs=1)) == set()
    (curated / "c.csv").write_text("x\n")  # a new table: any run might look for it
    assert executed_by(lambda: report.build(plan, out, jobs=1)) == {"opens-a", "opens-b", "cached-a"}


def test_a_reused_kernel_gives_each_run_a_clean_state(tmp_path, fixed_inputs):
    """One worker runs every section in one kernel: names, pandas display options and figures of a run
    must not reach the next, and a failed run must not break the ones after it."""
    sections = FAILING + "".join(f"""
  - id: leak-{label}
    notebook: leak.ipynb
    group: Leaks
    title: {label}
    summary: Checks for leaked state.
    parameters: {{label: {label}}}
""" for label in ("one", "two", "three"))
    plan = write_plan(tmp_path, sections)
    with pytest.raises(ReportError, match="1 of 4 report runs failed"):
        report.build(plan, tmp_path / "reports", jobs=1)
    cache = tmp_path / "reports" / "executed"
    for label in ("one", "two", "three"):
        assert f"CLEAN:{label}" in (cache / f"leak-{label}.ipynb").read_text()
