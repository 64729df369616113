"""The sync engine (no Qt): push the outbox, pull the change feed, bootstrap from a snapshot.

Every method runs on the caller's thread (the sync worker's, or the CLI's) and blocks on the
network; database writes are short transactions through Database.write(). What the engine
guarantees: an event is marked acknowledged only after the mall has committed it; a feed page
and the cursor after it are written in one transaction; a snapshot only counts once its last
line has arrived, so a cut download starts over instead of leaving half a catalog counted.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from sqlalchemy import CursorResult, delete, select, update

from pos_app.store.backup import RESTORED_MARK, catch_up_after_restore
from pos_app.store.db import Database
from pos_app.store.member_models import ClaimedReceipt
from pos_app.store.models import OutboxConflict, OutboxEvent, Product, StockMove, utc_now
from pos_app.store.outbox import (
    ACKED_RETENTION,
    PRUNE_BATCH,
    QueuedEvent,
    mark_acked,
    pending_events,
    prune_acked_batch,
    record_conflicts,
)
from sync.apply import (
    apply_products,
    apply_tombstones,
    forget_order,
    store_order,
    store_promotions,
)
from sync.bootstrap import load_snapshot
from sync.client import MallClient
from sync.credentials import load_credentials
from sync.errors import SyncError, SyncGap, SyncOffline, SyncServerError
from sync.local_reads import sync_status
from sync.protocol import (
    MAX_BATCH,
    ChangeFeedPage,
    Conflict,
    OnlineOrder,
    ProductData,
    PushEvent,
)
from sync.state import delete_state, get_state, set_state
from sync.status import (
    CLAIMS_AFTER,
    CURSOR,
    LAST_ERROR,
    LAST_SYNC_AT,
    SyncStatus,
)

log = logging.getLogger(__name__)
MAX_REWINDS = 3


def as_push_event(row: OutboxEvent | QueuedEvent) -> PushEvent:
    """An outbox row as the mall receives it (checked against its hash on the way)."""
    return PushEvent(
        id=UUID(row.id),
        device_seq=row.device_seq,
        kind=row.kind,
        payload=json.loads(row.payload),
        payload_hash=row.payload_hash,
    )


class SyncEngine:
    """One till's sync with one mall.

    The network methods (run_once, push, pull, bootstrap, hand_over) must be called by one
    thread at a time (the worker's); status only reads the database and is safe from any
    thread (sync.local_reads has what the GUI reads without an engine).
    """

    def __init__(
        self,
        db: Database,
        client: MallClient,
        *,
        push_batch: int = MAX_BATCH,
        page_size: int = 500,
        snapshot_batch: int = 5000,
    ) -> None:
        self.db = db
        self.client = client
        self.push_batch = push_batch
        self.page_size = page_size
        self.snapshot_batch = snapshot_batch
        self.online: bool | None = None

    # -- one round --------------------------------------------------------------------------------

    def run_once(self) -> SyncStatus:
        """Push everything pending (facts first), load the catalog if never done, pull changes.

        Raises SyncError (or a bug's exception) after recording it in the status.
        """
        try:
            self.push()
            self.prune_outbox()
            with self.db.read() as session:
                needs_snapshot = get_state(session, CURSOR) is None
            if needs_snapshot:
                self.bootstrap()
            self.pull()
            self.pull_claims()
        except Exception as error:
            self._finish(error)
            raise
        self._finish(None)
        return self.status()

    def _finish(self, error: Exception | None) -> None:
        self.online = not isinstance(error, SyncOffline)
        with self.db.write() as session:
            if error is None:
                set_state(session, LAST_SYNC_AT, utc_now().isoformat())
                set_state(session, LAST_ERROR, None)
            else:
                set_state(session, LAST_ERROR, f"{type(error).__name__}: {error}")

    def mall_reachable(self) -> bool:
        """A quick probe of the mall's address (see MallClient.reachable)."""
        return self.client.reachable()

    def status(self) -> SyncStatus:
        return sync_status(self.db, online=self.online)

    # -- push -------------------------------------------------------------------------------------

    def push(self) -> int:
        """Send pending events in order until none is left; returns how many were acknowledged."""
        self.resync_after_restore()
        acked = 0
        rewinds = 0
        while True:
            with self.db.read() as session:
                events = [
                    as_push_event(row) for row in pending_events(session, limit=self.push_batch)
                ]
            if not events:
                return acked
            try:
                answer = self.client.push(events)
            except SyncGap as gap:
                rewinds += 1
                if rewinds > MAX_REWINDS:
                    raise
                self._rewind(gap.expected_seq, events[0].device_seq)
                continue
            if answer.acked_through_seq < events[0].device_seq:
                raise SyncServerError("the mall acknowledged none of the events it was sent")
            acked += self._mark_acked(
                events[0].device_seq, answer.acked_through_seq, answer.conflicts
            )

    def resync_after_restore(self) -> None:
        """After `pos restore` the database may be older than what the mall has. Ask the mall
        how far it has this till's events (an empty push answers that) before sending any:
        events it has are marked delivered, not sent again; if it has more than this database
        (sold after the backup), the device sequence and the sale numbers continue after them,
        so new sales are neither refused as duplicates nor lost."""
        with self.db.read() as session:
            restored_from = get_state(session, RESTORED_MARK)
        if restored_from is None:
            return
        mall_seq = self.client.push([]).acked_through_seq
        with self.db.write() as session:
            local_seq, lost = catch_up_after_restore(session, mall_seq)
            delete_state(session, RESTORED_MARK)
        log.warning(
            "restored from %s: the mall has events through %d, this till through %d (%d lost)",
            restored_from,
            mall_seq,
            local_seq,
            lost,
        )

    def _mark_acked(self, first_seq: int, through_seq: int, conflicts: list[Conflict]) -> int:
        """Mark what the mall applied as delivered; an event it recorded as a conflict is kept
        with its reason instead, never counted as delivered."""
        with self.db.write() as session:
            for conflict in conflicts:
                log.warning(
                    "the mall recorded event %d as a conflict: %s", conflict.device_seq, conflict
                )
            record_conflicts(session, {str(c.event_id): c.reason for c in conflicts})
            return mark_acked(session, first_seq=first_seq, through_seq=through_seq)

    def prune_outbox(self, *, now: datetime | None = None) -> int:
        """Drop events the mall acknowledged more than ACKED_RETENTION ago (the journal keeps
        the history), one short write transaction per batch so a sale never waits long."""
        acked_before = (now or utc_now()) - ACKED_RETENTION
        pruned = 0
        while True:
            with self.db.write() as session:
                batch = prune_acked_batch(session, acked_before=acked_before)
            pruned += batch
            if batch < PRUNE_BATCH:
                return pruned

    def _rewind(self, expected_seq: int, first_pending: int) -> None:
        """The mall lost events this till thought acknowledged: send them again from there."""
        if expected_seq >= first_pending:
            raise SyncServerError(f"the mall asks for device_seq {expected_seq}, already sent")
        with self.db.write() as session:
            have = select(OutboxEvent.id).where(OutboxEvent.device_seq == expected_seq)
            if session.scalar(have) is None:
                raise SyncError(
                    f"the mall is missing this till's events from device_seq {expected_seq}, "
                    "which this till no longer has; ask support to reconcile"
                )
            resend = select(OutboxEvent.id).where(OutboxEvent.device_seq >= expected_seq)
            session.execute(delete(OutboxConflict).where(OutboxConflict.event_id.in_(resend)))
            result = cast(
                CursorResult[Any],
                session.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.device_seq >= expected_seq)
                    .values(acked_at=None)
                ),
            )
            log.warning(
                "the mall asked again for events from %d (%d events)", expected_seq, result.rowcount
            )

    # -- pull -------------------------------------------------------------------------------------

    def pull(self) -> int:
        """Apply change feed pages until the mall has no more; returns how many changes."""
        applied = 0
        while True:
            with self.db.read() as session:
                cursor = get_state(session, CURSOR, 0)
            page = self.client.changes(cursor, self.page_size)
            with self.db.write() as session:
                _apply_page(session, page)
                set_state(session, CURSOR, page.next_cursor)
            applied += len(page.changes)
            if not page.has_more:
                return applied

    def pull_claims(self) -> int:
        """Record the receipts of this store claimed in the mini-program since the last round
        (each page and its cursor in one transaction); returns how many claims arrived."""
        recorded = 0
        while True:
            with self.db.read() as session:
                after = get_state(session, CLAIMS_AFTER, 0)
            page = self.client.claimed_receipts(after)
            if not page.claims:
                return recorded
            with self.db.write() as session:
                for claim in page.claims:
                    session.merge(
                        ClaimedReceipt(
                            till_id=claim.till_id,
                            till_seq=claim.till_seq,
                            claimed_at=claim.claimed_at,
                        )
                    )
                set_state(session, CLAIMS_AFTER, page.next_after)
            recorded += len(page.claims)

    def bootstrap(self) -> int:
        """First start: load the whole catalog from the snapshot (going on from where a cut
        download stopped, see sync.bootstrap), then the store's open orders and promotions, all
        made current in one last transaction with the cursor. Returns the product count."""
        loaded = load_snapshot(self.db, self.client, self.snapshot_batch)
        orders = self.client.orders()
        promotions = self.client.promotions()
        with self.db.write() as session:
            loaded.finish(session)
            for order in orders:
                store_order(session, order)
            if promotions is not None:
                store_promotions(session, promotions)
        return loaded.count

    # -- online orders ----------------------------------------------------------------------------

    def hand_over(self, order_id: str, pickup_code: str) -> OnlineOrder:
        """Complete the order at the mall (needs it online), then take the goods off local stock
        once. Raises SyncRejected for a wrong code or an order that is no longer open."""
        order = self.client.hand_over(order_id, pickup_code)
        with self.db.write() as session:
            if store_order(session, order, handed_over_here=True):
                for line in order.lines:
                    product_id = session.scalar(select(Product.id).where(Product.sku == line.sku))
                    if product_id is not None:
                        session.add(
                            StockMove(
                                product_id=product_id,
                                delta=-line.qty,
                                reason="sale",
                                ref=f"online:{order.order_no}",
                            )
                        )
        return order


def _apply_page(session: Any, page: ChangeFeedPage) -> None:
    """Apply a page's changes in order, grouping runs of products into batch upserts."""
    products: dict[str, ProductData | None] = {}
    for change in page.changes:
        if change.entity == "product":
            products.pop(change.key, None)  # keep the latest position of a key
            products[change.key] = change.data
        elif change.entity == "promotions":
            if change.data is not None:
                store_promotions(session, change.data)
        elif change.data is None:
            forget_order(session, change.key)
        else:
            store_order(session, change.data)
    apply_products(session, [data for data in products.values() if data is not None])
    apply_tombstones(session, [sku for sku, data in products.items() if data is None])


def engine_for(db: Database, data_dir: Path | None = None) -> SyncEngine:
    """The engine for this till, using the credentials kept beside its database (NotPaired if
    there are none)."""
    credentials = load_credentials(data_dir or db.path.parent)
    return SyncEngine(db, credentials.client())
