"""Receipt claims: a customer scans the QR code of a receipt and takes its points, once.

The token is checked with the store's receipt keys before anything else, so a receipt whose
sale has not synced yet can already be claimed: the claim waits (pending) and is credited when
the sale arrives. A sale that already had a member, a refunded sale, an expired or forged token
cannot be claimed; a refund after a claim takes the claimed points back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mall.members.holds import HOLD_KINDS
from mall.members.keys import points_rules, store_receipt_keys
from mall.members.ledger import add_units
from mall.members.models import MemberRow, ReceiptClaimRow
from mall.members.rate_limits import enforce
from mall.members.settings import MemberSettings
from mall.models import ProductRow, SaleLineRow, SalePaymentRow, SaleRow, StoreRow
from pos_app.domain.points import EarnLine, points_earned, points_to_reverse
from pos_app.domain.receipt_token import (
    ExpiredToken,
    ReceiptClaim,
    ReceiptTokenError,
    TamperedToken,
    UnknownKey,
    unverified_store_id,
    verify_receipt_token,
)


class ReceiptState(StrEnum):
    CLAIMABLE = "claimable"  # the sale synced, nobody claimed it
    PENDING = "pending"  # genuine, but the sale has not reached the mall yet
    CLAIMED = "claimed"
    MEMBER_SALE = "member_sale"  # a member was on the sale: the points went to them
    REFUNDED = "refunded"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class ReceiptView:
    """What the claim page shows: the state, a sentence for the customer, the receipt."""

    state: ReceiptState
    message: str
    claim: ReceiptClaim | None = None
    store_name: str = ""
    sale: SaleRow | None = None
    lines: list[SaleLineRow] = field(default_factory=list)
    points: int = 0
    claimed_by: str | None = None


class ClaimRefused(Exception):
    """The receipt cannot be claimed; view says why."""

    def __init__(self, view: ReceiptView) -> None:
        super().__init__(view.message)
        self.view = view


def token_of_link(scanned: str) -> str:
    """The token of a scanned receipt link (https://…/r/<token>); "" when it is none."""
    path = urlsplit(scanned).path
    return path.rsplit("/r/", 1)[-1] if "/r/" in path else ""


def _verify(session: Session, token: str, *, now: datetime, claim_days: int) -> ReceiptClaim:
    keys = store_receipt_keys(session, unverified_store_id(token))
    return verify_receipt_token(token, keys, now=now, max_age=timedelta(days=claim_days))


def sale_points(session: Session, sale: SaleRow, tier: str) -> int:
    """The points a synced sale earns under the chain's rules (as the till would award them)."""
    lines = session.execute(
        select(ProductRow.category, SaleLineRow.net_fen)
        .select_from(SaleLineRow)
        .outerjoin(ProductRow, ProductRow.sku == SaleLineRow.sku)
        .where(SaleLineRow.sale_id == sale.id)
    ).all()
    redeemed = session.scalar(
        select(func.coalesce(func.sum(SalePaymentRow.amount_fen), 0)).where(
            SalePaymentRow.sale_id == sale.id, SalePaymentRow.kind.in_(HOLD_KINDS)
        )
    )
    return points_earned(
        points_rules(session),
        lines=[EarnLine(category, net) for category, net in lines],
        total_fen=sale.total_fen,
        redeemed_fen=redeemed or 0,
        tier=tier,
    )


def _of_receipt(model: type[SaleRow] | type[ReceiptClaimRow], claim: ReceiptClaim) -> Any:
    """The rows of model (a sale or a claim) that belong to the claim's receipt."""
    return select(model).where(
        model.store_id == claim.store_id,
        model.till_id == claim.till_id,
        model.till_seq == claim.till_seq,
    )


def _find_sale(session: Session, claim: ReceiptClaim) -> SaleRow | None:
    return session.scalar(_of_receipt(SaleRow, claim).where(SaleRow.kind == "sale"))


def _existing_claim(session: Session, claim: ReceiptClaim) -> ReceiptClaimRow | None:
    return session.scalar(_of_receipt(ReceiptClaimRow, claim))


def _is_refunded(session: Session, sale: SaleRow) -> bool:
    query = select(SaleRow.id).where(
        SaleRow.store_id == sale.store_id, SaleRow.original_sale_no == sale.sale_no
    )
    return session.scalar(query.limit(1)) is not None


def _synced_state(
    session: Session, claim: ReceiptClaim, sale: SaleRow, points: int
) -> tuple[ReceiptState, str]:
    if sale.total_fen != claim.amount_fen:
        return ReceiptState.INVALID, "小票金额与门店记录不符，请联系门店"
    if sale.member_id:
        return ReceiptState.MEMBER_SALE, "这张小票结账时已计入会员积分，无需再领取"
    if _is_refunded(session, sale):
        return ReceiptState.REFUNDED, "这张小票的商品已退货，不能领取积分"
    return ReceiptState.CLAIMABLE, f"这张小票可领取 {points} 积分"


def _token_refusal(error: ReceiptTokenError, claim_days: int) -> ReceiptView:
    if isinstance(error, ExpiredToken):
        return ReceiptView(ReceiptState.EXPIRED, f"这张小票已超过 {claim_days} 天，不能再领取积分")
    if isinstance(error, TamperedToken | UnknownKey):
        return ReceiptView(ReceiptState.INVALID, "小票二维码校验失败：它不是本店开出的，或已被改动")
    return ReceiptView(ReceiptState.INVALID, "无法识别这个二维码：它不是本店的小票二维码")


def _claimed_text(*, mine: bool, status: str) -> str:
    if not mine:
        return "这张小票的积分已被领取"
    if status == "pending":
        return "您已领取，小票同步到商城后积分自动到账"
    return "您已领取过这张小票的积分"


def read_receipt(
    session: Session, token: str, *, now: datetime, claim_days: int, member: MemberRow | None = None
) -> ReceiptView:
    """Everything the claim page needs to know about a scanned receipt token."""
    try:
        claim = _verify(session, token, now=now, claim_days=claim_days)
    except ReceiptTokenError as error:
        return _token_refusal(error, claim_days)
    store = session.get(StoreRow, claim.store_id)
    sale = _find_sale(session, claim)
    view = ReceiptView(
        ReceiptState.PENDING,
        "小票正在同步到商城，现在领取，同步后积分自动到账",
        claim=claim,
        store_name=store.name if store is not None else claim.store_id,
        sale=sale,
        lines=[] if sale is None else _lines(session, sale),
        points=0 if sale is None else sale_points(session, sale, member.tier if member else ""),
    )
    existing = _existing_claim(session, claim)
    if existing is not None:
        mine = member is not None and existing.member_id == member.id
        return replace(
            view,
            state=ReceiptState.CLAIMED,
            message=_claimed_text(mine=mine, status=existing.status),
            points=existing.points if existing.status == "credited" else view.points,
            claimed_by=existing.member_id,
        )
    if sale is None:
        return view
    state, message = _synced_state(session, claim, sale, view.points)
    return replace(view, state=state, message=message)


def _lines(session: Session, sale: SaleRow) -> list[SaleLineRow]:
    query = select(SaleLineRow).where(SaleLineRow.sale_id == sale.id).order_by(SaleLineRow.line_no)
    return list(session.scalars(query))


def claim_receipt(
    session: Session,
    token: str,
    member: MemberRow,
    *,
    now: datetime,
    limits: MemberSettings,
    ip: str,
) -> ReceiptView:
    """Claim the receipt's points for member, once; credited now if the sale synced, else when
    it arrives. Raises ClaimRefused (with the page to show) or RateLimited."""
    view = read_receipt(session, token, now=now, claim_days=limits.claim_days, member=member)
    if view.state not in (ReceiptState.CLAIMABLE, ReceiptState.PENDING) or view.claim is None:
        raise ClaimRefused(view)
    day = timedelta(days=1)
    enforce(
        session,
        "claim_member",
        member.id,
        limit=limits.claims_per_phone_day,
        window=day,
        now=now,
        message="今天领取的小票太多了，请明天再来",
    )
    enforce(
        session,
        "claim_ip",
        ip,
        limit=limits.claims_per_ip_day,
        window=day,
        now=now,
        message="这个网络今天领取的小票太多了，请稍后再试",
    )
    claim = view.claim
    row = ReceiptClaimRow(
        store_id=claim.store_id,
        till_id=claim.till_id,
        till_seq=claim.till_seq,
        amount_fen=claim.amount_fen,
        issued_at=claim.issued_at,
        member_id=member.id,
        status="pending",
        points=0,
        reversed_points=0,
        created_at=now,
    )
    session.add(row)
    session.flush()
    if view.sale is not None:
        credit_claim(session, row, view.sale, now=now)
    return read_receipt(session, token, now=now, claim_days=limits.claim_days, member=member)


def credit_claim(session: Session, row: ReceiptClaimRow, sale: SaleRow, *, now: datetime) -> None:
    """Credit a pending claim with its sale (void if a member already earned its points)."""
    row.sale_id = sale.id
    if sale.member_id or sale.total_fen != row.amount_fen:
        row.status = "void"
        return
    member = session.get(MemberRow, row.member_id)
    row.points = sale_points(session, sale, member.tier if member is not None else "")
    row.status, row.credited_at = "credited", now
    add_units(
        session,
        "points",
        row.member_id,
        row.points,
        "claim",
        f"claim:{row.id}",
        now=now,
        store_id=sale.store_id,
    )


def pending_claims(
    session: Session, store_id: str, receipts: list[tuple[str, int]]
) -> dict[tuple[str, int], ReceiptClaimRow]:
    """The pending claims of these (till_id, till_seq) receipts of a store."""
    if not receipts:
        return {}
    rows = session.scalars(
        select(ReceiptClaimRow).where(
            ReceiptClaimRow.store_id == store_id,
            ReceiptClaimRow.status == "pending",
            ReceiptClaimRow.till_seq.in_({seq for _, seq in receipts}),
        )
    )
    return {(row.till_id, row.till_seq): row for row in rows}


def reverse_claim(session: Session, original: SaleRow, refund_id: str, *, now: datetime) -> None:
    """After a refund of original: take back the claimed points for everything refunded so far."""
    row = session.scalar(
        select(ReceiptClaimRow).where(
            ReceiptClaimRow.sale_id == original.id, ReceiptClaimRow.status == "credited"
        )
    )
    if row is None:
        return
    refunded = -(
        session.scalar(
            select(func.coalesce(func.sum(SaleRow.total_fen), 0)).where(
                SaleRow.store_id == original.store_id,
                SaleRow.original_sale_no == original.sale_no,
            )
        )
        or 0
    )
    target = points_to_reverse(
        earned=row.points, refunded_fen=refunded, paid_fen=original.total_fen
    )
    delta, row.reversed_points = target - row.reversed_points, target
    add_units(
        session,
        "points",
        row.member_id,
        -delta,
        "refund",
        refund_id,
        now=now,
        store_id=original.store_id,
    )
