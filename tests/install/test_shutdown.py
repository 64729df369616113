"""Quitting the running till: Ctrl+C, SIGTERM and closing its window all stop it within
seconds, with exit code 0, no traceback or "cannot schedule new futures after shutdown", and
no child process (the back office's report process) left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 60  # generous: a loaded CI machine; unloaded it takes about 2 s


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    """The tills a test starts; any still running when it ends (a failure) are killed."""
    tills: list[subprocess.Popen[str]] = []
    yield tills
    for till in tills:
        if till.poll() is None:
            for child in psutil.Process(till.pid).children(recursive=True):
                child.kill()
            till.kill()
            till.wait()


def start_till(
    db_path: Path, started: list[subprocess.Popen[str]], **env: str
) -> tuple[subprocess.Popen[str], list[int]]:
    """The till in a child process; its stderr goes to a file beside the database (a pipe
    nobody reads while it starts could fill up and stall it)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.install.gui_child", str(db_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", **env},
        stdout=subprocess.PIPE,
        stderr=(db_path.parent / "stderr.txt").open("w"),
        text=True,
    )
    started.append(child)
    assert child.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_S
    for line in child.stdout:
        if line.startswith("READY"):
            return child, [int(pid) for pid in line.split()[1:]]
        assert time.monotonic() < deadline, "the till did not get ready"
    child.kill()
    pytest.fail(f"the till ended before it was ready: {stderr_of(db_path)}")


def stderr_of(db_path: Path) -> str:
    return (db_path.parent / "stderr.txt").read_text()[-3000:]


def assert_clean_exit(child: subprocess.Popen[str], children: list[int], db_path: Path) -> None:
    child.communicate(timeout=STOP_TIMEOUT_S)
    err = stderr_of(db_path)
    assert child.returncode == 0, err
    assert "Traceback" not in err and "cannot schedule new futures" not in err, err
    deadline = time.monotonic() + 5
    alive = [pid for pid in children if psutil.pid_exists(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in children if psutil.pid_exists(pid)]
    assert alive == [], "child processes outlived the till"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_till_and_its_report_process(
    tmp_path: Path, signum: signal.Signals, started: list[subprocess.Popen[str]]
) -> None:
    child, children = start_till(tmp_path / "till.db", started)
    assert children, "the back office's report process should be running"
    signalled = time.monotonic()
    child.send_signal(signum)
    assert_clean_exit(child, children, tmp_path / "till.db")
    assert time.monotonic() - signalled < STOP_TIMEOUT_S


@pytest.mark.slow
def test_closing_the_window_stops_everything(
    tmp_path: Path, started: list[subprocess.Popen[str]]
) -> None:
    child, children = start_till(tmp_path / "till.db", started, CLOSE="1")
    assert_clean_exit(child, children, tmp_path / "till.db")
