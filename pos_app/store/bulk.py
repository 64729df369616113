"""Rows written with SQLAlchemy Core from transient ORM objects: one INSERT (executemany) per
table instead of the unit of work's flush, for the hot paths (checkout). The objects stay
transient, so later code can read them like loaded rows without the session tracking them.

The statements run on the session's Connection: for a Core statement on a Table that is what
session.execute does too (no autoflush), without the ORM's per-statement work."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Insert, insert, inspect
from sqlalchemy.orm import Session

from pos_app.store.models import Base


@cache
def _insert(table_name: str) -> Insert:
    """One statement object per table, so SQLAlchemy's compiled cache hits without building a
    cache key from a fresh statement each time."""
    return insert(Base.metadata.tables[table_name])


def _values(obj: Base) -> dict[str, Any]:
    """The column values set on the object (unset ones take the column defaults)."""
    state = vars(obj)
    return {
        attr.key: state[attr.key] for attr in inspect(type(obj)).column_attrs if attr.key in state
    }


def insert_one(session: Session, obj: Base) -> int:
    """INSERT one object's row; its new integer primary key is set on it and returned."""
    result = session.connection().execute(_insert(type(obj).__tablename__), _values(obj))
    new_id = result.lastrowid
    obj.id = new_id  # type: ignore[attr-defined]
    return new_id


def insert_all(session: Session, objects: Sequence[Base]) -> None:
    """INSERT the rows of same-class objects with one executemany (their ids stay unset)."""
    if objects:
        insert_rows(session, type(objects[0]), [_values(obj) for obj in objects])


def insert_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """INSERT plain rows (column name → value, the same keys in each) with one executemany."""
    if rows:
        session.connection().execute(_insert(model.__tablename__), rows)
