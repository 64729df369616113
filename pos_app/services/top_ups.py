"""Stored-value top-ups (充值) at the till: the member pays money, the mall credits the paid
amount and the bonus of its tiers (充200送20) when the top_up event syncs.

One transaction stores the top-up, its tenders, the code payments it used, the journal entry
and the outbox event, so a top-up is never booked without the money, nor the money without the
top-up. The till never knows the new balance (the mall's ledger holds it, and the event may
wait in the outbox): the receipt says 余额以商城为准.

Only a member who showed their own code (QR or the 18 digits) at this till may be topped up:
the cashier must name the right member, and a phone number alone is easy to mistype.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.domain.money import format_fen
from pos_app.domain.print_jobs import JobKind
from pos_app.domain.tenders import Tender, TenderKind, settle, with_change
from pos_app.domain.top_up import TopUpTier, bonus_for
from pos_app.hardware.escpos_render import PrinterProfile, render_job
from pos_app.hardware.receipt_layout import TENDER_LABELS
from pos_app.hardware.report_slip import report_blocks
from pos_app.services.errors import NotFullyPaid, ServiceError
from pos_app.services.events import queue_event
from pos_app.services.members import known_member
from pos_app.services.payment_attempts import claim_top_up_payments, close_payment_draft
from pos_app.services.points import mall_rules
from pos_app.services.printing import enqueue_job
from pos_app.services.receipts import mask_member_id
from pos_app.services.till import require_open_shift, till_identity, time_zone
from pos_app.store.db import Database
from pos_app.store.journal import append_journal
from pos_app.store.models import utc_now
from pos_app.store.payment_models import TopUp, TopUpPayment
from pos_app.store.settings import get_setting

MEMBER_ID_PREFIX = "M"  # a member the mall knows (not "tel:…", signed up offline)
MONEY_KINDS = (TenderKind.CASH, TenderKind.CARD, TenderKind.WECHAT, TenderKind.ALIPAY)


class TopUpRefused(ServiceError):
    """The top-up cannot be taken as asked (no member code shown, not money, nothing to pay)."""


@dataclass(frozen=True)
class TopUpResult:
    top_up_id: int
    top_up_no: str
    member_id: str
    amount_fen: int
    bonus_fen: int
    change_fen: int
    cash_fen: int


def top_up_tiers(session: Session) -> list[TopUpTier]:
    """The chain's tiers as the mall last sent them, lowest first (none until it answered)."""
    tiers = mall_rules(session).get("top_up_tiers", [])
    return sorted(TopUpTier(int(t["pay_fen"]), int(t["bonus_fen"])) for t in tiers)


def check_member(member_id: str | None, shown_code_of: str | None) -> str:
    """The member to top up: the sale's member, who showed their code at this till."""
    if member_id is None:
        raise TopUpRefused("Attach the member first (F4).", code="top_up_no_member")
    if member_id != shown_code_of or not member_id.startswith(MEMBER_ID_PREFIX):
        raise TopUpRefused(
            "A top-up needs the member's own code scanned at this till.",
            code="top_up_code_needed",
        )
    return member_id


def record_top_up(
    db: Database,
    *,
    member_id: str,
    amount_fen: int,
    tenders: Sequence[Tender],
    cashier_id: int,
    payment_draft: str | None = None,
) -> TopUpResult:
    """Store a fully paid top-up with its tenders, journal entry and outbox event."""
    from sync.protocol import PaymentPayload, TopUpPayload

    if amount_fen <= 0:
        raise TopUpRefused("Enter the amount to top up.", code="top_up_amount")
    if any(t.kind not in MONEY_KINDS for t in tenders):
        raise TopUpRefused("A top-up is paid in money only.", code="top_up_money_only")
    settlement = settle(amount_fen, tenders)
    if not settlement.is_paid:
        remaining = format_fen(settlement.remaining_fen)
        raise NotFullyPaid(f"{remaining} is still to pay.", code="not_paid", amount=remaining)
    with db.write() as session:
        identity = till_identity(session)
        shift = require_open_shift(session, identity.till_id)
        count = session.scalar(select(func.count()).select_from(TopUp)) or 0
        top_up = TopUp(
            top_up_no=f"{identity.till_id}-C{count + 1:06d}",
            shift_id=shift.id,
            cashier_id=cashier_id,
            member_id=member_id,
            amount_fen=amount_fen,
            bonus_fen=bonus_for(top_up_tiers(session), amount_fen),
            created_at=utc_now(),
        )
        session.add(top_up)
        session.flush()
        payments = []
        for tender, change in with_change(settlement):
            payments.append(
                TopUpPayment(
                    top_up_id=top_up.id,
                    kind=str(tender.kind),
                    amount_fen=tender.amount_fen,
                    tendered_fen=tender.amount_fen + change,
                    change_fen=change,
                    reference=tender.reference,
                )
            )
        session.add_all(payments)
        claim_top_up_payments(session, top_up.id, payments)
        if payment_draft is not None:
            close_payment_draft(session, payment_draft)
        payload = TopUpPayload(
            top_up_no=top_up.top_up_no,
            store_id=identity.store_id,
            till_id=identity.till_id,
            created_at=top_up.created_at,
            cashier=cashier_id,
            member_id=member_id,
            amount_fen=amount_fen,
            bonus_fen=top_up.bonus_fen,
            payments=[
                PaymentPayload(kind=p.kind, amount_fen=p.amount_fen, reference=p.reference)
                for p in payments
            ],
        )
        queue_event(session, payload)
        append_journal(
            session,
            till_id=identity.till_id,
            kind="top_up",
            actor_id=cashier_id,
            payload=payload.model_dump(mode="json"),
        )
        cash = sum(t.amount_fen for t in tenders if t.kind is TenderKind.CASH)
        return TopUpResult(
            top_up.id,
            top_up.top_up_no,
            member_id,
            amount_fen,
            top_up.bonus_fen,
            settlement.change_fen,
            cash,
        )


def _receipt_rows(session: Session, top_up: TopUp) -> tuple[list[str], list[tuple[str, str]]]:
    member = known_member(session, top_up.member_id)
    who = f"****{member.phone_tail}" if member and member.phone_tail else ""
    who = who or mask_member_id(top_up.member_id)
    at = top_up.created_at.astimezone(time_zone(session))
    header = [
        get_setting(session, "store_name"),
        f"单号：{top_up.top_up_no}",
        f"时间：{at:%Y-%m-%d %H:%M}",
        f"会员：{who}",
    ]
    rows = [("充值金额", format_fen(top_up.amount_fen))]
    if top_up.bonus_fen:
        rows.append(("充值赠送", format_fen(top_up.bonus_fen)))
    payments = session.scalars(
        select(TopUpPayment).where(TopUpPayment.top_up_id == top_up.id).order_by(TopUpPayment.id)
    )
    for payment in payments:
        paid = format_fen(payment.tendered_fen)
        rows.append((f"实收（{TENDER_LABELS.get(payment.kind, payment.kind)}）", paid))
        if payment.change_fen:
            rows.append(("找零", format_fen(payment.change_fen)))
    rows.append(("余额以商城为准", ""))
    return header, rows


def enqueue_top_up_receipt(db: Database, top_up_id: int) -> int:
    """Queue the top-up receipt (充值小票)."""

    def render(session: Session, profile: PrinterProfile) -> bytes:
        top_up = session.get(TopUp, top_up_id)
        assert top_up is not None
        header, rows = _receipt_rows(session, top_up)
        return render_job(report_blocks("充值小票", header, rows, profile.columns), profile)

    return enqueue_job(db, JobKind.RECEIPT, render)
