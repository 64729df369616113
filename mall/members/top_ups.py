"""A top-up pushed by a till: its tenders are kept for reconciliation (the code payments that
bought stored value belong to it, not to a sale), and the paid amount and the bonus of the
mall's own tiers go on the member's stored-value ledger (two entries, ref the event id, so a
replayed event, acknowledged without effect by mall.push, credits nothing again). The till's
bonus is a claim: a different figure waits for review and is never credited. An unknown member
gets nothing and a review item: the money was taken at the till, so a person has to find whose
it is.

No member code showing is required here (unlike holds, mall.members.presentations): crediting
money puts nobody's balance at risk, and the till offers 充值 only for a member who showed
their code there (pos_app.services.top_ups), so the event names the member who paid.
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from mall.devices import DeviceIdentity
from mall.members.keys import top_up_tiers
from mall.members.ledger import add_units
from mall.members.models import MemberRow
from mall.models import TopUpPaymentRow, utc_now
from mall.reviews import record_review
from pos_app.domain.top_up import bonus_for, tier_label
from sync.protocol import PushEvent, TopUpPayload

SOURCE_PAID = "top_up"
SOURCE_BONUS = "top_up_bonus"


def apply_top_up(
    session: Session, device: DeviceIdentity, event: PushEvent, top_up: TopUpPayload
) -> None:
    session.execute(
        insert(TopUpPaymentRow),
        [
            {
                "event_id": str(event.id),
                "store_id": top_up.store_id,
                "top_up_no": top_up.top_up_no,
                "created_at": top_up.created_at,
                **payment.model_dump(),
            }
            for payment in top_up.payments
        ],
    )
    member = session.get(MemberRow, top_up.member_id)
    if member is None:
        detail = f"top-up {top_up.top_up_no} of {top_up.amount_fen} fen names an unknown member"
        record_review(session, device, event, "top_up_member_unknown", detail)
        return
    bonus = credit_top_up(
        session, member.id, top_up.amount_fen, str(event.id), store_id=device.store_id
    )
    if top_up.bonus_fen != bonus:
        detail = f"the till claimed a {top_up.bonus_fen} fen bonus; the mall's tiers give {bonus}"
        record_review(session, device, event, "bonus_differs", detail)


def credit_top_up(
    session: Session, member_id: str, paid_fen: int, ref: str, *, store_id: str | None
) -> int:
    """Credit a paid top-up (at a till or in the mini-program) to the member's stored value:
    the paid amount and the bonus of the mall's own tiers, as two entries naming ref; answers
    the bonus. The caller makes sure one payment is credited once."""
    bonus = bonus_for(top_up_tiers(session), paid_fen)
    now = utc_now()
    for source, fen in ((SOURCE_PAID, paid_fen), (SOURCE_BONUS, bonus)):
        add_units(session, "stored_value", member_id, fen, source, ref, now=now, store_id=store_id)
    return bonus


def top_up_offer(session: Session) -> str:
    """The chain's top-up bonus tiers as the member pages say them ("" when none gives one)."""
    tiers = [tier_label(t) for t in top_up_tiers(session) if t.bonus_fen]
    return f"到店充值享：{'，'.join(tiers)}" if tiers else ""
