"""Coupons at the mall: campaigns, issuing and claiming, a till's hold on a scanned coupon,
redeeming it once when the sale arrives, and giving it back when the sale is refunded whole
while the coupon is still valid. Every change is an entry of the coupon ledger.

A coupon is redeemed exactly once across tills and the mall: the row is locked while it
changes, a hold belongs to one device until it expires, and a sale that used a coupon someone
else redeemed (taken offline) is not redeemed again: it is recorded for review
(mall.reviews) and refused in the ledger.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mall.coupons.models import CouponCampaignRow, CouponEntryRow, CouponRow
from mall.devices import DeviceIdentity
from mall.errors import Invalid, NotFound, Refused
from mall.members.keys import member_code_private_key, member_code_public_key
from mall.members.models import MemberRow
from sync.coupon_code import (
    CouponError,
    CouponToken,
    ExpiredCoupon,
    sign_coupon_code,
    verify_coupon_code,
)
from sync.coupon_protocol import (
    MAX_LISTED,
    ClaimableCampaign,
    ClaimableCampaigns,
    CouponHoldInfo,
    CouponHoldRequest,
    MemberCoupon,
    MemberCoupons,
)

MAX_VALID_DAYS = 3650
MAX_FEN = 10**9  # ¥10,000,000: the code carries 32-bit amounts


def add_entry(
    session: Session,
    row: CouponRow,
    action: str,
    *,
    now: datetime,
    device: DeviceIdentity | None = None,
    ref: str = "",
) -> None:
    session.add(
        CouponEntryRow(
            coupon_id=row.id,
            action=action,
            store_id=device.store_id if device is not None else None,
            device_id=device.device_id if device is not None else None,
            ref=ref[:64],
            created_at=now,
        )
    )


def add_campaign(
    session: Session,
    *,
    campaign_id: str,
    name: str,
    value_fen: int,
    min_spend_fen: int,
    valid_days: int,
    claimable: bool,
    per_member: int = 1,
    total: int | None = None,
) -> CouponCampaignRow:
    """A new campaign (its terms never change once coupons are out)."""
    if session.get(CouponCampaignRow, campaign_id) is not None:
        raise Refused("campaign_exists", f"活动 {campaign_id} 已存在")
    if not (0 < value_fen <= MAX_FEN and 0 <= min_spend_fen <= MAX_FEN):
        raise Invalid("bad_campaign", "券面额须大于 0，使用门槛不小于 0（无门槛填 0）")
    if not 1 <= valid_days <= MAX_VALID_DAYS or per_member < 1 or (total is not None and total < 0):
        raise Invalid("bad_campaign", f"有效天数 1～{MAX_VALID_DAYS}，每人限领至少 1 张")
    if not name or len(name) > 64 or not name.isprintable():
        raise Invalid("bad_campaign", "活动名称 1～64 个可打印字符")
    row = CouponCampaignRow(
        id=campaign_id,
        name=name,
        value_fen=value_fen,
        min_spend_fen=min_spend_fen,
        valid_days=valid_days,
        claimable=claimable,
        per_member=per_member,
        total=total,
        issued=0,
    )
    session.add(row)
    session.flush()
    return row


def _campaign(session: Session, campaign_id: str, *, lock: bool = False) -> CouponCampaignRow:
    query = select(CouponCampaignRow).where(CouponCampaignRow.id == campaign_id)
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound(f"没有活动 {campaign_id}")
    return row


def issue(
    session: Session, campaign_id: str, member_id: str, *, now: datetime, action: str = "issued"
) -> CouponRow:
    """Give the member one coupon of the campaign (the campaign row is locked: the total
    holds across workers)."""
    campaign = _campaign(session, campaign_id, lock=True)
    if campaign.total is not None and campaign.issued >= campaign.total:
        raise Refused("coupon_sold_out", f"活动 {campaign.name} 的券已发完")
    if session.get(MemberRow, member_id) is None:
        raise NotFound(f"没有会员 {member_id}")
    campaign.issued += 1
    row = CouponRow(
        id="C" + secrets.token_hex(6).upper(),
        campaign_id=campaign.id,
        member_id=member_id,
        status="issued",
        issued_at=now,
        expires_at=now + timedelta(days=campaign.valid_days),
        discount_fen=0,
    )
    session.add(row)
    session.flush()
    add_entry(session, row, action, now=now, ref=campaign.id)
    return row


def claim(session: Session, member_id: str, campaign_id: str, *, now: datetime) -> CouponRow:
    """A member claims a coupon of a claimable campaign (领券), at most per_member of them."""
    campaign = _campaign(session, campaign_id)
    if not campaign.claimable:
        raise Refused("campaign_not_claimable", "这个活动的券不能自己领取")
    held = session.scalar(
        select(func.count())
        .select_from(CouponRow)
        .where(CouponRow.member_id == member_id, CouponRow.campaign_id == campaign_id)
    )
    if (held or 0) >= campaign.per_member:
        raise Refused("coupon_claimed", f"每人限领 {campaign.per_member} 张，已经领过了")
    return issue(session, campaign_id, member_id, now=now, action="claimed")


def token_of(session: Session, row: CouponRow) -> CouponToken:
    campaign = _campaign(session, row.campaign_id)
    return CouponToken(
        row.id, campaign.value_fen, campaign.min_spend_fen, row.expires_at, campaign.name
    )


def coupon_code(session: Session, row: CouponRow) -> str:
    """The signed code the mini-program shows as a QR code."""
    return sign_coupon_code(token_of(session, row), member_code_private_key(session))


def status_of(row: CouponRow, now: datetime) -> str:
    """What the coupon is now: issued, held (by a till, unexpired), redeemed or expired."""
    if row.status == "redeemed":
        return "redeemed"
    if row.expires_at <= now:
        return "expired"
    if row.status == "held" and row.hold_expires_at is not None and row.hold_expires_at > now:
        return "held"
    return "issued"


def member_coupon(session: Session, row: CouponRow, now: datetime) -> MemberCoupon:
    """A coupon as its member sees it, with a code while it can be used."""
    token, status = token_of(session, row), status_of(row, now)
    return MemberCoupon(
        coupon_id=row.id,
        campaign_id=row.campaign_id,
        name=token.name,
        value_fen=token.value_fen,
        min_spend_fen=token.min_spend_fen,
        status=status,  # type: ignore[arg-type]
        expires_at=row.expires_at,
        code=coupon_code(session, row) if status in ("issued", "held") else None,
    )


def member_coupons(session: Session, member_id: str, *, now: datetime) -> MemberCoupons:
    """The member's coupons, newest first."""
    rows = session.scalars(
        select(CouponRow)
        .where(CouponRow.member_id == member_id)
        .order_by(CouponRow.issued_at.desc())
        .limit(MAX_LISTED)
    )
    return MemberCoupons(coupons=[member_coupon(session, row, now) for row in rows])


