"""Coupon endpoints for paired tills under /api/v1: hold a scanned coupon for a sale in
progress and release it (the member's side is mall.coupons.customer_api)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from mall.api import Db, Device, _errors
from mall.coupons.ledger import hold, release
from mall.http import LimitedRoute
from mall.models import utc_now
from sync.coupon_protocol import CouponHoldInfo, CouponHoldRequest

router = APIRouter(route_class=LimitedRoute, responses=_errors)  # type: ignore[arg-type]
HoldIdPath = Annotated[str, Path(pattern=r"^[0-9A-Za-z_.-]{1,32}$")]


@router.post("/coupons/holds")
def hold_coupon(
    body: CouponHoldRequest, device: Device, db: Db, request: Request
) -> CouponHoldInfo:
    """Hold a scanned coupon for this till's sale (409 coupon_redeemed / coupon_held /
    coupon_expired when it cannot be used, 404 when the mall has no such coupon)."""
    ttl_s = request.app.state.settings.members.hold_ttl_s
    with db.write() as session:
        return hold(session, device, body, now=utc_now(), ttl_s=ttl_s)


@router.post("/coupons/holds/{hold_id}/release")
def release_coupon(hold_id: HoldIdPath, device: Device, db: Db) -> CouponHoldInfo:
    """Give a held coupon back because its sale was abandoned."""
    with db.write() as session:
        return release(session, device, hold_id, now=utc_now())
