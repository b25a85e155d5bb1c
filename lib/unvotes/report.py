"""The published report: run every section of the report plan, then publish the site built from the runs.

``python -m unvotes.report`` (``make report``) reads ``notebooks/report_plan.yaml``. Each section of the
plan is one notebook with one parameter set (or, with ``for_each: catalogue``, one run per catalogued
Ukraine vote whose roll call is in the data), or a page generator (``pages``) that writes many pages in one
process. Every run is executed in a pool of worker processes (one per core; a notebook by papermill in the
worker's one kernel, reset between runs, which cut the cold build by about a third) and kept in
``reports/executed/`` (the executed notebook, or the folder of pages) with a fingerprint of its inputs: the
notebook, its parameters, the package code, the processed data, and the curated tables the run read
(:mod:`unvotes.tables.curated_reads`). A run whose inputs are unchanged is not executed again, so a re-run with
nothing changed takes a second, and editing one curated table re-executes only the runs that read it.

Publication is all or nothing: the site (``unvotes.site``: the findings first, every section, a page per
vote and per state, the data) is built by Sphinx in a staging folder and swapped in for ``reports/html/``
only when every run succeeded; when no run changed, the published site is left as it is. A failing run fails the command with the
failing cell's error, and the previously published report stays as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path

from unvotes import memo, paths
from unvotes.errors import UnvotesError

PLAN_FILE = paths.PROJECT_ROOT / "notebooks" / "report_plan.yaml"
SECTION_KEYS = {"id", "notebook", "pages", "group", "title", "summary", "parameters", "for_each"}
REQUIRED_KEYS = {"id", "group", "title", "summary"}
FOR_EACH = {"catalogue": "one run per catalogued vote with country-level votes in the data"}


class ReportError(UnvotesError):
    """A bad report plan, or report runs that failed (the message holds each failing cell's error)."""


@dataclass(frozen=True)
class Run:
    """One execution of a section notebook with one parameter set, published as ``<id>.html``; or, with
    ``pages``, one run of a page generator (``unvotes.site.GENERATORS``) writing a folder of pages ``<id>/``."""

    id: str
    notebook: Path | None
    group: str
    title: str
    summary: str
    parameters: dict = field(default_factory=dict)
    pages: str = ""


def reports_dir() -> Path:
    return paths.setting("UNVOTES_REPORTS", paths.PROJECT_ROOT / "reports")


# ---------------------------------------------------------------- the plan

def _fill(template, values: dict, where: str):
    """Substitute ``{field}`` placeholders in strings (recursively in lists and dicts)."""
    if isinstance(template, str):
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise ReportError(f"{where}: cannot fill {template!r} ({exc!r}); fields available: "
                              f"{sorted(values)}") from None
    if isinstance(template, list):
        return [_fill(t, values, where) for t in template]
    if isinstance(template, dict):
        return {k: _fill(v, values, where) for k, v in template.items()}
    return template


def _catalogue_rows() -> list[dict]:
    """Template fields of each catalogued vote in the data: vote_id, slug, label, theme, date, compare_with,
    yes, no, abstain, result ("141-5-35"), partial_note, source."""
    import pandas as pd

    from unvotes import api
    from unvotes.tables import catalogue
    from unvotes.site.markup import slug

    cat = catalogue.load()
    rows = []
    for row in cat[cat["available"]].to_dict("records"):
        published = [row[c] for c in ("yes", "no", "abstain")]
        if all(pd.notna(x) for x in published):
            cited = row["totals_source"] != row["data_source"]
            result = (f"{row['outcome']}, " + "-".join(str(int(x)) for x in published) + " (yes-no-abstain"
                      + ("; totals as reported, the vote source publishes none)" if cited else ")"))
        else:
            computed = api.recorded_counts(row["vote_id"])
            result = (f"no totals in the source; {computed['yes']}-{computed['no']}-{computed['abstain']} "
                      "(yes-no-abstain) computed from the country votes")
        rows.append({**{k: ("" if v is None or v is pd.NA else v) for k, v in row.items()},
                     "slug": slug(row["vote_id"]),
                     "date": f"{row['date'].day} {row['date']:%B %Y}", "result": result,
                     "partial_note": "" if row["complete"] else " Partial roll call: only some states' votes known."})
    return rows


def load_plan(path: Path = PLAN_FILE) -> tuple[dict, list[Run]]:
    """The plan's header (title, description) and its runs, with ``for_each`` sections expanded."""
    import yaml

    path = Path(path)
    try:
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReportError(f"cannot read the report plan {path}: {exc}") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("sections"), list) or not plan["sections"]:
        raise ReportError(f"{path}: expected a mapping with a non-empty list `sections`")
    runs: list[Run] = []
    for i, section in enumerate(plan["sections"], start=1):
        where = f"{path}, section {i}"
        if not isinstance(section, dict):
            raise ReportError(f"{where}: expected a mapping, got {section!r}")
        unknown, missing = set(section) - SECTION_KEYS, REQUIRED_KEYS - set(section)
        if unknown or missing:
            raise ReportError(f"{where} ({section.get('id', '?')}): unknown keys {sorted(unknown)}, missing keys "
                              f"{sorted(missing)}; a section has {sorted(SECTION_KEYS)}")
        if ("notebook" in section) == ("pages" in section):
            raise ReportError(f"{where} ({section['id']}): a section has either a `notebook` or `pages` (a page "
                              "generator), not both or neither")
        if "pages" in section:
            from unvotes.site import GENERATORS

            if section["pages"] not in GENERATORS or {"parameters", "for_each"} & set(section):
                raise ReportError(f"{where} ({section['id']}): pages {section['pages']!r} takes no parameters; "
                                  f"the page generators are {sorted(GENERATORS)}")
            runs.append(Run(notebook=None, pages=section["pages"],
                            **{k: section[k] for k in ("id", "group", "title", "summary")}))
            continue
        notebook = path.parent / section["notebook"]
        if not notebook.is_file():
            raise ReportError(f"{where} ({section['id']}): notebook {notebook} does not exist")
        for_each = section.get("for_each")
        if for_each is not None and for_each not in FOR_EACH:
            raise ReportError(f"{where}: for_each {for_each!r} is not supported; choose one of {sorted(FOR_EACH)}")
        if not isinstance(section.get("parameters", {}), dict):
            raise ReportError(f"{where} ({section['id']}): parameters must be a mapping name: value")
        check_parameters(notebook, section.get("parameters", {}), f"{where} ({section['id']})")
        rows = _catalogue_rows() if for_each == "catalogue" else [{}]
        for values in rows:
            filled = {k: _fill(section.get(k, {} if k == "parameters" else ""), values, where)
                      for k in ("id", "group", "title", "summary", "parameters")}
            runs.append(Run(notebook=notebook, **filled))
    ids = [r.id for r in runs]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ReportError(f"{path}: run ids must be unique; duplicated: {duplicated}")
    bad = [i for i in ids if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", i)]
    if bad:
        raise ReportError(f"{path}: run ids become file names and must be lower-case letters, digits and "
                          f"hyphens; bad: {bad}")
    interactive = plan.get("interactive_notebooks", [])
    missing = [n for n in interactive if not (path.parent / n).is_file()]
    if missing:
        raise ReportError(f"{path}: interactive_notebooks names notebooks that do not exist: {missing}")
    return {"title": plan.get("title", "Report"), "description": plan.get("description", ""),
            "interactive_notebooks": interactive}, runs


def section_run(notebook: str, parameters: dict, plan_path: Path = PLAN_FILE) -> Run | None:
    """The first run of the plan (in its order) of ``notebook`` (a file name next to the plan) whose parameters
    equal ``parameters``, a parameter the run does not set taking the notebook's default; None if no run does.
    How a page links to the page that shows a section it leaves out."""
    import ast

    cells = json.loads((Path(plan_path).parent / notebook).read_text(encoding="utf-8")).get("cells", [])
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    source = "".join(tagged[0]["source"]) if tagged else ""
    defaults = {}
    for node in ast.parse(source).body:  # the defaults are literals (papermill requires it)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                defaults[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    for run in load_plan(plan_path)[1]:
        if run.notebook is not None and run.notebook.name == notebook and all(
                run.parameters.get(name, defaults.get(name)) == value for name, value in parameters.items()):
            return run
    return None


def notebook_parameters(notebook: Path) -> list[str]:
    """The names assigned in the notebook's cell tagged ``parameters`` (read with ``ast``: papermill's own
    inspection skips lines it cannot parse, such as a default followed by a comment, and costs seconds of
    imports)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        raise ReportError(f"{notebook}: no cell tagged 'parameters'; papermill needs one to set parameters")
    source = "".join(tagged[0]["source"]) if isinstance(tagged[0]["source"], list) else tagged[0]["source"]
    try:
        return _assigned_names(source)
    except SyntaxError as exc:
        raise ReportError(f"{notebook}: the parameters cell is not valid Python ({exc.msg}, line {exc.lineno})") from None


def _assigned_names(source: str) -> list[str]:
    """The names a cell's top-level statements assign (``name = ...`` or ``name: type = ...``)."""
    import ast

    names = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def check_parameters(notebook: Path, parameters: dict, where: str = "") -> None:
    """An unknown parameter name is an error before anything runs: papermill would only log it and run
    the notebook with its defaults, publishing a section that is not what its title says."""
    _reject_unknown(parameters, notebook_parameters(notebook), Path(notebook).name, where)


def _reject_unknown(given, known: list[str], notebook: str, where: str = "") -> None:
    unknown = sorted(set(given) - set(known))
    if unknown:
        import difflib

        hints = {u: difflib.get_close_matches(u, list(known), n=1) for u in unknown}
        hint = "; ".join(f"{u!r} (did you mean {h[0]!r}?)" if h else repr(u) for u, h in hints.items())
        raise ReportError(f"{where + ': ' if where else ''}unknown parameter(s) {hint} for {notebook}; "
                          f"its parameters are {sorted(known)}")


#: The first line of the cell papermill injects after a notebook's parameters cell (its Python translator).
PAPERMILL_INJECTED = "# Parameters"


def check_injected_parameters() -> None:
    """Called in a notebook's first code cell after its parameters cell: a parameter papermill injected that
    the parameters cell does not define is an error, so a raw ``papermill -p grup African`` fails instead of
    running the defaults (papermill only logs "Passed unknown parameter"). The kernel's input history holds
    the cells papermill ran: this cell, before it papermill's injected cell, before that the notebook's
    parameters cell. Run without injected parameters (JupyterLab, papermill without ``-p``), the cell
    before this one is the parameters cell itself and there is nothing to check."""
    from IPython import get_ipython

    shell = get_ipython()
    inputs = shell.history_manager.input_hist_raw if shell is not None else []
    if len(inputs) < 3 or inputs[-2].splitlines()[:1] != [PAPERMILL_INJECTED]:
        return
    try:
        known, given = _assigned_names(inputs[-3]), _assigned_names(inputs[-2])
    except SyntaxError:  # not cells papermill wrote: nothing to compare
        return
    _reject_unknown(given, known, "this notebook", "papermill parameters")


# ---------------------------------------------------------------- fingerprints

def _hash_files(files, root: Path) -> str:
    digest = hashlib.sha256()
    for f in sorted(files):
        digest.update(str(Path(f).relative_to(root)).encode())
        digest.update(Path(f).read_bytes())
    return digest.hexdigest()


def package_files() -> list[Path]:
    """Every file of the package that can reach a page: its code, its registry, and the site's stylesheet
    and other static files (lib/unvotes/site/static; Sphinx's conf.py is generated by site/build.py).
    Compiled caches and hidden files are not inputs."""
    package = paths.PROJECT_ROOT / "lib" / "unvotes"
    # the curated tables (the package's link to data/external) are each run's own inputs, not shared code
    return sorted(f for f in package.rglob("*") if f.is_file() and "__pycache__" not in f.parts
                  and paths.CURATED_PACKAGE_DIR not in f.relative_to(package).parts
                  and not f.name.startswith(".") and f.suffix not in {".pyc", ".pyo"})


#: The installed packages that turn the runs into pages (themes, templates, converters): another version can
#: publish another page from the same runs.
SITE_BUILDERS = ("sphinx", "myst-nb", "myst-parser", "sphinx-book-theme", "pydata-sphinx-theme", "nbconvert",
                 "itables")


def site_builder_versions() -> dict[str, str]:
    from importlib import metadata

    versions = {}
    for name in SITE_BUILDERS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def code_and_data_fingerprint() -> str:
    """What every run shares: the package's files (:func:`package_files`), the processed data (the build's
    timestamp left out, so rebuilding identical tables does not re-render the report), the news articles
    the claims check reads (outside the checkout) and the stored forecasts (``forecasts/``). The curated
    tables are a run's own inputs (:func:`curated_tables`, :mod:`unvotes.tables.curated_reads`)."""
    root = paths.PROJECT_ROOT
    code = package_files()
    processed = paths.processed_dir()
    digest = hashlib.sha256(_hash_files(code, root).encode())
    seeds = paths.seeds_dir()
    if seeds.is_dir():
        digest.update(_hash_files(seeds.glob("*.txt"), seeds).encode())
    stored = paths.forecasts_dir()  # the stored forecasts the forecast page shows and scores
    if stored.is_dir():
        digest.update(_hash_files(sorted(stored.glob("*")), stored).encode())
    for f in sorted(processed.glob("*.parquet")):
        digest.update(f.name.encode() + f.read_bytes())
    info = processed / "build_info.json"
    if info.is_file():
        # what the tables were built from, not when or from where: a rebuild from data/raw instead of the
        # mirror, with the same files, gives the same fingerprint
        meta = json.loads(info.read_text())
        meta.pop("built_at", None)
        for source in meta.get("sources", []):
            source.pop("origin", None)
        digest.update(json.dumps(meta, sort_keys=True).encode())
    return digest.hexdigest()


def curated_tables(root: Path | None = None) -> dict[str, str]:
    """Every file of the curated folder (``data/external``) by name relative to it, with a hash of its
    content."""
    root = Path(root or paths.external_dir())
    files = [f for f in root.rglob("*") if f.is_file() and not f.name.startswith(".")] if root.is_dir() else []
    return {f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(files)}


def inputs_fingerprint(curated: dict[str, str] | None = None, shared: str | None = None) -> str:
    """Everything a run or the site builder can read: the code, the processed data (``shared``, by default
    :func:`code_and_data_fingerprint`) and every curated table (``curated``, by default :func:`curated_tables`).
    It names the folder of shared results (:mod:`unvotes.memo`) and is part of the site's fingerprint."""
    curated = curated_tables() if curated is None else curated
    shared = code_and_data_fingerprint() if shared is None else shared
    return hashlib.sha256((shared + json.dumps(curated, sort_keys=True)).encode()).hexdigest()


def run_fingerprint(run: Run, shared: str, curated: dict[str, str]) -> str:
    """A run's inputs but for the curated tables it read (checked by :func:`is_current`): the shared code
    and data, the names of the curated tables (adding or removing one re-executes every run), the notebook
    or page generator and its parameters."""
    digest = hashlib.sha256(shared.encode())
    digest.update("\n".join(sorted(curated)).encode())
    digest.update(run.notebook.read_bytes() if run.notebook else f"pages:{run.pages}".encode())
    digest.update(json.dumps(run.parameters, sort_keys=True, default=str).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- executing one run

def to_html(executed_notebook: Path) -> str:
    """The executed notebook as a stand-alone HTML page without code cells or prompts (figures inline)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed_notebook, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    return body


def render(notebook: Path, parameters: dict | None = None, out_dir: Path | None = None,
           name: str | None = None, km=None, html: bool = True) -> Path:
    """Execute ``notebook`` with ``parameters``; write the executed notebook ``<out_dir>/<name>.ipynb`` and,
    with ``html``, a stand-alone ``<out_dir>/<name>.html`` (inputs hidden; the report's site is built from
    the executed notebooks instead, and returns the ``.ipynb`` path). ``name`` defaults to the notebook's stem. A failed
    execution is kept as ``<name>.failed.ipynb`` for inspection and never published. ``km``: a running
    kernel manager to execute in (see :func:`_worker_kernel`); by default a new kernel is started."""
    import papermill as pm

    check_parameters(notebook, parameters or {})
    out_dir = Path(out_dir or reports_dir() / "executed")
    out_dir.mkdir(parents=True, exist_ok=True)
    notebook = Path(notebook)
    name = name or notebook.stem
    partial = out_dir / f".{name}.part.ipynb"
    try:
        pm.execute_notebook(str(notebook), str(partial), parameters=parameters or {}, cwd=str(notebook.parent),
                            progress_bar=False, kernel_name="python3", request_save_on_cell_execute=False,
                            **({"km": km} if km is not None else {}))
    except BaseException:
        if partial.exists():
            os.replace(partial, out_dir / f"{name}.failed.ipynb")
        raise
    executed = out_dir / f"{name}.ipynb"
    os.replace(partial, executed)
    if not html:
        return executed
    final = out_dir / f"{name}.html"
    paths.write_atomic(final, to_html(executed))
    return final


#: Each worker process keeps one kernel and reuses it for its runs: starting a kernel and importing the
#: package cost more than most runs' own computation. Between runs the kernel's namespace is reset (and
#: pandas' display options and open figures with it), so a run sees what a fresh kernel would; after a
#: failed run the kernel is replaced.
_KERNEL: dict = {}
RESET_KERNEL = ("get_ipython().run_line_magic('reset', '-f')\n"
                "import pandas as _pd, matplotlib.pyplot as _plt\n"
                "_pd.reset_option('^display'); _plt.close('all')\n"
                "get_ipython().display_formatter.formatters['text/html'].pop(_pd.DataFrame, None)\n"
                "del _pd, _plt")


def _worker_kernel(cwd: Path, log: Path, curated_root: Path | None = None):
    """This worker's kernel, started in ``cwd`` (its stderr to ``log``), or the running one, reset. With
    ``curated_root``, a new kernel notes the curated tables it opens (:mod:`unvotes.tables.curated_reads`) from
    the start."""
    from multiprocessing import util

    from jupyter_client.manager import KernelManager

    km = _KERNEL.get("km")
    if km is not None and (_KERNEL.get("cwd") != cwd or not km.is_alive() or not _reset_kernel(km)):
        _discard_kernel()
        km = None
    if km is None:
        km = KernelManager(kernel_name="python3")
        with open(log, "a") as err:
            km.start_kernel(cwd=str(cwd), stderr=err)
        _KERNEL.update(km=km, cwd=cwd)
        util.Finalize(km, km.shutdown_kernel, kwargs={"now": True}, exitpriority=10)  # when the worker exits
        if curated_root is not None:
            _in_kernel(km, f"from unvotes.tables import curated_reads as _c; _c.start({str(curated_root)!r}); del _c")
    return km


def _in_kernel(km, code: str) -> str | None:
    """Execute ``code`` in the kernel; its standard output, or None if it failed or the kernel did not answer."""
    kc = km.client()
    kc.start_channels()
    out: list[str] = []

    def collect(msg):
        if msg["msg_type"] == "stream" and msg["content"].get("name") == "stdout":
            out.append(msg["content"]["text"])

    try:
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive(code, store_history=False, timeout=60, output_hook=collect)
        return "".join(out) if reply["content"]["status"] == "ok" else None
    except Exception:  # a kernel that does not answer
        return None
    finally:
        kc.stop_channels()


def _reset_kernel(km) -> bool:
    return _in_kernel(km, RESET_KERNEL) is not None


def _kernel_curated_reads(km) -> list[str] | None:
    """The curated tables the kernel has opened since it started (None if it cannot say)."""
    out = _in_kernel(km, "import json as _j; from unvotes.tables import curated_reads as _c; print(_j.dumps(_c.seen())); "
                         "del _j, _c")
    try:
        return json.loads(out) if out else None
    except ValueError:
        return None


#: Linear algebra on one thread in each worker and its kernel. The runs already use every core (one worker
#: each), and two BLAS thread pools spinning on two cores made the small matrix products of the model fits
#: several times slower (the cross-validation of a model section: 12.5 s -> 1.7 s with one thread each).
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def _worker_init(parent_pid: int) -> None:
    """Set up a pool worker: Ctrl-C is the parent's to handle (it stops the workers); SIGTERM shuts this
    worker's kernel down and exits; a worker whose parent died (killed outright) does the same within a
    second instead of running on as an orphan."""
    import signal
    import threading

    def stop(*_):
        _discard_kernel()
        os._exit(1)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stop)
    # papermill validates notebooks with nbformat, which imports jsonschema, which imports its optional IRI format
    # checker if installed (rfc3987-syntax, brought by JupyterLab's jupyter-events): it builds 38 Lark grammars on
    # import, 1.6 s of every worker. The notebook format has no IRI fields, so the worker does without it.
    sys.modules.setdefault("rfc3987_syntax", None)

    def watch_parent():
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        stop()

    threading.Thread(target=watch_parent, daemon=True).start()


def _discard_kernel() -> None:
    km = _KERNEL.pop("km", None)
    _KERNEL.pop("cwd", None)
    if km is not None and km.has_kernel:
        km.shutdown_kernel(now=True)


def _failed_cell(notebook: Path, exc) -> str:
    """Where a cell failed, as the author counts: its position in the notebook file (markdown cells included),
    with papermill's execution count beside it (which counts the injected parameters and skips markdown)."""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
        at = next(i for i, c in enumerate(cells, start=1)
                  if c.get("cell_type") == "code" and "".join(c.get("source", "")) == exc.source)
        return f"cell {at} of {Path(notebook).name} (execution count {exc.exec_count})"
    except (OSError, ValueError, KeyError, StopIteration):  # the file changed or the source is not found
        return f"the cell of execution count {exc.exec_count}"


def _execute(run: Run, cache: Path, fingerprint: str, curated_root: Path,
             curated: dict[str, str]) -> tuple[str, str | None, float]:
    """Worker: render one run into the cache and record its fingerprint with the curated tables it read
    (their hashes as the build began, ``curated``). Returns (id, error or None, seconds)."""
    from papermill.exceptions import PapermillExecutionError

    from unvotes.tables import curated_reads

    os.environ.setdefault("MPLBACKEND", "Agg")
    start = time.perf_counter()
    # Warnings of the worker go to a log beside the run, the kernel's own stderr chatter to the worker's
    # kernel log; cell errors reach us through papermill.
    with open(cache / f"{run.id}.log", "w") as log:
        os.dup2(log.fileno(), 2)
    try:
        if run.pages:
            curated_reads.start(curated_root)
            _generate_pages(run, cache)
            read = curated_reads.seen()
        else:
            km = _worker_kernel(run.notebook.parent, cache / f"kernel-{os.getpid()}.log", curated_root)
            render(run.notebook, run.parameters, out_dir=cache, name=run.id, km=km, html=False)
            read = _kernel_curated_reads(km)
    except PapermillExecutionError as exc:
        _discard_kernel()
        return run.id, (f"{run.id} ({run.notebook.name}, parameters {run.parameters}): "
                        f"{_failed_cell(run.notebook, exc)} raised {exc.ename}: {exc.evalue}"), time.perf_counter() - start
    except Exception as exc:  # a page generator's own error, a kernel that died, an unreadable notebook ...
        _discard_kernel()
        return run.id, f"{run.id} ({_what(run)}): {type(exc).__name__}: {exc}", time.perf_counter() - start
    # a kernel that cannot say what it read is taken to have read every table; a table that appeared
    # during the build has no hash yet (None), so the next build re-executes the run
    read = curated if read is None else {name: curated.get(name) for name in read}
    paths.write_atomic(cache / f"{run.id}.json", json.dumps({"fingerprint": fingerprint, "curated": read,
                                                         "parameters": run.parameters,
                                                         "notebook": run.notebook.name if run.notebook else None,
                                                         "pages": run.pages}, default=str))
    return run.id, None, time.perf_counter() - start


def _what(run: Run) -> str:
    """How an error names what a run executes: its notebook, or its page generator."""
    return run.notebook.name if run.notebook else f"page generator {run.pages!r}"


def _generate_pages(run: Run, cache: Path) -> None:
    """Write a generator's pages into ``<cache>/<id>/``, replacing the previous folder only when complete."""
    from unvotes import site

    os.environ.setdefault("MPLBACKEND", "Agg")
    partial, final = cache / f".{run.id}.part", cache / run.id
    site.generate(run.pages, partial)
    previous = cache / f".{run.id}.previous"
    if final.exists():
        os.replace(final, previous)
    os.replace(partial, final)
    shutil.rmtree(previous, ignore_errors=True)


def _output(run: Run, cache: Path) -> Path:
    """What a run leaves in the cache: its executed notebook, or its folder of pages."""
    return cache / run.id / "index.md" if run.pages else cache / f"{run.id}.ipynb"


def is_current(run: Run, cache: Path, fingerprint: str, curated: dict[str, str]) -> bool:
    """The run's output is in the cache, made from these inputs and the same content of every curated table
    it read."""
    record = cache / f"{run.id}.json"
    if not record.is_file() or not _output(run, cache).is_file():
        return False
    try:
        recorded = json.loads(record.read_text())
    except ValueError:
        return False
    read = recorded.get("curated")
    return (recorded.get("fingerprint") == fingerprint and isinstance(read, dict)
            and all(curated.get(name) == digest for name, digest in read.items()))


# ---------------------------------------------------------------- the whole report

def _publish(runs: list[Run], header: dict, cache: Path, site: Path) -> None:
    """Build the site from the cached runs in a staging folder next to ``site`` and swap it in."""
    from unvotes import site as website

    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}.staging-"))
    source = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}.source-"))
    try:
        built_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        start = time.perf_counter()
        print("Building the site with Sphinx ...", flush=True)
        website.assemble(source, header, runs, cache, built_at)
        warnings = website.build_html(source, staging, cache / "sphinx.log")
        print(f"Built the site in {time.perf_counter() - start:.1f} s"
              + (f" ({warnings} Sphinx warnings: {cache / 'sphinx.log'})" if warnings else "") + ".", flush=True)
        staging.chmod(0o755)
        previous = site.with_name(f".{site.name}.previous")
        if previous.exists():
            shutil.rmtree(previous)
        if site.exists():
            os.replace(site, previous)
        os.replace(staging, site)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        for leftover in (staging, source):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)


