"""What pushed events do to members (called by Effects inside the push transaction, after the
batch's sales are inserted): signups create members, a sale earns the points the mall's own
rules give and captures its redemption holds, a refund takes back the share of what its sale
earned and gives back what its sale captured, a top-up credits what was paid and the bonus of
the mall's tiers (mall.members.top_ups), a receipt claimed before its sale arrived is
credited now, and members who reached a higher tier move up (mall.members.tiers). The till's
figures are claims: compared, a difference left for review (mall.reviews), never credited.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from mall.coupons.settle import redeem_for_sale, restore_after_refund
from mall.devices import DeviceIdentity
from mall.members.claims import credit_claim, pending_claims, reverse_claim, sale_points
from mall.members.holds import HOLD_KINDS, Redemption, Unsettled, capture, give_back
from mall.members.ledger import add_units, get_or_create_member, resolve_member
from mall.members.models import MemberRow
from mall.members.tiers import upgrade_tiers
from mall.members.top_ups import apply_top_up
from mall.models import SaleRow, utc_now
from mall.reviews import record_review
from pos_app.domain.points import points_to_reverse
from sync.protocol import (
    MemberSignupPayload,
    PushEvent,
    RefundPayload,
    SalePayload,
    Strict,
    TopUpPayload,
)

log = logging.getLogger(__name__)

MemberEvent = tuple[PushEvent, Strict]  # the event and its typed payload (sale, refund, signup,
# top-up)


class _Applier:
    """The member side of one push batch, by one device."""

    def __init__(self, session: Session, device: DeviceIdentity) -> None:
        self.session = session
        self.device = device

    def member(self, event: PushEvent, sale: SalePayload) -> MemberRow | None:
        if sale.member_id is None:
            return None
        member = resolve_member(self.session, sale.member_id, store_id=self.device.store_id)
        if member is None:
            log.warning("sale event %s names unknown member; no points recorded", event.id)
        elif member.id != sale.member_id:  # "tel:<phone>" from an offline signup: keep the id
            self.session.execute(
                update(SaleRow).where(SaleRow.id == str(event.id)).values(member_id=member.id)
            )
        return member

    def compare_points(self, event: PushEvent, claimed: int, computed: int) -> None:
        """Book the mall's figure on the sale; a different claim waits for review."""
        self.session.execute(
            update(SaleRow).where(SaleRow.id == str(event.id)).values(points_earned=computed)
        )
        if claimed != computed:
            detail = f"the till claimed {claimed} points; the mall's rules give {computed}"
            record_review(self.session, self.device, event, "points_differ", detail)

    def sale(self, event: PushEvent, sale: SalePayload) -> None:
        redeem_for_sale(self.session, self.device, event, sale, now=utc_now())
        member = self.member(event, sale)
        if member is None:
            self.compare_points(event, sale.points_earned, 0)
            return
        now, sale_id = utc_now(), str(event.id)
        row = self.session.get(SaleRow, sale_id)
        assert row is not None
        points = sale_points(self.session, row, member.tier)
        self.compare_points(event, sale.points_earned, points)
        add_units(
            self.session,
            "points",
            member.id,
            points,
            "sale",
            sale_id,
            now=now,
            store_id=self.device.store_id,
        )
        for payment in sale.payments:
            if payment.kind in HOLD_KINDS:
                redemption = Redemption(
                    member,
                    payment.kind,
                    payment.amount_fen,
                    payment.reference,
                    sale_id,
                    self.device,
                )
                try:
                    capture(self.session, redemption, now=now)
                except Unsettled as unsettled:
                    record_review(
                        self.session, self.device, event, unsettled.reason, unsettled.detail
                    )

    def refund(self, event: PushEvent, refund: RefundPayload) -> None:
        """Take back the share of the points the refunded sale earned (as the till computes
        it), give back what its holds captured; a refund never credits points."""
        original = None
        if refund.original_sale_no is not None:
            original = self.session.scalar(
                select(SaleRow).where(
                    SaleRow.store_id == self.device.store_id,
                    SaleRow.sale_no == refund.original_sale_no,
                    SaleRow.kind == "sale",
                )
            )
        now, refund_id = utc_now(), str(event.id)
        points = self._points_to_take_back(original, -refund.total_fen, refund_id)
        self.compare_points(event, refund.points_earned, -points)
        if original is not None:
            restore_after_refund(self.session, self.device, original, refund_id, now=now)
        if original is None:
            for payment in refund.payments:
                if payment.kind in HOLD_KINDS:
                    detail = "a refund without its sale gives back no points or stored value"
                    record_review(self.session, self.device, event, "refund_hold_unknown", detail)
            return
        if original.member_id is not None:
            add_units(
                self.session,
                "points",
                original.member_id,
                -points,
                "refund",
                refund_id,
                now=now,
                store_id=self.device.store_id,
            )
        for payment in refund.payments:
            if payment.kind in HOLD_KINDS and payment.amount_fen < 0:
                try:
                    give_back(
                        self.session,
                        original.id,
                        payment.reference,
                        -payment.amount_fen,
                        refund_id,
                        now=now,
                    )
                except Unsettled as unsettled:
                    record_review(
                        self.session, self.device, event, unsettled.reason, unsettled.detail
                    )
        reverse_claim(self.session, original, refund_id, now=now)

    def _points_to_take_back(
        self, original: SaleRow | None, refund_fen: int, refund_id: str
    ) -> int:
        if original is None or original.member_id is None or original.points_earned <= 0:
            return 0
        taken = -(
            self.session.scalar(
                select(func.coalesce(func.sum(SaleRow.points_earned), 0)).where(
                    SaleRow.store_id == original.store_id,
                    SaleRow.original_sale_no == original.sale_no,
                    SaleRow.id != refund_id,
                )
            )
            or 0
        )
        share = points_to_reverse(
            earned=original.points_earned, refunded_fen=refund_fen, paid_fen=original.total_fen
        )
        return max(0, min(share, original.points_earned - taken))


