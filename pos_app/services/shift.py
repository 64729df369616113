"""Shifts (DESIGN §3): open with a float, cash in/out, X report, blind count and final Z close.
Top-ups (充值) are counted apart from sales; their cash is in the drawer's expected cash."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.domain.tenders import TenderKind
from pos_app.services.errors import ShiftError
from pos_app.services.events import queue_event
from pos_app.services.hold import HeldSummary, list_held
from pos_app.services.payment_attempts import StoredAttempt, unsettled_attempts
from pos_app.services.till import open_shift_of, require_open_shift, till_identity
from pos_app.store.db import Database
from pos_app.store.journal import append_journal
from pos_app.store.models import CashMove, Payment, Sale, Shift, utc_now
from pos_app.store.payment_models import TopUp, TopUpPayment


@dataclass(frozen=True)
class ShiftReport:
    """X (running) or Z (final) figures of one shift, all in fen."""

    shift_id: int
    float_fen: int
    sales_count: int
    refunds_count: int
    sales_fen: int
    refunds_fen: int
    by_tender: dict[str, int] = field(default_factory=dict)
    cash_moves_fen: int = 0
    expected_cash_fen: int = 0
    counted_cash_fen: int | None = None
    z_no: int | None = None
    # stored value bought (充值): money in the drawer or paid by code, not sales
    top_ups_count: int = 0
    top_ups_fen: int = 0
    top_up_by_tender: dict[str, int] = field(default_factory=dict)

    @property
    def net_fen(self) -> int:
        return self.sales_fen + self.refunds_fen

    @property
    def over_short_fen(self) -> int | None:
        if self.counted_cash_fen is None:
            return None
        return self.counted_cash_fen - self.expected_cash_fen


@dataclass(frozen=True)
class OpenBusiness:
    """What is still open when a Z close is asked for: held carts (挂单), which stay for the next
    shift, and payment-code attempts whose money may still be at the provider."""

    held: list[HeldSummary]
    unsettled: list[StoredAttempt]


def open_business(db: Database) -> OpenBusiness:
    """The held carts and unsettled payment attempts a Z close must warn about."""
    return OpenBusiness(list_held(db), unsettled_attempts(db))


def open_shift(db: Database, *, staff_id: int, float_fen: int) -> int:
    if float_fen < 0:
        raise ShiftError("The float cannot be negative.", code="shift_float_negative")
    with db.write() as session:
        till_id = till_identity(session).till_id
        if open_shift_of(session, till_id) is not None:
            raise ShiftError("A shift is already open on this till.", code="shift_already_open")
        shift = Shift(till_id=till_id, opened_by=staff_id, opened_at=utc_now(), float_fen=float_fen)
        session.add(shift)
        session.flush()
        append_journal(
            session,
            till_id=till_id,
            kind="shift_open",
            actor_id=staff_id,
            payload={"shift_id": shift.id, "float_fen": float_fen},
        )
        return shift.id


def record_cash_move(
    db: Database, *, staff_id: int, amount_fen: int, reason: str, approver_id: int | None = None
) -> None:
    """Cash put into (+) or taken out of (−) the drawer outside a sale."""
    if amount_fen == 0:
        raise ShiftError("Enter an amount other than zero.", code="shift_move_zero")
    with db.write() as session:
        till_id = till_identity(session).till_id
        shift = require_open_shift(session, till_id)
        session.add(
            CashMove(shift_id=shift.id, amount_fen=amount_fen, reason=reason, staff_id=staff_id)
        )
        append_journal(
            session,
            till_id=till_id,
            kind="cash_move",
            actor_id=staff_id,
            approver_id=approver_id,
            payload={"shift_id": shift.id, "amount_fen": amount_fen, "reason": reason},
        )


def _report(session: Session, shift: Shift) -> ShiftReport:
    sales = select(Sale.kind, func.count(), func.sum(Sale.total_fen)).where(
        Sale.shift_id == shift.id
    )
    totals = {
        kind: (count, amount or 0)
        for kind, count, amount in session.execute(sales.group_by(Sale.kind))
    }
    by_tender: dict[str, int] = defaultdict(int)
    tender_rows = (
        select(Payment.kind, func.sum(Payment.amount_fen))
        .join(Sale)
        .where(Sale.shift_id == shift.id)
        .group_by(Payment.kind)
    )
    for kind, amount in session.execute(tender_rows):
        by_tender[kind] = amount
    moves = (
        session.scalar(select(func.sum(CashMove.amount_fen)).where(CashMove.shift_id == shift.id))
        or 0
    )
    top_ups_count = session.scalar(select(func.count()).where(TopUp.shift_id == shift.id)) or 0
    top_up_rows = (
        select(TopUpPayment.kind, func.sum(TopUpPayment.amount_fen))
        .join(TopUp, TopUp.id == TopUpPayment.top_up_id)
        .where(TopUp.shift_id == shift.id)
        .group_by(TopUpPayment.kind)
    )
    top_up_by_tender = {kind: amount for kind, amount in session.execute(top_up_rows)}
    drawer_cash = by_tender.get(TenderKind.CASH, 0) + top_up_by_tender.get(TenderKind.CASH, 0)
    sales_count, sales_fen = totals.get("sale", (0, 0))
    refunds_count, refunds_fen = totals.get("refund", (0, 0))
    return ShiftReport(
        shift_id=shift.id,
        float_fen=shift.float_fen,
        sales_count=sales_count,
        refunds_count=refunds_count,
        sales_fen=sales_fen,
        refunds_fen=refunds_fen,
        by_tender=dict(by_tender),
        cash_moves_fen=moves,
        expected_cash_fen=shift.float_fen + drawer_cash + moves,
        counted_cash_fen=shift.counted_cash_fen,
        z_no=shift.z_no,
        top_ups_count=top_ups_count,
        top_ups_fen=sum(top_up_by_tender.values()),
        top_up_by_tender=top_up_by_tender,
    )


def x_report(db: Database) -> ShiftReport:
    """Running figures of the open shift; changes nothing."""
    with db.read() as session:
        return _report(session, require_open_shift(session, till_identity(session).till_id))


def shift_report(db: Database, shift_id: int) -> ShiftReport:
    with db.read() as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            raise ShiftError(f"There is no shift {shift_id}.", code="shift_missing", id=shift_id)
        return _report(session, shift)


def close_shift(
    db: Database, *, staff_id: int, counted_cash_fen: int, approver_id: int | None = None
) -> ShiftReport:
    """Z close after a blind count: final, numbered, journaled (with who approved it, when the
    closer's role may not close alone); the shift cannot reopen."""
    from sync.protocol import ShiftClosePayload

    if counted_cash_fen < 0:
        raise ShiftError("The counted cash cannot be negative.", code="shift_counted_negative")
    with db.write() as session:
        till_id = till_identity(session).till_id
        shift = require_open_shift(session, till_id)
        expected = _report(session, shift).expected_cash_fen
        shift.z_no = (session.scalar(select(func.max(Shift.z_no))) or 0) + 1
        shift.closed_by = staff_id
        shift.closed_at = utc_now()
        shift.counted_cash_fen = counted_cash_fen
        shift.expected_cash_fen = expected
        session.flush()
        report = _report(session, shift)
        top_ups = {"top_ups_by_tender": report.top_up_by_tender} if report.top_up_by_tender else {}
        summary = ShiftClosePayload(
            till_id=till_id,
            shift_id=shift.id,
            z_no=shift.z_no,
            net_fen=report.net_fen,
            by_tender=report.by_tender,
            expected_cash_fen=expected,
            counted_cash_fen=counted_cash_fen,
            **top_ups,
        )
        append_journal(
            session,
            till_id=till_id,
            kind="z_close",
            actor_id=staff_id,
            approver_id=approver_id,
            payload=summary.model_dump(),
        )
        queue_event(session, summary)
        return report
