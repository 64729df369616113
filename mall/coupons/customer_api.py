"""A member's coupons under /customer/v1, beside the mini-program's customer API: list them
(with the code to show as a QR while usable) and claim one of a campaign open for claiming
(领券). The member is the mini-program customer's (Bearer token) or, for the H5 twin, the one
logged in with the H5 cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from mall.api import Db
from mall.coupons.ledger import claim, claimable_campaigns, member_coupon, member_coupons
from mall.customer.api import PREFIX
from mall.customer.api import _errors as customer_errors
from mall.customer.auth import BEARER, LoginNeeded, customer_of
from mall.customer.member import member_of
from mall.h5.login import current_member
from mall.http import LimitedRoute
from mall.members.models import MemberRow
from mall.models import utc_now
from sync.coupon_protocol import ClaimableCampaigns, CouponClaim, MemberCoupon, MemberCoupons

router = APIRouter(
    prefix=PREFIX,
    tags=["customer"],
    route_class=LimitedRoute,  # type: ignore[arg-type]
    responses=customer_errors,  # type: ignore[arg-type]
)


def _member(request: Request, session: Session) -> MemberRow:
    """The member of the request: the mini-program customer's, else the H5 session's."""
    now, header = utc_now(), request.headers.get("authorization")
    if header and header.startswith(BEARER):
        return member_of(session, customer_of(session, header, now=now))
    member = current_member(request, session, now)
    if member is None:
        raise LoginNeeded("请先登录")
    return member


@router.get("/coupons")
def my_coupons(db: Db, request: Request) -> MemberCoupons:
    """The member's coupons, newest first; usable ones with the code to show as a QR."""
    with db.read() as session:
        return member_coupons(session, _member(request, session).id, now=utc_now())


@router.get("/coupons/campaigns")
def campaigns(db: Db, request: Request) -> ClaimableCampaigns:
    """The campaigns the member can claim coupons of (领券中心), with how many are left to them."""
    with db.read() as session:
        return claimable_campaigns(session, _member(request, session).id)


@router.post("/coupons/claim")
def claim_coupon(body: CouponClaim, db: Db, request: Request) -> MemberCoupon:
    """Claim a coupon of a campaign open for claiming (409 when already claimed or sold out)."""
    now = utc_now()
    with db.write() as session:
        row = claim(session, _member(request, session).id, body.campaign_id, now=now)
        return member_coupon(session, row, now)
