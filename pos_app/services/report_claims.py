"""Receipts whose QR code customers claimed in the mini-program (the claims the mall synced):
per day and as the period's share."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from pos_app.services.report_period import SHOP_TZ_MODIFIER, Period, days_in
from pos_app.services.report_ratios import share_bp
from pos_app.services.report_receipts import receipts_by
from pos_app.services.report_table import Kind, ReportTable, columns
from pos_app.store.backoffice_models import ReportSalesHour
from pos_app.store.member_models import ClaimedReceipt
from pos_app.store.models import Sale


def _claims_by_day(session: Session, period: Period) -> dict[str, tuple[int, int]]:
    """day → (receipts, of them claimed in the mini-program), from the claims the mall synced.
    Receipts are counted in the hourly rollup; only the claimed receipts are looked up among
    the sales (by till number)."""
    receipts = {
        day: sums[0] for day, sums in receipts_by(session, period, ReportSalesHour.day).items()
    }
    start, end = period.utc_bounds()
    day = func.date(Sale.created_at, SHOP_TZ_MODIFIER)
    claimed = and_(ClaimedReceipt.till_id == Sale.till_id, ClaimedReceipt.till_seq == Sale.till_seq)
    query = (
        select(day, func.count())
        .select_from(ClaimedReceipt)
        .join(Sale, claimed)
        .where(Sale.kind == "sale", Sale.created_at >= start, Sale.created_at < end)
        .group_by(day)
    )
    claims = {label: int(n) for label, n in session.execute(query)}
    return {
        label: (n, claims.get(label, 0)) for label, n in receipts.items() if n or label in claims
    }


def qr_claims(session: Session, period: Period) -> ReportTable:
    """Per day: receipts, how many of their QR codes customers claimed in the mini-program, and
    the share (the shop's online conversion; claims arrive with each sync round)."""
    found = _claims_by_day(session, period)
    rows = []
    for day in days_in(period):
        receipts, claims = found.get(day.isoformat(), (0, 0))
        rows.append((day.isoformat(), claims, receipts, share_bp(claims, receipts)))
    header = columns(day=Kind.TEXT, claimed=Kind.COUNT, receipts=Kind.COUNT, share_bp=Kind.BP)
    return ReportTable("qr_claims", header, tuple(rows))


def claim_share_bp(session: Session, period: Period) -> int:
    receipts = claims = 0
    for day_receipts, day_claims in _claims_by_day(session, period).values():
        receipts, claims = receipts + day_receipts, claims + day_claims
    return share_bp(claims, receipts)
