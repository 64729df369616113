"""PostgreSQL for tests: the server named by POS_TEST_PG_URL, a fresh database per test."""

from __future__ import annotations

from mall.processes import scratch_pg_database as fresh_pg_database

PG_URL_ENV = "POS_TEST_PG_URL"

__all__ = ["PG_URL_ENV", "fresh_pg_database"]
