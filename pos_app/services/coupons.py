"""Coupons at the till: a scanned coupon is checked offline with the mall's key, then held at
the mall for this sale (the sale event names the hold and the mall redeems it once). With the
mall offline it is taken within the till's daily offline cap (the chain's rule
offline_coupon_cap_fen from the mall, 0: never) and settled when the sale syncs; a clash (used
elsewhere meanwhile) is reported by the mall for review. Functions taking a MemberDirectory may
block on the network: call them off the GUI thread."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import func, select

from pos_app.domain.coupons import CouponUse
from pos_app.domain.money import format_fen
from pos_app.services.member_directory import (
    MallUnavailable,
    MemberDirectory,
    MemberError,
    RedemptionRefused,
)
from pos_app.services.members import OFFLINE_PREFIX, day_start, mall_public_key
from pos_app.services.points import mall_rules
from pos_app.store.db import Database
from pos_app.store.models import Sale, SaleCoupon
from sync.coupon_code import CouponToken, verify_coupon_code

log = logging.getLogger(__name__)


class CouponOfflineRefused(RedemptionRefused):
    """The mall is offline and the coupon cannot be taken without it (cap, or used here)."""


def read_coupon(db: Database, code: str, *, now: datetime) -> CouponToken:
    """Check a scanned coupon offline with the mall's public key (CouponError if it is forged,
    expired or not a coupon)."""
    with db.read() as session:
        public_key = mall_public_key(session)
    return verify_coupon_code(code, public_key, now=now)


def _offline_use(db: Database, token: CouponToken, now: datetime) -> CouponUse:
    with db.read() as session:
        cap = int(mall_rules(session).get("offline_coupon_cap_fen", 0))
        used_here = session.scalar(
            select(func.count()).where(SaleCoupon.coupon_id == token.coupon_id)
        )
        taken = session.scalar(
            select(func.coalesce(func.sum(SaleCoupon.discount_fen), 0))
            .join(Sale, Sale.id == SaleCoupon.sale_id)
            .where(
                SaleCoupon.reference.like(f"{OFFLINE_PREFIX}%"),
                Sale.created_at >= day_start(session, now),
            )
        )
    if cap <= 0:
        raise CouponOfflineRefused(
            "The mall is offline: coupons cannot be used until it is back", code="coupon_offline"
        )
    if used_here:
        raise CouponOfflineRefused(
            "This coupon was already used at this till", code="coupon_used_here"
        )
    if (taken or 0) + token.value_fen > cap:
        raise CouponOfflineRefused(
            f"Offline coupon limit reached: {cap} fen a day ({taken} used today)",
            code="coupon_offline_cap",
            cap=format_fen(cap),
            used=format_fen(taken or 0),
        )
    return token.use(OFFLINE_PREFIX + uuid.uuid4().hex[:20])


def take_coupon(
    db: Database, directory: MemberDirectory, code: str, *, request_id: str, now: datetime
) -> CouponUse:
    """The scanned coupon for this sale: held at the mall, or taken offline within the cap.
    Raises CouponError (not genuine, expired), CouponRefused (the mall says it cannot be used)
    or CouponOfflineRefused."""
    from sync.coupon_protocol import CouponHoldRequest

    token = read_coupon(db, code, now=now)
    try:
        hold = directory.hold_coupon(CouponHoldRequest(request_id=request_id, code=code.strip()))
    except MallUnavailable:
        return _offline_use(db, token, now)
    return token.use(hold.hold_id)


def release_coupon(directory: MemberDirectory, use: CouponUse | None) -> bool:
    """Give back the hold of a coupon no sale will use; False when it was taken offline or the
    mall cannot be told (the hold then expires by itself)."""
    if use is None or use.reference.startswith(OFFLINE_PREFIX):
        return False
    try:
        directory.release_coupon(use.reference)
    except MemberError as error:
        log.warning("coupon hold not released now (it expires by itself): %s", error)
        return False
    return True
