"""The sync status a till shows (its status bar, `pos sync --status`): reachable or not, events
waiting, the last round and its error, conflicts, open online orders.

Read with plain SQL through whatever runs a scalar query, so `pos sync --status` answers through
sqlite3 without importing SQLAlchemy, pydantic or requests, and the engine runs the very same
statements through its session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.store.peek import COUNT_WAITING

CURSOR = "pull_cursor"  # server_seq applied through; absent until the first snapshot
LAST_SYNC_AT = "last_sync_at"  # ISO time of the last complete round
LAST_ERROR = "last_error"  # the last round's failure, or null
CLAIMS_AFTER = "claims_after"  # the mall's last receipt-claim id recorded here
ORDER_PREFIX = "order:"  # one online order per key: {"order": …, "handed_over_here": bool}
OPEN_ORDER_STATUSES: tuple[str, ...] = ("pending_payment", "paid", "ready")

STATE_VALUE = "SELECT value FROM sync_state WHERE key = :key"
COUNT_CONFLICTS = "SELECT count(*) FROM outbox_conflicts"
COUNT_OPEN_ORDERS = (
    "SELECT count(*) FROM sync_state WHERE substr(key, 1, length(:prefix)) = :prefix "
    f"AND json_extract(value, '$.order.status') IN ({', '.join(map(repr, OPEN_ORDER_STATUSES))})"
)

Scalar = Callable[[str, Mapping[str, Any]], Any]  # (SQL text, named parameters) -> a value


@dataclass(frozen=True)
class SyncStatus:
    """What the till shows: reachable or not (None: not tried yet), what waits, what failed."""

    online: bool | None
    pending: int
    last_sync_at: datetime | None
    last_error: str | None
    conflicts: int
    open_orders: int


def read_status(scalar: Scalar, *, online: bool | None) -> SyncStatus:
    def state(key: str) -> Any:
        value = scalar(STATE_VALUE, {"key": key})
        return None if value is None else json.loads(value)

    last_sync = state(LAST_SYNC_AT)
    return SyncStatus(
        online=online,
        pending=scalar(COUNT_WAITING, {}),
        last_sync_at=datetime.fromisoformat(last_sync) if last_sync else None,
        last_error=state(LAST_ERROR),
        conflicts=scalar(COUNT_CONFLICTS, {}),
        open_orders=scalar(COUNT_OPEN_ORDERS, {"prefix": ORDER_PREFIX}),
    )
