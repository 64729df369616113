"""The packaged till: builds packaging/pos.spec with PyInstaller (a one-folder bundle without
Python, the dev extra or the mall) and smoke-tests the bundle the way a shop would first use it,
off screen: create a store, ring a sale, print its receipt to a TCP recorder on 127.0.0.1, open
the back office dashboard (its report process, which needs freeze_support), start the till
window and stop it with SIGTERM. Exit 1 on any failure.

    python -m bench packaging [--no-build] [--out DIR]

Figures: build time, bundle size and file count, developer packages found in it (0), command
start to first output for the bundle beside the same command from source (the raw limit here is
the bundle's own `--version`, which imports nothing), window start to shown, and quit time.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

from bench.common import DATA_DIR, report

ROOT = Path(__file__).resolve().parents[1]
NAME = "mendiantong-pos"
DEV_PACKAGES = ("pytest", "_pytest", "hypothesis", "mypy", "ruff", "playwright", "fastapi", "mall")
CLI_BUDGET_S = 0.3
WINDOW_BUDGET_S = 1.0
TIMEOUT_S = 300


class SmokeFailed(RuntimeError):
    pass


class Recorder:
    """A raw TCP printer on 127.0.0.1 that keeps the bytes of each job."""

    def __init__(self) -> None:
        self.jobs: list[bytes] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                data = b"".join(iter(partial(connection.recv, 65536), b""))
            if data:
                self.jobs.append(data)

    def close(self) -> None:
        self.server.close()


def build(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(out / "dist"), "--workpath", str(out / "work"),
            str(ROOT / "packaging" / "pos.spec"),
        ],
        check=True,
        cwd=ROOT,
    )  # fmt: skip
    return time.perf_counter() - started


class Bundle:
    def __init__(self, folder: Path, data_dir: Path) -> None:
        self.exe = folder / (NAME + (".exe" if sys.platform == "win32" else ""))
        self.data_dir = data_dir
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            "POS_DATA_DIR": str(data_dir),
            "QT_QPA_PLATFORM": "offscreen",
        }

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [str(self.exe), *args], capture_output=True, text=True, env=self.env, timeout=TIMEOUT_S
        )
        if result.returncode != 0 or "Traceback" in result.stderr:
            raise SmokeFailed(f"pos {' '.join(args)}: {result.returncode}\n{result.stderr}")
        return result.stdout

    def first_output_s(self, *command: str) -> float:
        started = time.perf_counter()
        with subprocess.Popen(command, stdout=subprocess.PIPE, env=self.env) as process:
            assert process.stdout is not None
            process.stdout.read(1)
            elapsed = time.perf_counter() - started
            process.wait()
        return elapsed


def any_barcode(db_path: Path) -> str:
    connection = sqlite3.connect(db_path)
    try:
        return str(connection.execute("SELECT code FROM barcodes LIMIT 1").fetchone()[0])
    finally:
        connection.close()


def window_start_and_quit(bundle: Bundle) -> tuple[float, float]:
    """Start the till window; seconds until it is shown (its log says so) and until it has
    quit after SIGTERM, with exit code 0, no traceback and no child process left."""
    log = bundle.data_dir / "logs" / "till.log"
    before = log.read_text(encoding="utf-8").count("till window shown")
    started = time.perf_counter()
    with subprocess.Popen(
        [str(bundle.exe), "run"], env=bundle.env, stderr=subprocess.PIPE, text=True
    ) as till:
        while log.read_text(encoding="utf-8").count("till window shown") == before:
            if till.poll() is not None or time.perf_counter() - started > TIMEOUT_S:
                raise SmokeFailed(f"the till window never showed: {till.communicate()[1]}")
            time.sleep(0.01)
        shown = time.perf_counter() - started
        stopping = time.perf_counter()
        till.send_signal(signal.SIGTERM)
        _, err = till.communicate(timeout=60)
        quit_s = time.perf_counter() - stopping
    if till.returncode != 0 or "Traceback" in err:
        raise SmokeFailed(f"the till did not quit cleanly ({till.returncode}): {err}")
    return shown, quit_s


def smoke(folder: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="pos-bundle-") as temp:
        bundle = Bundle(folder, Path(temp))
        print(bundle.run("--version").strip(), file=sys.stderr)
        bundle.run("demo-data", "--skus", "200")
        code = any_barcode(bundle.data_dir / "till.db")
        sale_no = bundle.run("sale", "--scan", code, "--pay", "cash:100000").split()[1]
        recorder = Recorder()
        try:
            bundle.run("print-receipt", sale_no, "--printer", f"tcp://127.0.0.1:{recorder.port}")
        finally:
            recorder.close()
        receipt = b"".join(recorder.jobs).decode("gb18030", errors="replace")
        if sale_no not in receipt:
            raise SmokeFailed(f"the receipt of {sale_no} did not reach the TCP recorder")
        checks = bundle.run("self-test")
        if "OK    后台看板" not in checks:
            raise SmokeFailed(f"the back office dashboard did not show figures:\n{checks}")
        print(checks, file=sys.stderr, end="")
        shown, quit_s = window_start_and_quit(bundle)
        cli = bundle.first_output_s(str(bundle.exe), "verify-journal")
        raw = bundle.first_output_s(str(bundle.exe), "--version")
        source = bundle.first_output_s(
            sys.executable, str(ROOT / "main.py"), "--db", str(bundle.data_dir / "till.db"),
            "verify-journal",
        )  # fmt: skip
    report("bundle_command_start", cli, "s", CLI_BUDGET_S)
    report("source_command_start", source, "s", CLI_BUDGET_S)
    report("bundle_version_start_raw", raw, "s", None)
    report("bundle_window_shown", shown, "s", WINDOW_BUDGET_S)
    report("bundle_quit_after_sigterm", quit_s, "s", None)


def measure(folder: Path) -> None:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    report("bundle_size", sum(p.stat().st_size for p in files) / 1e6, "MB", None)
    report("bundle_files", len(files), "files", None)
    internal = folder / "_internal"
    found = [name for name in DEV_PACKAGES if (internal / name).exists()]
    report("bundle_dev_packages", len(found), "packages", 0)
    if found:
        raise SmokeFailed(f"developer packages in the bundle: {found}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench packaging")
    parser.add_argument("--no-build", action="store_true", help="smoke-test the last build")
    parser.add_argument("--out", type=Path, default=DATA_DIR / "bundle")
    args = parser.parse_args(argv)
    if not args.no_build:
        report("bundle_build", build(args.out), "s", None)
    folder = args.out / "dist" / NAME
    try:
        measure(folder)
        smoke(folder)
    except SmokeFailed as failure:
        print(f"SMOKE FAILED: {failure}", file=sys.stderr)
        return 1
    print("smoke passed", file=sys.stderr)
    return 0
