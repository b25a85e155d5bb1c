"""The report plan runner: a tiny plan (two runs of one notebook, a failing notebook), skip-if-unchanged,
all-or-nothing publication, clear errors for bad plans; and the real plan's shape."""

import json
import re
import shutil
from pathlib import Path

import pytest

from unvotes import catalogue, report
from unvotes.report import ReportError

FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
pytestmark = pytest.mark.notebooks


def write_plan(folder: Path, sections: str) -> Path:
    for nb in [*FIXTURE_NOTEBOOKS.glob("*.ipynb"), *FIXTURE_NOTEBOOKS.glob("*.py")]:
        shutil.copy(nb, folder / nb.name)
    plan = folder / "plan.yaml"
    plan.write_text("title: Tiny report\ndescription: For tests.\nsections:\n" + sections)
    return plan


GREETINGS = """
  - id: greet-hello
    notebook: greet.ipynb
    group: Greetings
    title: Hello
    summary: Says hello.
  - id: greet-bonjour
    notebook: greet.ipynb
    group: Greetings
    title: Bonjour
    summary: Says bonjour twice.
    parameters: {greeting: bonjour, repeat: 2}
"""
FAILING = """
  - id: broken
    notebook: fails.ipynb
    group: Broken
    title: Broken
    summary: Always fails.
"""


def resolves(site: Path, page: str) -> list[str]:
    """Links and images of ``page`` that do not resolve to a file in ``site`` (data: URIs are inline)."""
    text = (site / page).read_text()
    targets = re.findall(r"""(?:href|src)=['"]([^'"#?]+)""", text)
    return [t for t in targets if not t.startswith(("data:", "http://", "https://")) and not (site / t).is_file()]


@pytest.fixture
def fixed_inputs(monkeypatch):
    """Hold the shared inputs' fingerprint still, so edits elsewhere in the checkout cannot re-run sections
    mid-test (the fingerprint itself is tested below)."""
    monkeypatch.setattr(report, "code_and_data_fingerprint", lambda: "fixed")


def test_tiny_plan_publishes_sections_and_index_then_skips_unchanged_runs(tmp_path, fixed_inputs):
    plan = write_plan(tmp_path, GREETINGS)
    out = tmp_path / "reports"
    first = report.build(plan, out, jobs=2)
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


def test_a_failing_run_fails_with_the_cell_error_and_keeps_the_published_report(tmp_path, capsys, fixed_inputs):
    plan = write_plan(tmp_path, GREETINGS)
    out = tmp_path / "reports"
    report.build(plan, out, jobs=1)
    published = {p: p.read_bytes() for p in (out / "html").rglob("*") if p.is_file()}

    plan.write_text(plan.read_text() + FAILING)
    with pytest.raises(ReportError) as err:
        report.build(plan, out, jobs=2)
    message = str(err.value)
    assert "1 of 1 report runs failed" in message  # the two greetings were current and not re-run
    assert "broken (fails.ipynb" in message and "ValueError: deliberate failure" in message and "cell 3 raised" in message  # 3 = after the injected parameters
    assert {p: p.read_bytes() for p in (out / "html").rglob("*") if p.is_file()} == published
    assert (out / "executed" / "broken.failed.ipynb").is_file()
    assert not list((out).glob(".html.staging-*"))

    assert report.main(["--plan", str(plan), "--out", str(out), "--jobs", "1"]) == 1
    assert "ValueError: deliberate failure" in capsys.readouterr().err


