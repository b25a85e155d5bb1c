"""The report runner executing tiny plans over the fixture notebooks: publication of sections and index,
skip-if-unchanged, all-or-nothing publication on a failing run; and a raw papermill run that rejects a
misspelled parameter.

The other report tests are in test_report.py (plans, fingerprints, errors), test_report_kernels.py (what a
worker's kernel carries from run to run) and test_report_signals.py (Ctrl-C, a killed runner): modules of
their own, so that pytest-xdist runs these slow tests on different workers."""

import re
import shutil
from pathlib import Path

import pytest

from report_plans import FAILING, FIXTURE_NOTEBOOKS, GREETINGS, write_plan
from unvotes import report
from unvotes.report import ReportError

pytestmark = pytest.mark.notebooks


def resolves(site: Path, page: str) -> list[str]:
    """Links and images of ``page`` that do not resolve to a file in ``site`` (data: URIs are inline)."""
    text = (site / page).read_text()
    targets = re.findall(r"""(?:href|src)=['"]([^'"#?]+)""", text)
    return [t for t in targets if not t.startswith(("data:", "http://", "https://")) and not (site / t).is_file()]


@pytest.fixture(scope="module")
def greetings_built(tmp_path_factory):
    """The two greetings built and published once (two runs on two workers); tests copy the folder and
    continue from it. Returns (folder with plan.yaml and reports/, the build's counts)."""
    folder = tmp_path_factory.mktemp("greetings")
    plan = write_plan(folder, GREETINGS)
    with pytest.MonkeyPatch.context() as mp:  # as fixed_inputs does
        mp.setattr(report, "code_and_data_fingerprint", lambda: "fixed")
        counts = report.build(plan, folder / "reports", jobs=2)
    return folder, counts


def copy_of(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of a built plan's folder: (its plan, its reports folder)."""
    folder = tmp_path / "built"
    shutil.copytree(built, folder)
    return folder / "plan.yaml", folder / "reports"


def test_tiny_plan_publishes_sections_and_index_then_skips_unchanged_runs(tmp_path, fixed_inputs, greetings_built):
    plan, out = copy_of(greetings_built[0], tmp_path)
    first = greetings_built[1]
    site = out / "html"
    assert first == {**first, "runs": 2, "executed": 2, "skipped": 0}
    assert {"index.html", "greet-hello.html", "greet-bonjour.html", "search.html", "searchindex.js"} <= \
        {p.name for p in site.iterdir()}
    index = (site / "index.html").read_text()
    assert "<title>Tiny report" in index and "For tests." in index and "Built " in index
    sidebar = list(dict.fromkeys(re.findall(r'href="(greet-[a-z]+\.html)"', index)))
    assert sidebar == ["greet-hello.html", "greet-bonjour.html"]  # the plan's order, under its group
    assert "Greetings" in index
    assert resolves(site, "index.html") == [] and resolves(site, "greet-bonjour.html") == []
    bonjour = (site / "greet-bonjour.html").read_text()
    assert "<title>Bonjour" in bonjour and "Says bonjour twice." in bonjour  # the plan's title, not the notebook's
    assert "GREETING:bonjour GREETING:bonjour" in bonjour
    assert "display(Markdown" not in bonjour and "import " not in bonjour  # no code cells
    assert "Traceback" not in bonjour
    assert not re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""", bonjour)  # nothing from a CDN

    again = report.build(plan, out, jobs=2)
    assert again["executed"] == 0 and again["skipped"] == 2
    assert (site / "index.html").read_text() == index  # nothing changed: the site is not rebuilt

    plan.write_text(plan.read_text().replace("{greeting: bonjour, repeat: 2}", "{greeting: salut, repeat: 2}"))
    changed = report.build(plan, out, jobs=2)
    assert changed["executed"] == 1
    assert "GREETING:salut" in (site / "greet-bonjour.html").read_text()


def test_a_failing_run_fails_with_the_cell_error_and_keeps_the_published_report(tmp_path, fixed_inputs, greetings_built):
    plan, out = copy_of(greetings_built[0], tmp_path)
    published = {p: p.read_bytes() for p in (out / "html").rglob("*") if p.is_file()}

    plan.write_text(plan.read_text() + FAILING)
    with pytest.raises(ReportError) as err:
        report.build(plan, out, jobs=2)
    message = str(err.value)
    assert "1 of 1 report runs failed" in message  # the two greetings were current and not re-run
    assert "broken (fails.ipynb" in message and "ValueError: deliberate failure" in message and "cell 4 of fails.ipynb (execution count 3) raised" in message  # the file's 4th cell
    assert {p: p.read_bytes() for p in (out / "html").rglob("*") if p.is_file()} == published
    assert (out / "executed" / "broken.failed.ipynb").is_file()
    assert not list((out).glob(".html.staging-*"))


def test_raw_papermill_rejects_a_misspelled_parameter_in_the_first_cell(tmp_path):
    """papermill only logs an unknown ``-p`` name and runs the defaults; the notebook's first code cell
    (report.check_injected_parameters) makes it an error naming the close match."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match=r"unknown parameter\(s\) 'grting' \(did you mean 'greeting'\?\)"):
        pm.execute_notebook(str(FIXTURE_NOTEBOOKS / "greet.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"grting": "hi"}, progress_bar=False, kernel_name="python3",
                            cwd=str(FIXTURE_NOTEBOOKS))
