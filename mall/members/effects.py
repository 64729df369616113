"""What pushed events do to members (called by Effects inside the push transaction, after the
batch's sales are inserted): signups create members, a sale earns its points and captures its
redemption holds, a refund reverses exactly what its sale recorded, and a receipt claimed before
its sale arrived is credited now.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mall.devices import DeviceIdentity
from mall.members.claims import credit_claim, pending_claims, reverse_claim
from mall.members.holds import HOLD_KINDS, Redemption, capture, give_back
from mall.members.ledger import add_units, get_or_create_member, resolve_member
from mall.members.models import MemberRow
from mall.models import SaleRow, utc_now
from sync.protocol import MemberSignupPayload, RefundPayload, SalePayload, Strict

log = logging.getLogger(__name__)

MemberEvent = tuple[str, Strict]  # event id, typed payload (sale, refund or signup)


def _member(session: Session, event_id: str, sale: SalePayload) -> MemberRow | None:
    if sale.member_id is None:
        return None
    member = resolve_member(session, sale.member_id, store_id=sale.store_id)
    if member is None:
        log.warning("sale event %s names unknown member; no points recorded", event_id)
    elif member.id != sale.member_id:  # "tel:<phone>" from an offline signup: keep the id only
        session.execute(update(SaleRow).where(SaleRow.id == event_id).values(member_id=member.id))
    return member


def _sale(session: Session, event_id: str, sale: SalePayload, member: MemberRow) -> None:
    now = utc_now()
    add_units(
        session,
        "points",
        member.id,
        sale.points_earned,
        "sale",
        event_id,
        now=now,
        store_id=sale.store_id,
    )
    for payment in sale.payments:
        if payment.kind in HOLD_KINDS:
            redemption = Redemption(
                member, payment.kind, payment.amount_fen, payment.reference, event_id, sale.store_id
            )
            capture(session, redemption, now=now)


def _refund(
    session: Session, event_id: str, refund: RefundPayload, member: MemberRow | None
) -> None:
    now = utc_now()
    if member is not None:
        add_units(
            session,
            "points",
            member.id,
            refund.points_earned,
            "refund",
            event_id,
            now=now,
            store_id=refund.store_id,
        )
        for payment in refund.payments:
            if payment.kind in HOLD_KINDS and payment.amount_fen < 0:
                give_back(session, payment.reference, -payment.amount_fen, event_id, now=now)
    if refund.original_sale_no is not None:
        original = session.scalar(
            select(SaleRow).where(
                SaleRow.store_id == refund.store_id, SaleRow.sale_no == refund.original_sale_no
            )
        )
        if original is not None:
            reverse_claim(session, original, event_id, now=now)


def apply_member_events(
    session: Session, device: DeviceIdentity, events: Sequence[MemberEvent]
) -> None:
    """Apply the member side of a batch's signups, sales and refunds, in device order."""
    sales = [
        (p.till_id, p.till_seq)
        for _, p in events
        if isinstance(p, SalePayload) and not isinstance(p, RefundPayload)
    ]
    claims = pending_claims(session, device.store_id, sales)
    for event_id, payload in events:
        if isinstance(payload, MemberSignupPayload):
            get_or_create_member(
                session, payload.phone, source="till", store_id=payload.store_id, name=payload.name
            )
        elif isinstance(payload, RefundPayload):
            _refund(session, event_id, payload, _member(session, event_id, payload))
        elif isinstance(payload, SalePayload):
            member = _member(session, event_id, payload)
            if member is not None:
                _sale(session, event_id, payload, member)
            claim = claims.get((payload.till_id, payload.till_seq))
            if claim is not None:
                sale_row = session.get(SaleRow, event_id)
                if sale_row is not None:
                    credit_claim(session, claim, sale_row, now=utc_now())
