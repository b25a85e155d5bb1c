"""Render report sections: execute a notebook with papermill, convert it to HTML without code cells.

``python -m unvotes.report`` renders every section of REPORT_SECTIONS into reports/. A failing cell
fails the command with the cell's error, and the previously rendered HTML stays in place (the new
one is written to a temporary file and renamed only on success).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from . import paths

#: notebook (under notebooks/) -> parameters. The report-plan issue will generalise this list.
REPORT_SECTIONS = {"data_overview.ipynb": {}}


def reports_dir() -> Path:
    return Path(os.environ.get("UNVOTES_REPORTS", paths.PROJECT_ROOT / "reports"))


def render(notebook: Path, parameters: dict | None = None, out_dir: Path | None = None) -> Path:
    """Execute ``notebook`` with ``parameters`` and write ``<out_dir>/<stem>.html`` (inputs hidden)."""
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    out_dir = Path(out_dir or reports_dir())
    executed_dir = out_dir / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    notebook = Path(notebook)
    executed = executed_dir / notebook.name
    print(f"Executing {notebook.name} with papermill ...", flush=True)
    pm.execute_notebook(str(notebook), str(executed), parameters=parameters or {}, cwd=str(notebook.parent),
                        progress_bar=False, kernel_name="python3")
    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    final = out_dir / f"{notebook.stem}.html"
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{final.name}.", suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.chmod(tmp, 0o644)  # mkstemp creates 0600
    os.replace(tmp, final)
    print(f"Wrote {final}", flush=True)
    return final


def main() -> int:
    from papermill.exceptions import PapermillExecutionError

    nb_dir = paths.PROJECT_ROOT / "notebooks"
    try:
        for name, params in REPORT_SECTIONS.items():
            render(nb_dir / name, params)
    except PapermillExecutionError as exc:
        print(f"error: {exc.ename} in cell {exc.exec_count} of a report notebook: {exc.evalue}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