def site_fingerprint(runs: list[Run], fingerprints: dict[str, str], header: dict, inputs: str) -> str:
    """What the published site is built from: every run's fingerprint, the plan's header and order,
    ``inputs`` (:func:`inputs_fingerprint`: the package's files, stylesheet included, and the curated tables
    the site builder reads itself, such as the news articles and the data dictionary) and the versions of
    the packages whose templates render the pages (:data:`SITE_BUILDERS`)."""
    digest = hashlib.sha256((json.dumps(header, sort_keys=True) + inputs
                             + json.dumps(site_builder_versions(), sort_keys=True)).encode())
    for run in runs:
        digest.update(f"{run.id}|{run.group}|{run.title}|{run.summary}|{fingerprints[run.id]}".encode())
    return digest.hexdigest()


def build(plan_path: Path = PLAN_FILE, out_dir: Path | None = None, jobs: int | None = None,
          force: bool = False, only: str | None = None) -> dict:
    """Render the report of ``plan_path`` into ``<out_dir>/html`` (cache in ``<out_dir>/executed``).

    Returns counts {"runs", "executed", "skipped", "seconds"}; raises ReportError listing every failing
    run's cell error, in which case nothing is published. ``only`` restricts execution to runs whose id
    contains it (the others must be current) for quick iteration on one section."""
    from unvotes.locks import tables_lock

    out_dir = Path(out_dir or reports_dir())
    with _Locked(out_dir), tables_lock(f"a report build into {out_dir}", exclusive=False):
        return _build(plan_path, out_dir, jobs, force, only)


