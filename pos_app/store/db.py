"""Engine and session setup for the till's SQLite file.

SQLite runs in WAL mode with synchronous=FULL and foreign keys on. Writes go through `write()`,
which opens the transaction with BEGIN IMMEDIATE so two writers never deadlock half-way; reads go
through `read()` on a second engine whose transactions stay deferred and never block the writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

BUSY_TIMEOUT_MS = 5000


def _configure(dbapi_connection: sqlite3.Connection) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _make_engine(path: Path, *, begin: str) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _configure(dbapi_connection)

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


class Database:
    """The till's database file: one writer engine, one reader engine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.write_engine = _make_engine(path, begin="BEGIN IMMEDIATE")
        self.read_engine = _make_engine(path, begin="BEGIN")

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits when the block ends normally, rolls back otherwise."""
        with Session(self.write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot; anything written in it is rolled back."""
        with Session(self.read_engine, expire_on_commit=False) as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()
