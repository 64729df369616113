"""The till's sync bookkeeping in its sync_state table: JSON values under the keys named in
sync/status.py (beside the status read that `pos sync --status` runs without SQLAlchemy)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pos_app.store.models import SyncState


def get_state(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(SyncState, key)
    return default if row is None else json.loads(row.value)


def set_state(session: Session, key: str, value: Any) -> None:
    session.merge(SyncState(key=key, value=json.dumps(value, ensure_ascii=False)))


def delete_state(session: Session, key: str) -> None:
    session.execute(delete(SyncState).where(SyncState.key == key))


def states_with_prefix(session: Session, prefix: str) -> dict[str, Any]:
    rows = session.execute(
        select(SyncState.key, SyncState.value).where(SyncState.key.startswith(prefix))
    )
    return {key: json.loads(value) for key, value in rows}
