"""The report plan runner: plans and their errors, fingerprints, parameter checks, errors that name their
cause, the real plan's shape. The tests that execute tiny plans are in test_report_runs.py, the tests of
Ctrl-C and a killed runner in test_report_signals.py (modules of their own, so that pytest-xdist runs these
slow tests on different workers)."""

import json
import os
import shutil
import re
from pathlib import Path

import pytest

from report_plans import GREETINGS, write_plan
from unvotes.tables import catalogue
from unvotes import paths, report
from unvotes.report import ReportError


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
    from unvotes.analyses import claims

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    monkeypatch.setenv(claims.SEEDS_ENV, str(seeds))
    (seeds / "000_article.txt").write_text("Headline")
    before = report.code_and_data_fingerprint()
    (seeds / "000_article.txt").write_text("Headline, corrected")  # the claims check reads the articles
    assert report.code_and_data_fingerprint() != before


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


def test_section_run_finds_the_page_that_shows_a_section(in_data_dir):
    # the rolling origin ignores the votes: it lives on the ES-11 pages of its group, which the others link to
    home = report.section_run("abstention_drivers.ipynb", {"votes": "ES-11", "group": "all"})
    assert home.id == "abstention-all-states-es11"
    assert report.section_run("abstention_drivers.ipynb", {"votes": "ES-11", "group": "African"}).id == \
        "abstention-african-group"
    assert report.section_run("abstention_drivers.ipynb", {"votes": "ES-11", "group": "AU"}) is None


def test_the_plan_types_no_count_of_votes_that_a_new_vote_would_make_false(in_data_dir):
    # the post-invasion set grows with every vote; a count typed into a title or summary goes stale
    _, runs = report.load_plan()
    post = next(r for r in runs if r.parameters.get("votes") == "post-invasion")
    assert not re.search(r"\b\d+ (complete )?(General Assembly )?votes", post.title + post.summary)
    assert not re.search(r"20\d\d-20\d\d", post.title)


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


def test_a_misspelled_parameter_is_an_error_before_anything_runs(tmp_path, fixed_inputs, capsys):
    plan = write_plan(tmp_path, GREETINGS.replace("{greeting: bonjour, repeat: 2}", "{greting: bonjour, repeat: 2}"))
    with pytest.raises(ReportError, match=r"section 2 \(greet-bonjour\): unknown parameter\(s\) 'greting' "
                                          r"\(did you mean 'greeting'\?\) for greet.ipynb; its parameters are "
                                          r"\['greeting', 'repeat'\]"):
        report.build(plan, tmp_path / "reports", jobs=1)
    assert not (tmp_path / "reports" / "executed").exists() or not list((tmp_path / "reports" / "executed").iterdir())
    with pytest.raises(ReportError, match="unknown parameter"):
        report.render(tmp_path / "greet.ipynb", {"grup": "African"}, out_dir=tmp_path / "out")
    # the command line prints the same message (a failing cell's error reaches it the same way)
    assert report.main(["--plan", str(plan), "--out", str(tmp_path / "reports"), "--jobs", "1"]) == 1
    assert "error: " in (err := capsys.readouterr().err) and "unknown parameter(s) 'greting'" in err


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
    assert report.notebook_parameters(notebooks / "ukraine_overview.ipynb") == ["themes", "drawn_out_group", "key_votes"]
    report.check_parameters(notebooks / "split_votes.ipynb", {"part": "", "related": []})


def test_the_fingerprint_covers_every_published_input(tmp_path, monkeypatch):
    """A stylesheet or any other static file of the site changes the shared fingerprint (and with it every
    run and the site); compiled caches do not. The installed site builders' versions change the site's."""
    package = tmp_path / "lib" / "unvotes"
    (package / "site" / "static").mkdir(parents=True)
    (package / "api.py").write_text("X = 1\n")
    css = package / "site" / "static" / "unvotes.css"
    css.write_text("body { color: black; }\n")
    monkeypatch.setattr(report.paths, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(report.paths, "processed_dir", lambda: tmp_path / "processed")
    before = report.code_and_data_fingerprint()
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "api.cpython-311.pyc").write_bytes(b"compiled")
    assert report.code_and_data_fingerprint() == before
    css.write_text("body { color: red; }\n")
    assert report.code_and_data_fingerprint() != before

    site = report.site_fingerprint([], {}, {"title": "T"}, "inputs")
    monkeypatch.setattr(report, "site_builder_versions", lambda: {"sphinx-book-theme": "0.0.1"})
    assert report.site_fingerprint([], {}, {"title": "T"}, "inputs") != site


