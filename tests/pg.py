"""Fresh databases on the PostgreSQL test server (POS_TEST_PG_URL), one per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

PG_URL_ENV = "POS_TEST_PG_URL"


@contextmanager
def fresh_pg_database(server_url: str, prefix: str = "mall") -> Iterator[str]:
    """The URL of a new, empty database on the server; dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
