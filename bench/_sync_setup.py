"""What the sync benchmarks share: the mall in its own process (so the two sides do not share a
GIL) with its peak memory sampled, and a fresh till database paired with it."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

import psutil
import requests

from mall.db import MallDatabase
from mall.devices import new_pairing_code
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Store, Till
from sync.credentials import pair
from sync.engine import SyncEngine, engine_for

START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MallProcess:
    """`pos-mall serve` on a free loopback port; peak_rss_mb is sampled while it runs."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.peak_rss_mb = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._sampling = False

    def __enter__(self) -> MallProcess:
        command = [
            sys.executable,
            "-m",
            "mall.cli",
            "serve",
            "--db",
            self.database_url,
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        self._process = subprocess.Popen(command)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                requests.get(f"{self.base_url}/api/v1/health", timeout=(1, 5)).raise_for_status()
                break
            except requests.RequestException:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the mall did not start") from None
                time.sleep(0.1)
        self._sampling = True
        threading.Thread(
            target=self._sample, args=(psutil.Process(self._process.pid),), daemon=True
        ).start()
        return self

    def _sample(self, process: psutil.Process) -> None:
        while self._sampling:
            try:
                rss = process.memory_info().rss / 2**20
            except psutil.Error:
                return
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            time.sleep(0.05)

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._sampling = False
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=30)


def paired_till(directory: Path, mall: MallProcess, store_id: str = "S001") -> SyncEngine:
    """A new, migrated till database in directory, paired with the mall's store_id."""
    upgrade(directory / "till.db")
    db = Database(directory / "till.db")
    with db.write() as session:
        session.add(Store(id=store_id, name="bench"))
        session.add(Till(id="T01", store_id=store_id, name="bench"))
    admin = MallDatabase(mall.database_url)
    with admin.write() as session:
        code = new_pairing_code(session, store_id, ttl_s=600)
    admin.dispose()
    pair(mall.base_url, code, directory, till_id="T01")
    return engine_for(db)
