"""Which curated tables a process opened (unvotes.tables.curated_reads), and what a shared result carries with it
(unvotes.memo). Each case runs in its own interpreter: an audit hook cannot be removed once installed."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
from pathlib import Path
import pandas as pd
from unvotes.tables import curated_reads
from unvotes import memo

root = Path(sys.argv[1])
print(json.dumps(curated_reads.seen()))          # None: not started
(root.parent / "elsewhere.csv").read_text()      # before start: not noted
curated_reads.start(root)

@memo.shared
def first_row(name):
    return pd.read_csv(root / name).iloc[0].to_dict()

(root.parent / "elsewhere.csv").read_text()      # outside the curated folder: not noted
with open(root / "sub" / "c.csv") as fh:         # a file in a subfolder, by open()
    fh.read()
first_row("a.csv")                               # computed (pandas opens it) or reused from the memo folder
print(json.dumps(curated_reads.seen()))
"""


def run(root, memo_dir) -> list:
    env = {"UNVOTES_MEMO_DIR": str(memo_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(root)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_a_process_notes_the_curated_tables_it_opens_and_those_behind_a_reused_result(tmp_path):
    root = tmp_path / "external"
    (root / "sub").mkdir(parents=True)
    (root / "a.csv").write_text("x\n1\n")
    (root / "b.csv").write_text("x\n2\n")
    (root / "sub" / "c.csv").write_text("x\n3\n")
    (tmp_path / "elsewhere.csv").write_text("x\n4\n")
    assert run(root, tmp_path / "memo") == [None, ["a.csv", "sub/c.csv"]]
    # the second process finds first_row("a.csv") in the memo folder, so it never opens a.csv (gone now),
    # yet it is credited with it
    (root / "a.csv").unlink()
    assert run(root, tmp_path / "memo") == [None, ["a.csv", "sub/c.csv"]]
