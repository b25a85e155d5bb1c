"""The package's layout: one subpackage per stage, no import cycles, imports only from earlier stages.

Only module-level imports are held to the stage order; an import inside a function (loaded on use) may reach
a later stage, as when a reader of a derived vote needs the curated tables at run time.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

import unvotes

PACKAGE = Path(unvotes.__file__).parent

#: Stages in the order of the flow (README, Layout); the top-level foundations come first.
STAGES = {"foundations": 0, "sources": 1, "tables": 2, "api": 2, "analyses": 3, "models": 4, "site": 5,
          "report": 6, "cli": 6, "__main__": 6, "unvotes": 6}
FOUNDATIONS = {"errors", "paths", "ids", "quality", "memo", "locks", "deprecated"}

#: Module-level imports against the order, each with its reason. A new one fails the test: move the code to the
#: stage it belongs to, or add it here with its reason.
EXCEPTIONS = {
    ("unvotes.memo", "unvotes.tables.curated_reads"): "results shared by one build are keyed by the curated files "
                                                      "they read",
    ("unvotes.sources.meeting_record", "unvotes.tables.reconcile"): "a meeting record names states as spoken; "
                                                                   "they are reconciled to ISO3 while read",
    ("unvotes.sources.readers.unga2025", "unvotes.tables.membership"): "the 2025 file marks absences only by "
                                                                      "omission: membership dates supply them",
    ("unvotes.tables.countries", "unvotes.analyses.alignment"): "the countries table carries each state's "
                                                               "pre-war ideal point, an analysis of the votes",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _stage(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return STAGES["unvotes"]
    return STAGES["foundations"] if parts[1] in FOUNDATIONS else STAGES[parts[1]]


def _module_level_imports(modules: dict[str, Path]) -> set[tuple[str, str]]:
    edges = set()
    for module, path in modules.items():
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "unvotes":
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    edges.add((module, full if full in modules else node.module))
            elif isinstance(node, ast.Import):
                edges |= {(module, a.name) for a in node.names if a.name.split(".")[0] == "unvotes"}
    return {(a, b) for a, b in edges if a != b}


def test_at_most_a_dozen_modules_at_the_top():
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_every_stage_says_what_it_owns():
    for stage in ("sources", "tables", "analyses", "models", "site"):
        doc = (PACKAGE / stage / "__init__.py").read_text()
        assert ast.get_docstring(ast.parse(doc)), f"unvotes.{stage} has no docstring"


def test_no_import_cycles():
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for a, b in _module_level_imports(modules):
        # a stage's own __init__ importing its modules, and the top-level package, are faces, not dependencies
        if b == "unvotes" or (a.count(".") == 1 and b.startswith(a + ".")):
            continue
        graph.setdefault(a, set()).add(b)
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(trail[trail.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_module_level_imports_follow_the_stages():
    # `from unvotes import __version__` reads the version, not a later stage
    against = {(a, b) for a, b in _module_level_imports(_modules()) if _stage(a) < _stage(b) and b != "unvotes"}
    assert against - set(EXCEPTIONS) == set()
    assert set(EXCEPTIONS) - against == set(), "an exception no longer needed: remove it from EXCEPTIONS"


def test_old_module_paths_still_import_the_same_module_with_a_warning():
    from unvotes.analyses import shifts
    from unvotes.sources.readers import undl

    with pytest.warns(DeprecationWarning, match="unvotes.shifts moved to unvotes.analyses.shifts"):
        from unvotes import shifts as old_shifts  # noqa: F401
    assert old_shifts is shifts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import unvotes.readers.undl as old_undl
    assert old_undl is undl
    assert shifts.__spec__.name == "unvotes.analyses.shifts"


def test_every_moved_module_exists_at_its_new_path():
    import importlib

    from unvotes.deprecated import MOVED_MODULES

    for old, new in MOVED_MODULES.items():
        if not new.endswith(".*"):
            assert importlib.util.find_spec(new) is not None, f"{old} moved to {new}, which does not exist"
    assert callable(unvotes.export) and callable(unvotes.cite)
