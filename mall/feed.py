"""The change feed: which keys changed, in server_seq order, for a store.

A change row only names a key; its data is read when the feed is served, so a till always gets
the latest state (a product as its store sells it, an order as it is now) or a tombstone. Only
the latest change of a key is kept.

Writers take no chain-wide lock: a change is written pending (no server_seq), in the writer's
own transaction, by an upsert of the key's one row (two writers of one key wait for each other;
writers of different keys never do). A publisher (before a till's pull or snapshot, and each
background tick) numbers the pending changes it can see, after the last number published, in a
short transaction of its own under the feed_head row lock (publishers take turns; writers never
wait for them beyond one row). It sees only committed changes, and its numbers become visible
all at once when it commits, so the published seqs are always a prefix: a reader's cursor never
passes a change that commits later, on PostgreSQL (READ COMMITTED, many workers) as on SQLite.
A key changed again after it was published goes back to pending and gets a later number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from mall.catalog_view import products_by_sku
from mall.db import MallDatabase, upsert
from mall.models import ChangeRow, FeedHeadRow, utc_now
from mall.order_view import orders_by_id
from mall.promotion_view import rule_set_data
from sync.protocol import Change, ChangeFeedPage, OrderChange, ProductChange, PromotionsChange

CHAIN = ""  # the scope of chain-wide changes
_UPSERT_CHUNK = 500
PUBLISH_BATCH = 5000


def head_seq(session: Session) -> int:
    """The last server_seq published."""
    return session.scalar(select(FeedHeadRow.last_seq).where(FeedHeadRow.id == 1)) or 0


def record_changes(
    session: Session, entity: str, keys: Sequence[str], *, scope: str = CHAIN
) -> None:
    """Mark each key changed (in the caller's transaction): its one change row becomes pending,
    to be numbered by the next publish after this transaction commits. Keys in sorted order, so
    two writers of the same keys wait for each other instead of deadlocking."""
    now = utc_now()
    ordered = sorted(set(keys))
    for start in range(0, len(ordered), _UPSERT_CHUNK):
        rows = [
            {"entity": entity, "scope": scope, "key": key, "changed_at": now, "server_seq": None}
            for key in ordered[start : start + _UPSERT_CHUNK]
        ]
        statement = upsert(session, ChangeRow).values(rows)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[ChangeRow.entity, ChangeRow.scope, ChangeRow.key],
                set_={"changed_at": statement.excluded.changed_at, "server_seq": None},
            )
        )


def _pending(session: Session) -> bool:
    query = select(ChangeRow.id).where(ChangeRow.server_seq.is_(None)).limit(1)
    return session.scalar(query) is not None


def publish(db: MallDatabase) -> int:
    """Number the committed pending changes after the last published, oldest change first, a
    batch per short transaction; returns how many. A plain read when nothing is pending."""
    with db.read() as session:
        if not _pending(session):
            return 0
    pending = select(ChangeRow.id).where(ChangeRow.server_seq.is_(None))
    published = 0
    table = cast(Table, ChangeRow.__table__)
    number = update(table).where(table.c.id == bindparam("row_id"))
    while True:
        with db.write() as session:
            head = select(FeedHeadRow.last_seq).where(FeedHeadRow.id == 1).with_for_update()
            last = session.scalar(head)
            assert last is not None, "the feed_head row is missing; run `pos-mall db upgrade`"
            ids = list(
                session.scalars(
                    pending.order_by(ChangeRow.changed_at, ChangeRow.id).limit(PUBLISH_BATCH)
                )
            )
            if ids:
                session.execute(
                    number.values(server_seq=bindparam("seq")),
                    [{"row_id": row_id, "seq": last + n} for n, row_id in enumerate(ids, 1)],
                )
                session.execute(
                    update(FeedHeadRow).where(FeedHeadRow.id == 1).values(last_seq=last + len(ids))
                )
        published += len(ids)
        if len(ids) < PUBLISH_BATCH:
            return published


def fresh_page(db: MallDatabase, store_id: str, cursor: int, limit: int) -> ChangeFeedPage:
    """read_page once the changes committed until now are published: one read transaction when
    none is pending (a till's pull costs no more than before)."""
    with db.read() as session:
        if not _pending(session):
            return read_page(session, store_id, cursor, limit)
    publish(db)
    with db.read() as session:
        return read_page(session, store_id, cursor, limit)


def read_page(session: Session, store_id: str, cursor: int, limit: int) -> ChangeFeedPage:
    """The changes after cursor that concern store_id, with their current data."""
    query = (
        select(ChangeRow.server_seq, ChangeRow.entity, ChangeRow.key)
        .where(
            ChangeRow.server_seq > cursor,
            or_(ChangeRow.scope == CHAIN, ChangeRow.scope == store_id),
        )
        .order_by(ChangeRow.server_seq)
        .limit(limit + 1)
    )
    found = session.execute(query).all()
    has_more = len(found) > limit
    rows = [(seq, entity, key) for seq, entity, key in found[:limit] if seq is not None]
    products = products_by_sku(
        session, store_id, [key for _, entity, key in rows if entity == "product"]
    )
    orders = orders_by_id(session, store_id, [key for _, entity, key in rows if entity == "order"])
    changes: list[Change] = []
    for seq, entity, key in rows:
        if entity == "product":
            changes.append(
                ProductChange(server_seq=seq, entity="product", key=key, data=products.get(key))
            )
        elif entity == "promotions":
            changes.append(
                PromotionsChange(
                    server_seq=seq, entity="promotions", key=key, data=rule_set_data(session)
                )
            )
        else:
            changes.append(
                OrderChange(server_seq=seq, entity="order", key=key, data=orders.get(key))
            )
    next_cursor = rows[-1][0] if rows else cursor
    return ChangeFeedPage(changes=changes, next_cursor=next_cursor, has_more=has_more)