def _build(plan_path: Path, out_dir: Path, jobs: int | None, force: bool, only: str | None) -> dict:
    from tqdm import tqdm

    start = time.perf_counter()
    cache, site = out_dir / "executed", out_dir / "html"
    cache.mkdir(parents=True, exist_ok=True)
    header, runs = load_plan(plan_path)
    curated_root = paths.external_dir()
    curated = curated_tables(curated_root)
    shared = code_and_data_fingerprint()
    inputs = inputs_fingerprint(curated, shared)
    fingerprints = {r.id: run_fingerprint(r, shared, curated) for r in runs}
    stale = [r for r in runs if force or not is_current(r, cache, fingerprints[r.id], curated)]
    todo = stale
    if only is not None:
        if not any(only in r.id for r in runs):
            raise ReportError(f"--only {only!r} matches no run id; run ids: {', '.join(r.id for r in runs)}")
        todo = [r for r in stale if only in r.id]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    left = f", {len(stale) - len(todo)} stale but not selected" if len(stale) > len(todo) else ""
    print(f"Report plan {plan_path}: {len(runs)} runs, {len(runs) - len(stale)} unchanged{left}, "
          f"{len(todo)} to execute on {jobs} process(es).", flush=True)
    failures: list[str] = []
    if todo:
        # The site builder's imports (Sphinx, MyST-NB, the theme: ~3 s) load while the workers run, off the
        # serial tail of the build.
        import threading

        threading.Thread(target=_preload_site_builder, daemon=True).start()
        saved_env = dict(os.environ)
        # inherited by the spawned workers and their kernels; restored when the runs are done
        os.environ.update({**ONE_THREAD, **{k: v for k, v in saved_env.items() if k in ONE_THREAD}})
        os.environ[memo.ENV] = str(_memo_folder(cache, inputs))
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_worker_init,
                                   initargs=(os.getpid(),))
        try:
            futures = [pool.submit(_execute, r, cache, fingerprints[r.id], curated_root, curated) for r in todo]
            with tqdm(total=len(futures), desc="Executing notebooks", unit="run", file=sys.stdout) as bar:
                for future in as_completed(futures):
                    run_id, error, seconds = future.result()
                    bar.set_postfix_str(f"{run_id} {seconds:.0f}s")
                    bar.update()
                    if error:
                        failures.append(error)
        except KeyboardInterrupt:
            # stop now: queued runs are cancelled, running ones killed with their kernels; nothing is published
            _stop_workers(pool)
            raise ReportInterrupted(f"interrupted: the runs were stopped and the published report in {site} is "
                                    "unchanged; runs that finished are cached and will not be executed again") from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            os.environ.clear()
            os.environ.update(saved_env)
    if failures:
        raise ReportError(f"{len(failures)} of {len(todo)} report runs failed; the published report in {site} "
                          "is unchanged:\n  " + "\n  ".join(sorted(failures)))
    not_current = [r.id for r in runs if not is_current(r, cache, fingerprints[r.id], curated)]
    if not_current:
        raise ReportError(f"{len(not_current)} run(s) not current, so nothing is published: {not_current}. "
                          "Their inputs changed and --only left them out; run without --only to publish")
    for leftover in cache.glob("*.failed.ipynb"):  # every run is current: old failures are history
        leftover.unlink()
    published = cache / "site.json"
    wanted = site_fingerprint(runs, fingerprints, header, inputs)
    if (site / "index.html").is_file() and published.is_file() and json.loads(published.read_text()).get("fingerprint") == wanted:
        seconds = time.perf_counter() - start
        print(f"The published site {site / 'index.html'} is current ({seconds:.1f} s).", flush=True)
        return {"runs": len(runs), "executed": len(todo), "skipped": len(runs) - len(todo), "seconds": seconds}
    _publish(runs, header, cache, site)
    paths.write_atomic(published, json.dumps({"fingerprint": wanted}))
    seconds = time.perf_counter() - start
    print(f"Published {len(runs)} sections as a site: {site / 'index.html'} ({seconds:.1f} s).", flush=True)
    return {"runs": len(runs), "executed": len(todo), "skipped": len(runs) - len(todo), "seconds": seconds}


