"""The change feed: which keys changed, in server_seq order, for a store.

A change row only names a key; its data is read when the feed is served, so a till always gets
the latest state (a product as its store sells it, an order as it is now) or a tombstone. Only
the latest change of a key is kept. Writers lock the feed_head row until they commit, so rows
become visible in server_seq order and a cursor never skips one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from mall.catalog_view import products_by_sku
from mall.models import ChangeRow, FeedHeadRow
from mall.order_view import orders_by_id
from sync.protocol import ChangeFeedPage, OrderChange, ProductChange

CHAIN = ""  # the scope of chain-wide changes
_DELETE_CHUNK = 500


def head_seq(session: Session) -> int:
    return session.scalar(select(FeedHeadRow.last_seq).where(FeedHeadRow.id == 1)) or 0


def record_changes(
    session: Session, entity: str, keys: Sequence[str], *, scope: str = CHAIN
) -> None:
    """Append one change per key (in the caller's transaction), replacing older ones of the key."""
    if not keys:
        return
    last = session.scalar(select(FeedHeadRow.last_seq).where(FeedHeadRow.id == 1).with_for_update())
    assert last is not None, "the feed_head row is missing; run `pos-mall db upgrade`"
    session.execute(
        update(FeedHeadRow).where(FeedHeadRow.id == 1).values(last_seq=last + len(keys))
    )
    for start in range(0, len(keys), _DELETE_CHUNK):
        chunk = keys[start : start + _DELETE_CHUNK]
        session.execute(
            delete(ChangeRow).where(
                ChangeRow.entity == entity, ChangeRow.scope == scope, ChangeRow.key.in_(chunk)
            )
        )
    rows = [
        {"server_seq": last + number, "entity": entity, "key": key, "scope": scope}
        for number, key in enumerate(keys, start=1)
    ]
    session.execute(insert(ChangeRow), rows)


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
    rows = session.execute(query).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    products = products_by_sku(session, store_id, [r.key for r in rows if r.entity == "product"])
    orders = orders_by_id(session, store_id, [r.key for r in rows if r.entity == "order"])
    changes: list[ProductChange | OrderChange] = []
    for seq, entity, key in rows:
        if entity == "product":
            changes.append(
                ProductChange(server_seq=seq, entity="product", key=key, data=products.get(key))
            )
        else:
            changes.append(
                OrderChange(server_seq=seq, entity="order", key=key, data=orders.get(key))
            )
    next_cursor = rows[-1].server_seq if rows else cursor
    return ChangeFeedPage(changes=changes, next_cursor=next_cursor, has_more=has_more)
