"""The mall's database: one URL, SQLite (default) or PostgreSQL (psycopg 3).

On SQLite, writes open with BEGIN IMMEDIATE (one writer at a time, no half-way deadlocks) in WAL
mode with synchronous=FULL, because an acknowledged fact must survive a power cut. On PostgreSQL,
transactions are READ COMMITTED and the code takes row locks where order matters.

Each process keeps a fixed pool of PostgreSQL connections (pool_size, no overflow): connections
beyond the pool would be opened and closed per request under load, so a worker waits for a pooled
one instead. workers × pool_size must stay below the server's max_connections (docs/deploy-mall.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session

SQLITE_BUSY_TIMEOUT_MS = 30_000
DEFAULT_POOL_SIZE = 10
POOL_TIMEOUT_S = 30


def normalise_url(url: str) -> str:
    """postgresql:// and postgres:// mean psycopg 3 here; other URLs pass unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_engine(url: str, *, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


class MallDatabase:
    """Sessions for the mall: `write()` for one transaction that changes data, `read()` to look."""

    def __init__(self, url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = make_url(self.url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(self.url, begin="BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(self.url, begin="BEGIN")
        else:
            self.write_engine = create_engine(
                self.url,
                pool_pre_ping=True,
                pool_size=pool_size,
                max_overflow=0,
                pool_timeout=POOL_TIMEOUT_S,
            )
            self.read_engine = self.write_engine

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commits when the block ends normally, rolls back otherwise."""
        with Session(self.write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only look; closing the session ends its transaction without expiring the rows
        read, so they stay usable after the block."""
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()


def upsert(session: Session, row_class: type[DeclarativeBase]) -> Any:
    """An INSERT that takes ON CONFLICT clauses, in the session's dialect (both have them)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(row_class)


def insert_if_absent(session: Session, row_class: type[DeclarativeBase], **values: Any) -> None:
    """INSERT … ON CONFLICT DO NOTHING: whoever comes second (another worker starting, another
    till pairing at the same moment) keeps the first one's row instead of failing."""
    session.execute(upsert(session, row_class).values(**values).on_conflict_do_nothing())
