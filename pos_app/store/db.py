"""Engine and session setup for the till's SQLite file.

SQLite runs in WAL mode with synchronous=FULL and foreign keys on. Writes go through `write()`,
which opens the transaction with BEGIN IMMEDIATE so two writers never deadlock half-way; reads go
through `read()` on a second engine whose transactions stay deferred and never block the writer.

A running till checkpoints the WAL on a background thread (`checkpoint_in_background`), so a sale's
commit never pays for copying the log into the database file (that copy was the checkout's p99).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

import pos_app.store.search_grams  # noqa: F401  # the search index's SQL functions, every connection
from pos_app.store import outbox_watch

BUSY_TIMEOUT_MS = 5000
CHECKPOINT_INTERVAL_S = 5.0


def _configure(dbapi_connection: sqlite3.Connection) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _make_engine(path: Path, *, begin: str, autocheckpoint: bool = True) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _configure(dbapi_connection)
        if not autocheckpoint:
            dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


class Database:
    """The till's database file: one writer engine, one reader engine."""

    def __init__(self, path: Path, *, checkpoint_in_background: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.write_engine = _make_engine(
            path, begin="BEGIN IMMEDIATE", autocheckpoint=not checkpoint_in_background
        )
        self.read_engine = _make_engine(path, begin="BEGIN")
        event.listen(self.write_engine, "after_cursor_execute", outbox_watch.note_statement)
        self._stopping = threading.Event()
        self._checkpointer: threading.Thread | None = None
        if checkpoint_in_background:
            self._checkpointer = threading.Thread(
                target=self._checkpoint_loop, name="wal-checkpoint", daemon=True
            )
            self._checkpointer.start()

    def checkpoint(self) -> None:
        """Copy committed WAL pages into the database file without blocking anyone (PASSIVE)."""
        connection = self.read_engine.raw_connection()
        try:
            connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    def _checkpoint_loop(self) -> None:
        """Runs on its own thread until dispose()."""
        while not self._stopping.wait(CHECKPOINT_INTERVAL_S):
            self.checkpoint()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits when the block ends normally, rolls back otherwise.
        A commit that changed the outbox tells its listeners the new count (outbox_watch)."""
        outbox_watch.transaction_started()
        with Session(self.write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session
                counted = outbox_watch.count_before_commit(session, self.path)
            if counted is not None:
                outbox_watch.announce(self.path, counted)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot; anything written in it is rolled back. Rows read here stay
        usable after the block (closing the session detaches them without expiring them)."""
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        self._stopping.set()
        if self._checkpointer is not None:
            self._checkpointer.join()
        self.write_engine.dispose()
        self.read_engine.dispose()