def claimable_campaigns(session: Session, member_id: str) -> ClaimableCampaigns:
    """The campaigns open for claiming, newest first, with what this member may still claim."""
    claimed = dict(
        session.execute(
            select(CouponRow.campaign_id, func.count())
            .where(CouponRow.member_id == member_id)
            .group_by(CouponRow.campaign_id)
        ).all()
    )
    rows = session.scalars(
        select(CouponCampaignRow)
        .where(CouponCampaignRow.claimable.is_(True))
        .order_by(CouponCampaignRow.created_at.desc())
        .limit(MAX_LISTED)
    )
    return ClaimableCampaigns(
        campaigns=[
            ClaimableCampaign(
                campaign_id=row.id,
                name=row.name,
                value_fen=row.value_fen,
                min_spend_fen=row.min_spend_fen,
                valid_days=row.valid_days,
                left_for_me=max(row.per_member - claimed.get(row.id, 0), 0),
                sold_out=row.total is not None and row.issued >= row.total,
            )
            for row in rows
        ]
    )


def locked_coupon(session: Session, coupon_id: str) -> CouponRow | None:
    return session.scalar(select(CouponRow).where(CouponRow.id == coupon_id).with_for_update())


def _hold_info(session: Session, row: CouponRow, hold_id: str) -> CouponHoldInfo:
    token = token_of(session, row)
    status = "released"
    if row.hold_id == hold_id and row.status in ("held", "redeemed"):
        status = "active" if row.status == "held" else "redeemed"
    return CouponHoldInfo(
        hold_id=hold_id,
        coupon_id=row.id,
        name=token.name,
        value_fen=token.value_fen,
        min_spend_fen=token.min_spend_fen,
        status=status,  # type: ignore[arg-type]
        expires_at=row.hold_expires_at or row.expires_at,
    )


def _refusal(row: CouponRow, device: DeviceIdentity, now: datetime) -> Refused | None:
    """Why this device may not hold the coupon now (None: it may)."""
    status = status_of(row, now)
    if status == "redeemed":
        when = f"{row.redeemed_at:%Y-%m-%d %H:%M}" if row.redeemed_at else ""
        return Refused("coupon_redeemed", f"这张券已于 {when} 在门店 {row.store_id} 使用")
    if status == "expired":
        return Refused("coupon_expired", "这张券已过期")
    if status == "held" and row.hold_device_id != device.device_id:
        return Refused("coupon_held", "这张券正在另一台收银机上使用")
    return None


def hold(
    session: Session,
    device: DeviceIdentity,
    request: CouponHoldRequest,
    *,
    now: datetime,
    ttl_s: int,
) -> CouponHoldInfo:
    """Hold a scanned coupon for this device's sale in progress; the same request_id returns
    the same hold."""
    try:
        token = verify_coupon_code(request.code, member_code_public_key(session), now=now)
    except ExpiredCoupon:
        raise Refused("coupon_expired", "这张券已过期") from None
    except CouponError as error:
        raise Invalid("coupon_invalid", f"不是本商城的券：{error}") from None
    key = f"{device.device_id}:{request.request_id}"
    hold_id = "CH" + hashlib.sha256(key.encode()).hexdigest()[:24]
    row = locked_coupon(session, token.coupon_id)
    if row is None:
        raise NotFound("商城没有这张券")
    if row.hold_id == hold_id:
        return _hold_info(session, row, hold_id)
    refusal = _refusal(row, device, now)
    if refusal is not None:
        raise refusal
    row.status, row.hold_id, row.hold_device_id = "held", hold_id, device.device_id
    row.hold_expires_at = now + timedelta(seconds=ttl_s)
    add_entry(session, row, "held", now=now, device=device, ref=hold_id)
    return _hold_info(session, row, hold_id)


def release(
    session: Session, device: DeviceIdentity, hold_id: str, *, now: datetime
) -> CouponHoldInfo:
    """Give a held coupon back (its sale was abandoned); a redeemed one stays redeemed."""
    row = session.scalar(
        select(CouponRow).where(CouponRow.hold_id == hold_id[:32]).with_for_update()
    )
    if row is None or row.hold_device_id != device.device_id:
        raise NotFound(f"no coupon hold {hold_id} of this till")
    if row.status == "held":
        row.status, row.hold_expires_at = "issued", None
        add_entry(session, row, "released", now=now, device=device, ref=hold_id)
    return _hold_info(session, row, hold_id)
