"""The report runner interrupted: Ctrl-C stops it within seconds, a killed runner leaves no worker or kernel.

Each test starts ``python -m unvotes.report`` in a session of its own with SIGINT at its default, as a
terminal would: a job started in the background (``make test &``, nohup, many CI wrappers) inherits SIGINT
ignored, and Ctrl-C would then never reach the runner. Whatever happens, the test kills every process of
that session before it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from report_plans import slow_runs, write_plan

pytestmark = pytest.mark.notebooks


def _processes_of(sid: int, folder: Path) -> list[str]:
    """The processes of a report started as session ``sid`` in ``folder``: the runner and its workers (in
    its session) and the kernels (jupyter_client starts each in a session of its own, in the folder of its
    notebook), as "pid sid args" lines."""
    ps = subprocess.run(["ps", "-eo", "pid=,sid=,args="], capture_output=True, text=True).stdout.splitlines()
    found = []
    for line in ps:
        pid, session = line.split()[:2]
        if "<defunct>" in line:  # a zombie (exited, not yet reaped by the container's init) is not running
            continue
        try:
            cwd = Path(os.readlink(f"/proc/{pid}/cwd"))
        except OSError:  # gone meanwhile, or not ours to read
            cwd = None
        if session == str(sid) or (cwd is not None and cwd.is_relative_to(folder)):
            found.append(line)
    return found


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def start_report(tmp_path):
    """Start a report of four slow runs on two workers in its own session; return it once both kernels
    are in their slow cell. On teardown every process of the report is killed (:func:`_processes_of`)."""
    started: list[subprocess.Popen] = []
    marks = tmp_path / "started"
    marks.mkdir()

    def start(out: Path) -> subprocess.Popen:
        plan = write_plan(tmp_path, slow_runs(4, marks))
        proc = subprocess.Popen([sys.executable, "-m", "unvotes.report", "--plan", str(plan), "--out", str(out),
                                 "--jobs", "2"], start_new_session=True, preexec_fn=_default_sigint,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(proc)
        deadline = time.monotonic() + 120
        while len(list(marks.iterdir())) < 2:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the report did not start its slow runs (exit {proc.poll()}): {proc.stderr.read()[-2000:]}"
                            if proc.poll() is not None else "the slow runs did not start within 120 s")
            time.sleep(0.2)
        return proc

    yield start
    for proc in started:
        for line in _processes_of(proc.pid, tmp_path):
            try:
                os.kill(int(line.split()[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
        if proc.poll() is None:
            proc.wait(timeout=10)


def test_ctrl_c_stops_the_report_within_seconds_and_leaves_no_process(tmp_path, start_report):
    out = tmp_path / "reports"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("the report published before")
    published = {p.name: p.read_bytes() for p in (out / "html").iterdir()}
    proc = start_report(out)
    interrupted = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - interrupted < 15
    assert proc.returncode == 130 and "interrupted: the runs were stopped" in err
    assert {p.name: p.read_bytes() for p in (out / "html").iterdir()} == published
    assert not list((out / "executed").glob("slow-*.failed.ipynb"))  # an interrupted run is not a failed one
    deadline = time.monotonic() + 5
    while _processes_of(proc.pid, tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_of(proc.pid, tmp_path) == []


def test_a_killed_report_leaves_no_orphan_workers_or_kernels(tmp_path, start_report):
    proc = start_report(tmp_path / "reports")
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as the OOM killer would
    proc.communicate(timeout=10)
    deadline = time.monotonic() + 15
    while _processes_of(proc.pid, tmp_path) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_of(proc.pid, tmp_path) == []
