"""The mall served by `pos-mall serve` in a child process (with its own worker processes), the
way a chain runs it, and throwaway PostgreSQL databases: for tests and benches that need several
processes on one database.

Settings travel by environment, as in production; the child's output goes to a log file so a
crash at start can be read afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import psycopg
import requests

READY_TIMEOUT_S = 240.0  # a busy CI machine imports slowly
STOP_TIMEOUT_S = 20.0


@contextmanager
def scratch_pg_database(server_url: str, prefix: str = "mall") -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL server; dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MallProcess:
    """`pos-mall serve --workers N` on 127.0.0.1 over database_url; its output goes to log_path."""

    def __init__(
        self,
        database_url: str,
        log_path: Path | None = None,
        *,
        workers: int = 1,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.env = dict(env or {})
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MallProcess:
        """Start the process without waiting (several can race to start); see wait_ready."""
        command = [sys.executable, "-m", "mall.cli", "serve", "--db", self.database_url]
        command += ["--port", str(self.port), "--workers", str(self.workers)]
        command += ["--log-level", "warning"]
        env = {**os.environ, **self.env, "PYTHONPATH": os.pathsep.join(sys.path)}
        if self.log_path is None:  # the output goes where this process's goes
            self.process = subprocess.Popen(command, env=env)
            return self
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        return self

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        """Return once /health answers; raise with the log if the process ended or never did."""
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the mall exited at start:\n{self.log()}")
            try:
                if requests.get(f"{self.base_url}/api/v1/health", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the mall did not answer within {timeout_s} s:\n{self.log()}")

    def log(self) -> str:
        if self.log_path is None:
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int | None:
        """Ask the server to shut down (SIGTERM, as a service manager does); its exit code
        (uvicorn ends a clean shutdown by re-raising the signal: -15)."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        process.terminate()
        try:
            return process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def __enter__(self) -> MallProcess:
        self.start().wait_ready()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()