def test_the_real_package_files_include_the_sites_stylesheet():
    files = {f.relative_to(paths.PROJECT_ROOT).as_posix() for f in report.package_files()}
    assert {"lib/unvotes/site/static/unvotes.css", "lib/unvotes/sources/sources.toml", "lib/unvotes/report.py"} <= files
    assert not [f for f in files if "__pycache__" in f]
    assert set(report.site_builder_versions()) == set(report.SITE_BUILDERS)
    assert "not installed" not in report.site_builder_versions().values()


def test_a_page_generator_error_is_reported_as_itself(tmp_path, empty_data_dir):
    """A failing page generator is reported with its own exception (it once ended in an AttributeError
    about the run's missing notebook)."""
    run = report.Run(id="votes", notebook=None, group="g", title="t", summary="s", pages="votes")
    cache = tmp_path / "executed"
    cache.mkdir()
    stderr = os.dup(2)  # the worker sends its stderr to the run's log; this test runs it in-process
    try:
        run_id, error, _ = report._execute(run, cache, "fingerprint", paths.external_dir(), {})
    finally:
        os.dup2(stderr, 2)
        os.close(stderr)
    assert run_id == "votes"
    assert error.startswith("votes (page generator 'votes'): UnvotesError: ")
    assert "roll_calls.parquet does not exist: build the processed tables first" in error


def test_relative_settings_are_taken_from_the_project_root(tmp_path, monkeypatch):
    """The report's kernels run in notebooks/: UNVOTES_DATA=data must mean <root>/data there too."""
    from unvotes.analyses import claims

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(paths.DATA_ENV, "data")
    monkeypatch.setenv(paths.MIRROR_ENV, "../shared/data")
    monkeypatch.setenv("UNVOTES_REPORTS", "reports")
    monkeypatch.setenv(claims.SEEDS_ENV, "seeds")
    root = paths.PROJECT_ROOT
    assert paths.data_dir() == root / "data" and paths.processed_dir() == root / "data" / "processed"
    assert paths.mirror_dir() == (root / ".." / "shared" / "data").resolve()
    assert report.reports_dir() == root / "reports" and claims.seeds_dir() == root / "seeds"
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "elsewhere"))  # an absolute path is used as it is
    assert paths.data_dir() == tmp_path / "elsewhere"
    monkeypatch.setenv(paths.MIRROR_ENV, " ")
    assert paths.mirror_dir() is None


def test_every_notebook_checks_papermills_parameters_in_its_first_code_cell():
    """report.check_injected_parameters reads the kernel's input history, so it must run in the code cell
    right after papermill's injected one, which papermill puts right after the parameters cell."""
    for notebook in sorted(Path(report.PLAN_FILE).parent.glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        at = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
        first = next(c for c in cells[at + 1:] if c["cell_type"] == "code")
        assert "check_injected_parameters()" in "".join(first["source"]), notebook.name


def test_injected_parameters_are_checked_against_the_parameters_cell(monkeypatch):
    """The kernel-side check, on the input histories papermill leaves (see also the raw papermill run in
    test_report_runs.py)."""
    from types import SimpleNamespace

    import IPython

    def history(*inputs):
        shell = SimpleNamespace(history_manager=SimpleNamespace(input_hist_raw=["", *inputs]))
        monkeypatch.setattr(IPython, "get_ipython", lambda: shell)

    defaults, this_cell = "# Parameters (papermill overrides these)\ngroup = 'all'  # a group\nvotes = 'ES-11'\n", "check()"
    history(defaults, "# Parameters\ngroup = \"African\"\n", this_cell)
    report.check_injected_parameters()
    history(defaults, this_cell)  # no parameters given: papermill injects nothing
    report.check_injected_parameters()
    history(defaults, "# Parameters\ngrup = \"African\"\nvotes = \"ES-11\"\n", this_cell)
    with pytest.raises(ReportError, match=r"unknown parameter\(s\) 'grup' \(did you mean 'group'\?\).*"
                                          r"its parameters are \['group', 'votes'\]"):
        report.check_injected_parameters()
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # plain Python: nothing to check
    report.check_injected_parameters()
