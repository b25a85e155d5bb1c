"""Tiny report plans over the fixture notebooks, shared by the report runner's test modules (split so that
pytest-xdist runs their slow tests, which start kernels and wait for signals, on different workers)."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"


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


def slow_runs(count: int, marks: Path) -> str:
    """``count`` runs that sleep for a minute; each first creates ``<marks>/<id>`` so that a test knows its
    kernel is in the slow cell (instead of guessing with a fixed wait)."""
    return "".join(f"""
  - id: slow-{i}
    notebook: slow.ipynb
    group: Slow
    title: Slow {i}
    summary: Sleeps.
    parameters: {{started: '{marks / f"slow-{i}"}'}}
""" for i in range(count))
