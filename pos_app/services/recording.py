"""The ledgers a sale or refund writes beside itself: stock deltas, the outbox event, the journal.
Shared by checkout and refund so both record the same facts the same way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pos_app.services.events import queue_event, sale_event_payload
from pos_app.services.promotions import NO_PROMOTIONS, SalePromotions
from pos_app.services.sale_facts import SaleFacts
from pos_app.store.bulk import insert_rows
from pos_app.store.journal import append_journal
from pos_app.store.models import StockMove


def post_stock(session: Session, sale: SaleFacts) -> None:
    """One stock delta per line: a sale takes goods out, a refund (negative qty) puts them back.
    One executemany for all lines."""
    moves = [
        {
            "product_id": line.product_id,
            "delta": -line.qty,
            "reason": sale.kind,
            "ref": sale.sale_no,
            "created_at": sale.created_at,
        }
        for line in sale.lines
    ]
    insert_rows(session, StockMove, moves)


def queue_sale_event(
    session: Session, sale: SaleFacts, promotions: SalePromotions = NO_PROMOTIONS
) -> None:
    queue_event(session, sale_event_payload(sale, promotions))


def journal_sale(
    session: Session, sale: SaleFacts, *, approver_id: int | None = None, **details: Any
) -> None:
    append_journal(
        session,
        till_id=sale.till_id,
        kind=sale.kind,
        actor_id=sale.cashier_id,
        approver_id=approver_id,
        payload={"sale_no": sale.sale_no, "total_fen": sale.total_fen, **details},
    )
