"""Fixtures for printer tests: a real TCP printer endpoint, a till database, a print worker."""

from __future__ import annotations

import queue
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pos_app.hardware.print_worker import PrintEvent, PrintWorker
from pos_app.services.printing import print_worker
from tests.hardware.fake_printer import FAST_BACKOFF, FakePrinter, fast_connect
from tests.hardware.till_data import TillData, make_till, migrated_template


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    """A TCP printer endpoint on a free local port, recording jobs."""
    printer = FakePrinter()
    yield printer
    printer.close()


@pytest.fixture(scope="session")
def empty_till_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, empty database file for the session; tests get copies."""
    return migrated_template(tmp_path_factory.mktemp("template") / "till.db")


@pytest.fixture
def till(tmp_path: Path, empty_till_db: Path) -> Iterator[TillData]:
    """A real SQLite till database (migrated) with store S001, till T01 and cashier 张三."""
    path = tmp_path / "till.db"
    shutil.copy(empty_till_db, path)
    data = make_till(path)
    yield data
    data.db.dispose()


class EventLog:
    """A running worker and the events it reported, which a test can wait for."""

    def __init__(self, worker: PrintWorker) -> None:
        self.worker = worker
        self.events: queue.Queue[PrintEvent] = queue.Queue()
        worker.add_listener(self.events.put)

    def wait_for(self, outcome: str, timeout_s: float = 5.0) -> PrintEvent:
        while True:
            event = self.events.get(timeout=timeout_s)
            if event.outcome == outcome:
                return event


@pytest.fixture
def start_worker(till: TillData) -> Iterator[Callable[[], EventLog]]:
    """Start a print worker on the till database with short timeouts; stopped after the test."""
    workers: list[PrintWorker] = []

    def start() -> EventLog:
        worker = print_worker(till.db, connect=fast_connect, backoff=FAST_BACKOFF, idle_poll_s=0.05)
        log = EventLog(worker)
        worker.start()
        workers.append(worker)
        return log

    yield start
    for worker in workers:
        worker.stop()