def apply_member_events(
    session: Session, device: DeviceIdentity, events: Sequence[MemberEvent]
) -> None:
    """Apply the member side of a batch's signups, sales, refunds and top-ups, in device order."""
    sales = [
        (p.till_id, p.till_seq)
        for _, p in events
        if isinstance(p, SalePayload) and not isinstance(p, RefundPayload)
    ]
    claims = pending_claims(session, device.store_id, sales)
    applier = _Applier(session, device)
    for event, payload in events:
        if isinstance(payload, MemberSignupPayload):
            get_or_create_member(
                session, payload.phone, source="till", store_id=device.store_id, name=payload.name
            )
        elif isinstance(payload, TopUpPayload):
            apply_top_up(session, device, event, payload)
        elif isinstance(payload, RefundPayload):
            applier.refund(event, payload)
        elif isinstance(payload, SalePayload):
            applier.sale(event, payload)
            claim = claims.get((payload.till_id, payload.till_seq))
            if claim is not None:
                sale_row = session.get(SaleRow, str(event.id))
                if sale_row is not None:
                    credit_claim(session, claim, sale_row, now=utc_now())
    _upgrade(session, events, [claim.member_id for claim in claims.values()])


def _upgrade(session: Session, events: Sequence[MemberEvent], claimed: list[str]) -> None:
    """Members whose sales, refunds or claims came in may have reached a higher tier."""
    ids = [str(event.id) for event, payload in events if isinstance(payload, SalePayload)]
    if not ids and not claimed:
        return
    members = session.scalars(
        select(SaleRow.member_id).where(SaleRow.id.in_(ids), SaleRow.member_id.is_not(None))
    )
    upgrade_tiers(session, [*(m for m in members if m), *claimed])