def test_inputs_fingerprint_follows_the_processed_data_but_not_the_build_time(tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    processed.mkdir()
    monkeypatch.setattr(report.paths, "processed_dir", lambda: processed)
    (processed / "votes.parquet").write_bytes(b"one")
    (processed / "build_info.json").write_text('{"built_at": "2026-01-01", "package_version": "1"}')
    first = report.inputs_fingerprint()
    (processed / "build_info.json").write_text('{"built_at": "2026-02-02", "package_version": "1"}')
    assert report.inputs_fingerprint() == first
    (processed / "votes.parquet").write_bytes(b"two")
    assert report.inputs_fingerprint() != first
    from unvotes import claims

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    monkeypatch.setenv(claims.SEEDS_ENV, str(seeds))
    (seeds / "000_article.txt").write_text("Headline")
    before = report.code_and_data_fingerprint()
    (seeds / "000_article.txt").write_text("Headline, corrected")  # the claims check reads the articles
    assert report.code_and_data_fingerprint() != before


def test_editing_a_curated_table_re_executes_only_the_runs_that_read_it(tmp_path, fixed_inputs, external_copy):
    """A run is credited with every curated table its process opened so far: the third run below reads
    a.csv from a cache the second run filled in the same kernel, without opening it, and must still re-run
    when a.csv changes."""
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
    assert "READ:edited" in (out / "html" / "cached-a.html").read_text()
    (curated / "b.csv").write_text("x\nedited\n")  # the re-executed cached-a opened only a.csv
    assert executed_by(lambda: report.build(plan, out, jobs=1)) == {"opens-b"}
    assert executed_by(lambda: report.build(plan, out, jobs=1)) == set()
    (curated / "c.csv").write_text("x\n")  # a new table: any run might look for it
    assert executed_by(lambda: report.build(plan, out, jobs=1)) == {"opens-a", "opens-b", "cached-a"}


@pytest.mark.parametrize("sections, expected", [
    ("  - {id: a, notebook: greet.ipynb, group: g, title: t, summary: s, colour: red}", "unknown keys ['colour']"),
    ("  - {id: a, notebook: greet.ipynb, group: g, title: t}", "missing keys ['summary']"),
    ("  - {id: a, notebook: nowhere.ipynb, group: g, title: t, summary: s}", "nowhere.ipynb does not exist"),
    ("  - {id: a, notebook: greet.ipynb, group: g, title: t, summary: s}\n"
     "  - {id: a, notebook: greet.ipynb, group: g, title: u, summary: s}", "duplicated: ['a']"),
    ("  - {id: A_1, notebook: greet.ipynb, group: g, title: t, summary: s}", "bad: ['A_1']"),
    ("  - {id: a, notebook: greet.ipynb, group: g, title: t, summary: s, for_each: everything}",
     "for_each 'everything' is not supported"),
    ("  - {id: 'a-{missing}', notebook: greet.ipynb, group: g, title: t, summary: s}", "cannot fill 'a-{missing}'"),
])
def test_bad_plans_are_refused_with_the_reason(tmp_path, sections, expected):
    plan = write_plan(tmp_path, sections + "\n")
    with pytest.raises(ReportError) as err:
        report.load_plan(plan)
    assert expected in str(err.value) and str(plan) in str(err.value)


def test_the_real_plan_has_the_page_generators_and_every_notebook(in_data_dir):
    header, runs = report.load_plan()
    assert header["title"].startswith("How UN member states vote")
    assert {r.pages for r in runs if r.pages} == {"votes", "states", "data"}
    notebooks = {p.name for p in (Path(report.PLAN_FILE).parent).glob("*.ipynb")}
    planned = {r.notebook.name for r in runs if r.notebook} | set(header["interactive_notebooks"])
    assert notebooks == planned, "every notebook is a section of the report or listed as interactive only"


def test_for_each_fills_one_run_per_catalogued_vote(tmp_path, in_data_dir):
    (tmp_path / "profile.ipynb").write_bytes((Path(report.PLAN_FILE).parent / "resolution_profile.ipynb").read_bytes())
    plan = tmp_path / "plan.yaml"
    plan.write_text("title: T\nsections:\n  - {id: 'profile-{slug}', notebook: profile.ipynb, for_each: catalogue, "
                    "group: g, title: '{vote_id}', summary: '{result}', parameters: {vote_id: '{vote_id}', "
                    "compare_with: '{compare_with}'}}\n")
    profiles = {r.parameters["vote_id"]: r for r in report.load_plan(plan)[1]}
    assert sorted(profiles) == sorted(catalogue.ids())
    assert profiles["A/RES/ES-11/4"].id == "profile-a-res-es-11-4"
    assert profiles["A/RES/ES-11/4"].parameters["compare_with"] == "A/RES/ES-11/1"
    assert "adopted, 143-5-35 (yes-no-abstain)" in profiles["A/RES/ES-11/4"].summary
    assert "adopted, 100-11-58 (yes-no-abstain; totals as reported" in profiles["A/RES/68/262"].summary
    assert "not adopted: vetoed by Russia, 11-1-3" in profiles["S/2022/155"].summary
    assert "not adopted: too few votes in favour, 2-3-10" in profiles["S/2022/821"].summary


def test_a_section_is_a_notebook_or_a_page_generator(tmp_path):
    for section, expected in (("{id: a, pages: votes, notebook: greet.ipynb, group: g, title: t, summary: s}", "not both"),
                              ("{id: a, pages: everything, group: g, title: t, summary: s}", "page generators are")):
        plan = write_plan(tmp_path, f"  - {section}\n")
        with pytest.raises(ReportError, match=expected):
            report.load_plan(plan)


def test_screenshot_checks_a_page_is_not_blank_and_needs_no_other_host(tmp_path, chromium):
    """``make screenshot``'s check (the site's own pages are opened in test_site.py)."""
    page = tmp_path / "page.html"
    text = "".join(f"<p style='color:hsl({i * 7},70%,40%)'>Line {i}: how the world voted.</p>" for i in range(40))
    page.write_text(f"<!DOCTYPE html><html><head><title>T</title></head><body>{text}</body></html>")
    shot = report.screenshot(page, tmp_path / "page.png")
    assert shot["distinct_colours"] >= 50 and shot["bytes"] > 10_000
    page.write_text(f"<!DOCTYPE html><html><body>{text}<img src='https://example.org/x.png'></body></html>")
    with pytest.raises(ReportError, match=r"requests files from other hosts.*https://example.org/x.png"):
        report.screenshot(page, tmp_path / "page.png")


def test_screenshot_of_a_missing_page_says_to_build_the_report(tmp_path):
    with pytest.raises(ReportError, match="run `make report` first"):
        report.screenshot(tmp_path / "nowhere.html")


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


def test_a_misspelled_parameter_is_an_error_before_anything_runs(tmp_path, fixed_inputs):
    plan = write_plan(tmp_path, GREETINGS.replace("{greeting: bonjour, repeat: 2}", "{greting: bonjour, repeat: 2}"))
    with pytest.raises(ReportError, match=r"section 2 \(greet-bonjour\): unknown parameter\(s\) 'greting' "
                                          r"\(did you mean 'greeting'\?\) for greet.ipynb; its parameters are "
                                          r"\['greeting', 'repeat'\]"):
        report.build(plan, tmp_path / "reports", jobs=1)
    assert not (tmp_path / "reports" / "executed").exists() or not list((tmp_path / "reports" / "executed").iterdir())
    with pytest.raises(ReportError, match="unknown parameter"):
        report.render(tmp_path / "greet.ipynb", {"grup": "African"}, out_dir=tmp_path / "out")


def test_the_fingerprint_ignores_where_the_raw_files_came_from(in_data_dir, tmp_path, monkeypatch):
    import json

    shutil.copytree(in_data_dir / "processed", tmp_path / "processed")  # the shared tables stay as they are
    monkeypatch.setenv(report.paths.DATA_ENV, str(tmp_path))
    info = tmp_path / "processed" / "build_info.json"
    before = report.inputs_fingerprint()
    meta = json.loads(info.read_text())
    for source in meta["sources"]:
        source["origin"] = "raw" if source["origin"] != "raw" else "mirror"
    meta["built_at"] = "2030-01-01T00:00:00+00:00"
    info.write_text(json.dumps(meta))
    assert report.inputs_fingerprint() == before


SLOW = "".join(f"""
  - id: slow-{i}
    notebook: slow.ipynb
    group: Slow
    title: Slow {i}
    summary: Sleeps.
""" for i in range(4))


def _session_processes(sid: int) -> list[str]:
    import subprocess

    ps = subprocess.run(["ps", "-eo", "pid=,sid=,args="], capture_output=True, text=True).stdout.splitlines()
    # a zombie (exited, not yet reaped by the container's init) is not a process left running
    return [line for line in ps if line.split()[1] == str(sid) and "<defunct>" not in line]


def _start_report(plan: Path, out: Path):
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "unvotes.report", "--plan", str(plan), "--out", str(out),
                             "--jobs", "2"], start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not list((out / "executed").glob("kernel-*.log")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # the kernels are running the slow cells now
    return proc


def test_ctrl_c_stops_the_report_within_seconds_and_leaves_no_process(tmp_path, fixed_inputs):
    import os
    import signal
    import time

    plan = write_plan(tmp_path, SLOW)
    out = tmp_path / "reports"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("the report published before")
    published = {p.name: p.read_bytes() for p in (out / "html").iterdir()}
    proc = _start_report(plan, out)
    interrupted = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - interrupted < 15
    assert proc.returncode == 130 and "interrupted: the runs were stopped" in err
    assert {p.name: p.read_bytes() for p in (out / "html").iterdir()} == published
    assert not list((out / "executed").glob("slow-*.failed.ipynb"))  # an interrupted run is not a failed one
    time.sleep(1)
    assert _session_processes(proc.pid) == []


def test_a_killed_report_leaves_no_orphan_workers_or_kernels(tmp_path, fixed_inputs):
    import os
    import signal
    import time

    plan = write_plan(tmp_path, SLOW)
    proc = _start_report(plan, tmp_path / "reports")
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as the OOM killer would
    proc.communicate(timeout=10)
    deadline = time.monotonic() + 15
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _session_processes(proc.pid) == []


def test_a_second_report_build_says_another_is_running(tmp_path, fixed_inputs):
    plan = write_plan(tmp_path, GREETINGS)
    out = tmp_path / "reports"
    with report._Locked(out):
        with pytest.raises(ReportError, match=r"another report build is running in .*\(pid \d+, started"):
            report.build(plan, out, jobs=1)
    with report._Locked(out):  # released: the next one may run
        pass


def test_only_that_matches_nothing_is_an_error(tmp_path, fixed_inputs):
    plan = write_plan(tmp_path, GREETINGS)
    with pytest.raises(ReportError, match=r"--only 'greet-hola' matches no run id; run ids: greet-hello, greet-bonjour"):
        report.build(plan, tmp_path / "reports", jobs=1, only="greet-hola")


def test_parameters_with_comments_are_known():
    """papermill's inspection skips a default followed by a comment; the check must not reject it."""
    notebooks = Path(report.PLAN_FILE).parent
    assert "sequence" in report.notebook_parameters(notebooks / "shifts.ipynb")
    assert report.notebook_parameters(notebooks / "ukraine_overview.ipynb") == ["themes", "drawn_out_group"]
    report.check_parameters(notebooks / "split_votes.ipynb", {"part": "", "related": []})
