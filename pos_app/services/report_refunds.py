"""Money given back: refund receipts from the hourly rollup and the lines and whole sales
voided before payment, counted from the journal."""

from __future__ import annotations

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pos_app.services.report_period import Period
from pos_app.services.report_receipts import receipts_by
from pos_app.services.report_table import Kind, ReportTable, columns
from pos_app.store.models import JournalEntry

VOID_KINDS = ("void_line", "void_sale")


def _void_amount() -> ColumnElement[int]:
    """What a void took off: a line's amount_fen, a whole sale's total_fen (0 when the entry
    recorded no amount)."""
    payload = JournalEntry.payload
    return func.coalesce(
        func.json_extract(payload, "$.amount_fen"), func.json_extract(payload, "$.total_fen"), 0
    )


def voids_by_kind(session: Session, period: Period) -> dict[str, tuple[int, int]]:
    """kind → (count, amount) of void_line / void_sale journal entries in the period."""
    start, end = period.utc_bounds()
    amount = func.coalesce(func.sum(_void_amount()), 0)
    query = (
        select(JournalEntry.kind, func.count(), amount)
        .where(
            JournalEntry.kind.in_(VOID_KINDS),
            JournalEntry.created_at >= start,
            JournalEntry.created_at < end,
        )
        .group_by(JournalEntry.kind)
    )
    return {kind: (int(n), int(fen)) for kind, n, fen in session.execute(query)}


def refunds_and_voids(session: Session, period: Period) -> ReportTable:
    """Refund receipts and amount; lines and whole sales voided before payment (amounts where
    the journal entry recorded one)."""
    totals = receipts_by(session, period, literal(1)).get(1, (0, 0, 0, 0))
    voids = voids_by_kind(session, period)
    rows = (
        ("refund", totals[3], totals[2]),
        *((kind, *voids.get(kind, (0, 0))) for kind in VOID_KINDS),
    )
    header = columns(kind=Kind.TEXT, count=Kind.COUNT, amount_fen=Kind.FEN)
    return ReportTable("refunds_voids", header, rows)
