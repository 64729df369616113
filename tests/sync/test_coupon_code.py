"""Coupon codes: a code verifies only with the mall's key, in time and untouched, and is never
read as a member code (same key, another context)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_app.domain.coupons import looks_like_coupon_code
from sync.coupon_code import (
    CouponToken,
    ExpiredCoupon,
    ForgedCoupon,
    MalformedCoupon,
    sign_coupon_code,
    verify_coupon_code,
)
from sync.member_code import MemberCodeError, verify_member_code

KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key().public_bytes_raw()
NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
TOKEN = CouponToken("C0123456789AB", 1000, 5000, NOW + timedelta(days=30), "满50减10券")


def test_a_signed_coupon_reads_back_with_the_mall_key() -> None:
    """The code is a short scannable text that says what the mall signed, name included."""
    code = sign_coupon_code(TOKEN, KEY.private_bytes_raw())
    assert looks_like_coupon_code(code) and code.isascii() and len(code) < 200
    assert verify_coupon_code(code, PUBLIC, now=NOW) == TOKEN


def test_a_forged_expired_or_damaged_coupon_is_refused() -> None:
    """Another key, a changed character, a past expiry, or no key at all: each says why."""
    code = sign_coupon_code(TOKEN, KEY.private_bytes_raw())
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    with pytest.raises(ForgedCoupon):
        verify_coupon_code(code, other, now=NOW)
    with pytest.raises(ForgedCoupon):
        verify_coupon_code(code, b"", now=NOW)
    tampered = code[:20] + ("A" if code[20] != "A" else "B") + code[21:]
    with pytest.raises((ForgedCoupon, MalformedCoupon)):
        verify_coupon_code(tampered, PUBLIC, now=NOW)
    with pytest.raises(ExpiredCoupon):
        verify_coupon_code(code, PUBLIC, now=TOKEN.expires_at)
    with pytest.raises(MalformedCoupon):
        verify_coupon_code("CP1!!", PUBLIC, now=NOW)


def test_a_coupon_is_never_read_as_a_member_code() -> None:
    """The same key signs both; the prefix and signing context keep them apart."""
    code = sign_coupon_code(TOKEN, KEY.private_bytes_raw())
    with pytest.raises(MemberCodeError):
        verify_member_code("MC1" + code[3:], PUBLIC, now=NOW)
