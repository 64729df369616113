"""Rows written with SQLAlchemy Core, one INSERT (executemany) per table instead of the unit of
work's flush, for the hot paths (checkout).

The statements run on the session's Connection: for a Core statement on a Table that is what
session.execute does too (no autoflush), without the ORM's per-statement work."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Insert, insert
from sqlalchemy.orm import Session

from pos_app.store.models import Base


@cache
def _insert(table_name: str) -> Insert:
    """One statement object per table, so SQLAlchemy's compiled cache hits without building a
    cache key from a fresh statement each time."""
    return insert(Base.metadata.tables[table_name])


def insert_row(session: Session, model: type[Base], row: dict[str, Any]) -> int:
    """INSERT one row (column name → value; unset columns take their defaults); its new integer
    primary key."""
    new_id: int = session.connection().execute(_insert(model.__tablename__), row).lastrowid
    return new_id


def insert_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """INSERT plain rows (column name → value, the same keys in each) with one executemany."""
    if rows:
        session.connection().execute(_insert(model.__tablename__), rows)
