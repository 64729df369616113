"""Coupon codes: the signed code the mini-program shows as a QR code (DESIGN §6, like member
codes). The mall signs a coupon with the same Ed25519 key as member codes, in another context so
one is never read as the other; the till checks it offline.

    "CP1" + base64url(body + signature), where body is
    byte 0      version (1)
    byte        length n of the coupon id, then n ASCII bytes
    4+4+4 bytes value in fen, minimum spend in fen, expiry (seconds since 2024-01-01 UTC)
    byte        length m of the name, then m UTF-8 bytes (at most 36)
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.coupons import COUPON_PREFIX, CouponUse
from sync.signed_code import (
    PUBLIC_KEY_BYTES,
    BadSignature,
    Unreadable,
    expiry_at,
    expiry_seconds,
    seal,
    unseal,
)

__all__ = [
    "CouponError",
    "CouponToken",
    "ExpiredCoupon",
    "ForgedCoupon",
    "MalformedCoupon",
    "sign_coupon_code",
    "verify_coupon_code",
]

CODE_VERSION = 1
MAX_CODE_CHARS = 260
MAX_NAME_BYTES = 36
_CONTEXT = b"mdt-coupon"
COUPON_ID = re.compile(r"^C[0-9A-F]{12}$")
_FIXED = struct.Struct(">III")


class CouponError(ValueError):
    """A coupon that cannot be used; the message says why, for the cashier."""


class MalformedCoupon(CouponError):
    """Not a coupon code this software can read."""


class ForgedCoupon(CouponError):
    """The signature does not verify, or this till has no key to check it."""


class ExpiredCoupon(CouponError):
    """A genuine coupon past its expiry."""


@dataclass(frozen=True)
class CouponToken:
    """What a verified coupon code says."""

    coupon_id: str
    value_fen: int
    min_spend_fen: int
    expires_at: datetime
    name: str

    def use(self, reference: str) -> CouponUse:
        """The coupon on a cart, held at the mall under reference (or taken offline)."""
        return CouponUse(self.coupon_id, self.name, self.value_fen, self.min_spend_fen, reference)


def sign_coupon_code(token: CouponToken, private_key: bytes) -> str:
    """The coupon's code (the mall signs, never the till)."""
    if not COUPON_ID.match(token.coupon_id):
        raise ValueError(f"coupon id {token.coupon_id!r} cannot be carried by a code")
    name = token.name.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore").encode("utf-8")
    coupon = token.coupon_id.encode("ascii")
    body = (
        bytes([CODE_VERSION, len(coupon)])
        + coupon
        + _FIXED.pack(token.value_fen, token.min_spend_fen, expiry_seconds(token.expires_at))
        + bytes([len(name)])
        + name
    )
    return seal(COUPON_PREFIX, _CONTEXT, body, private_key)


def _parse(body: bytes) -> CouponToken:
    try:
        if body[0] != CODE_VERSION:
            raise MalformedCoupon("This coupon is damaged or from a newer version")
        end = 2 + body[1]
        coupon_id = body[2:end].decode("ascii")
        value, min_spend, seconds = _FIXED.unpack(body[end : end + _FIXED.size])
        name_at = end + _FIXED.size + 1
        name = body[name_at : name_at + body[name_at - 1]].decode("utf-8")
    except (IndexError, UnicodeDecodeError, struct.error) as error:
        raise MalformedCoupon("This coupon is damaged") from error
    if not COUPON_ID.match(coupon_id) or len(body) != name_at + len(name.encode("utf-8")):
        raise MalformedCoupon("This coupon is damaged")
    return CouponToken(coupon_id, value, min_spend, expiry_at(seconds), name)


def verify_coupon_code(code: str, public_key: bytes, *, now: datetime) -> CouponToken:
    """Check a scanned coupon with the mall's public key and return what it says.
    Raises MalformedCoupon, ForgedCoupon or ExpiredCoupon (all CouponError)."""
    if len(public_key) != PUBLIC_KEY_BYTES:
        raise ForgedCoupon("This till has no valid mall key to check coupons; pair it")
    try:
        body = unseal(code.strip(), COUPON_PREFIX, _CONTEXT, public_key, max_chars=MAX_CODE_CHARS)
    except Unreadable as error:
        raise MalformedCoupon("This is not a coupon from our mini-program") from error
    except BadSignature:
        raise ForgedCoupon("This coupon is not genuine (signature does not match)") from None
    token = _parse(body)
    if now >= token.expires_at:
        raise ExpiredCoupon("This coupon has expired")
    return token
