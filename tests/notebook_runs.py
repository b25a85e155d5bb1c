"""The notebooks' runs with their defaults, shared by the three modules that execute them (test_notebooks.py,
test_notebooks_models.py, test_notebooks_votes.py; the executing fixture ``rendered`` is in conftest.py)."""

from __future__ import annotations

from pathlib import Path

#: The notebooks, executed with their defaults in three modules of their own (test_notebooks.py and the two
#: below), so that pytest-xdist's workers share them (one module runs on one worker, and all of them on one
#: worker were the suite's longest path: about 150 s of one worker). Shares of roughly equal time, with each
#: notebook's seconds of one worker (7 December 2026, scaled as tests/conftest.py's START_ORDER); a notebook
#: missing here fails test_notebooks.py.
NOTEBOOK_SHARDS = {
    "test_notebooks.py": ["data_overview.ipynb", "africa_model.ipynb", "claims_check.ipynb",  # 6 + 19 + 10
                          "absence_as_choice.ipynb", "security_council.ipynb", "resolution_profile.ipynb",  # 5 + 3 + 1
                          "forecast.ipynb"],
    "test_notebooks_models.py": ["abstention_drivers.ipynb", "abstention_robustness.ipynb",  # 22 + 19
                                 "hierarchical_model.ipynb"],  # 7 (its fit shared with test_hierarchical.py)
    "test_notebooks_votes.py": ["alignment_over_time.ipynb", "split_votes.ipynb", "movers.ipynb",  # 24 + 12 + 8
                                "ukraine_overview.ipynb", "shifts.ipynb"],  # 7 + 6
}
NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def notebook_shard(module: str) -> list[Path]:
    """The notebooks that ``module`` (a file name of :data:`NOTEBOOK_SHARDS`) executes."""
    return [NOTEBOOK_DIR / name for name in NOTEBOOK_SHARDS[module]]


def check_executed(html: Path) -> None:
    """An executed notebook without error outputs, rendered without code cells or tracebacks."""
    import nbformat

    executed = nbformat.read(html.with_suffix(".ipynb"), as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    # An empty Markdown display reaches the site as its object's name ("<IPython.core.display.Markdown object>"):
    # myst-nb falls back to the text/plain form when the Markdown is blank.
    blank = [c.source.splitlines()[0] for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if not o.get("data", {}).get("text/markdown", "x").strip()]
    assert not blank, f"{html.stem}: cells displaying an empty Markdown: {blank}"
    text = html.read_text()
    assert "hl-ipython3" not in text and "import unvotes" not in text  # no code cells in the report
    assert "Traceback" not in text
