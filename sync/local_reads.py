"""What a till reads of its own sync state without the engine: the status it shows, the count
of waiting events as commits change it and the online orders as last synced. The window reads
these from its first screen on, while the engine (its network client, the change feed) is still
being built on the sync worker's thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import text

from pos_app.store.db import Database
from pos_app.store.outbox_watch import OutboxCount, watch_outbox
from sync.state import states_with_prefix
from sync.status import OPEN_ORDER_STATUSES, ORDER_PREFIX, SyncStatus, read_status

if TYPE_CHECKING:  # the contract's models (pydantic) load at the first order read
    from sync.protocol import OnlineOrder


def sync_status(db: Database, *, online: bool | None) -> SyncStatus:
    """The status as stored; online is what the caller last saw of the mall (None: not tried)."""
    with db.read() as session:
        return read_status(lambda sql, params: session.scalar(text(sql), params), online=online)


def watch_waiting(db: Database, listener: Callable[[OutboxCount], None]) -> Callable[[], None]:
    """listener(count) after every commit that changes what waits to be sent, on the committing
    thread; returns the function that stops it (see outbox_watch)."""
    return watch_outbox(db.path, listener)


def online_orders(db: Database, *, open_only: bool = True) -> list[OnlineOrder]:
    """The store's online orders as last synced, oldest first (the till's list and badge)."""
    from sync.protocol import OnlineOrder

    with db.read() as session:
        entries = states_with_prefix(session, ORDER_PREFIX).values()
    orders = [OnlineOrder.model_validate(entry["order"]) for entry in entries]
    if open_only:
        orders = [order for order in orders if order.status in OPEN_ORDER_STATUSES]
    return sorted(orders, key=lambda order: order.created_at)


def find_open_order(db: Database, pickup_code: str) -> OnlineOrder | None:
    """The open order a scanned pickup code belongs to, from the local copy (works offline)."""
    from sync.protocol import pickup_code_sha256

    for order in online_orders(db):
        if pickup_code_sha256(str(order.id), pickup_code) == order.pickup_code_sha256:
            return order
    return None
