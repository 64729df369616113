"""The coupons part of the sync contract: a till holds a scanned coupon at the mall while its
sale is paid (the sale event names the hold to redeem it) and releases it when the sale is
abandoned; the mini-program lists and claims a member's coupons (mall.coupons).

The same strict style as sync.protocol: unknown fields refused, strings and numbers bounded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from sync.protocol import MAX_FEN, Ident, Strict, Text64

CouponCode = Annotated[str, StringConstraints(pattern=r"^CP1[A-Za-z0-9_-]{80,257}$")]
CouponId = Annotated[str, StringConstraints(pattern=r"^C[0-9A-F]{12}$")]
CampaignId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,24}$")]
CouponStatus = Literal["issued", "held", "redeemed", "expired", "void"]
Amount = Annotated[int, Field(strict=True, ge=0, le=MAX_FEN)]
MAX_LISTED = 500  # coupons or campaigns in one answer (newest first)


class CouponHoldRequest(Strict):
    """Hold the scanned coupon for a sale in progress; request_id makes a retry return the
    same hold."""

    request_id: Ident
    code: CouponCode


class CouponHoldInfo(Strict):
    """A coupon held for this till until expires_at: the sale event names hold_id."""

    hold_id: Ident
    coupon_id: CouponId
    name: Text64
    value_fen: Amount
    min_spend_fen: Amount
    status: Literal["active", "released", "redeemed"]
    expires_at: datetime


class CouponClaim(Strict):
    """A member claims a coupon of a campaign open for claiming (领券)."""

    campaign_id: CampaignId


class MemberCoupon(Strict):
    """One of a member's coupons as the mini-program shows it; code (for the QR) only while it
    can be used."""

    coupon_id: CouponId
    campaign_id: CampaignId
    name: Text64
    value_fen: Amount
    min_spend_fen: Amount
    status: CouponStatus
    expires_at: datetime
    code: CouponCode | None = None


class MemberCoupons(Strict):
    coupons: Annotated[list[MemberCoupon], Field(max_length=MAX_LISTED)]


class ClaimableCampaign(Strict):
    """A campaign members may claim a coupon of (领券), as one member sees it: how many more
    they may claim, and whether the campaign has run out."""

    campaign_id: CampaignId
    name: Text64
    value_fen: Amount
    min_spend_fen: Amount
    valid_days: Annotated[int, Field(strict=True, ge=1, le=3650)]
    left_for_me: Annotated[int, Field(strict=True, ge=0, le=1000)]
    sold_out: bool


class ClaimableCampaigns(Strict):
    campaigns: Annotated[list[ClaimableCampaign], Field(max_length=MAX_LISTED)]
