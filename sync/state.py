"""The till's sync bookkeeping in its sync_state table: JSON values under a few keys."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pos_app.store.models import SyncState

CURSOR = "pull_cursor"  # server_seq applied through; absent until the first snapshot
LAST_SYNC_AT = "last_sync_at"  # ISO time of the last complete round
LAST_ERROR = "last_error"  # the last round's failure, or null
CLAIMS_AFTER = "claims_after"  # the mall's last receipt-claim id recorded here
ORDER_PREFIX = "order:"  # one online order per key: {"order": …, "handed_over_here": bool}


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