def _memo_folder(cache: Path, inputs: str) -> Path:
    """The folder of results shared by this build's runs (:mod:`unvotes.memo`), named by the inputs'
    fingerprint; the folders of other inputs are deleted."""
    root = cache / "memo"
    for old in root.glob("*"):
        if old.name != inputs[:20]:
            shutil.rmtree(old, ignore_errors=True)
    return root / inputs[:20]


def _preload_site_builder() -> None:
    try:
        import myst_nb  # noqa: F401
        import sphinx.application  # noqa: F401
        import sphinx_book_theme  # noqa: F401
    except Exception:  # the build itself reports any problem with them
        pass


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued runs and end the workers (each shuts its kernel down on SIGTERM)."""
    import signal

    processes = list((pool._processes or {}).values())  # the executor offers no public handle on them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        process.join(max(0.1, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()


class ReportInterrupted(UnvotesError):
    """Ctrl-C during ``make report``."""


def _Locked(out_dir: Path):
    """One report build at a time per output folder: a second waits for nothing, it says who is running."""
    from unvotes.locks import HolderLock

    path = Path(out_dir) / ".report.lock"
    return HolderLock(path, "", refuse=lambda holder: ReportError(
        f"another report build is running in {path.parent} ({holder}); wait for it to finish, or stop it, then run "
        "`make report` again"))


# ---------------------------------------------------------------- a visual check of the published index

def screenshot(page: Path | None = None, png: Path | None = None, width: int = 1200, height: int = 1600) -> dict:
    """Render ``page`` (default: the published findings page) in headless Chromium to ``png`` and check that
    it is not blank and requests nothing from another host. Returns {"png", "bytes", "distinct_colours"};
    raises ReportError without Chromium (Debian: ``apt-get install chromium``) or for a failed check."""
    from unvotes.site import browser

    page = Path(page or reports_dir() / "html" / "index.html")
    png = Path(png or page.with_suffix(".png"))
    try:
        seen = browser.open_page(page, png, width, height)
    except browser.BrowserError as exc:
        raise ReportError(str(exc)) from None
    if seen["distinct_colours"] < 50:  # a blank or error page has a handful of colours; text and links give hundreds
        raise ReportError(f"{png} looks blank ({seen['distinct_colours']} distinct colours): open {page} in a browser")
    if seen["offsite"]:
        raise ReportError(f"{page} requests files from other hosts, so it breaks offline: {seen['offsite']}")
    return {"png": png, "bytes": png.stat().st_size, "distinct_colours": seen["distinct_colours"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m unvotes.report", description=__doc__.split("\n")[0])
    parser.add_argument("--plan", type=Path, default=PLAN_FILE, help="the report plan (YAML)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: reports/)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel runs (default: one per core)")
    parser.add_argument("--force", action="store_true", help="execute every run even if unchanged")
    parser.add_argument("--only", default=None, help="execute only runs whose id contains this text")
    parser.add_argument("--screenshot", action="store_true",
                        help="only render the published index in headless Chromium to index.png and check it")
    args = parser.parse_args(argv)
    try:
        if args.screenshot:
            site = Path(args.out or reports_dir()) / "html"
            shot = screenshot(site / "index.html")
            print(f"Wrote {shot['png']} ({shot['bytes']:,} bytes, {shot['distinct_colours']} distinct colours).")
            return 0
        build(args.plan, args.out, args.jobs, args.force, args.only)
    except ReportInterrupted as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 130
    except UnvotesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

