"""Codes the mall signs and the till checks offline: prefix + base64url(body + Ed25519
signature), no padding. The signature covers a context string and the body, so a code of one
kind (a member code, a coupon) is never accepted as another. Used by member_code and coupons.
The till's first screen imports these modules for their error types: cryptography loads at the
first code sealed or checked.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime, timedelta

__all__ = [
    "PUBLIC_KEY_BYTES",
    "SIGNATURE_BYTES",
    "BadSignature",
    "Unreadable",
    "expiry_at",
    "expiry_seconds",
    "seal",
    "unseal",
]

SIGNATURE_BYTES = 64
PUBLIC_KEY_BYTES = 32
_CODE_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)  # expiries are 4-byte seconds since then


def expiry_seconds(moment: datetime) -> int:
    """An aware expiry as the 4-byte seconds a code carries."""
    if moment.tzinfo is None:
        raise ValueError("expires_at must be an aware datetime")
    seconds = int((moment - EPOCH).total_seconds())
    if not 0 <= seconds < 1 << 32:
        raise ValueError(f"expires_at {moment.isoformat()} is out of range")
    return seconds


def expiry_at(seconds: int) -> datetime:
    return EPOCH + timedelta(seconds=seconds)


class Unreadable(ValueError):
    """Not a code of this kind, or damaged on the way."""


class BadSignature(ValueError):
    """The signature does not verify (altered, or not the mall's key)."""


def seal(prefix: str, context: bytes, body: bytes, private_key: bytes) -> str:
    """The code carrying body, signed with the mall's private key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(context + body)
    return prefix + base64.urlsafe_b64encode(body + signature).rstrip(b"=").decode("ascii")


def _raw(code: str, prefix: str, max_chars: int) -> bytes:
    text = code[len(prefix) :]
    if not code.startswith(prefix) or len(code) > max_chars or not _CODE_CHARS.match(text):
        raise Unreadable("not a code of this kind")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise Unreadable("damaged") from error
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != text:
        raise Unreadable("damaged")
    if len(raw) < 2 + SIGNATURE_BYTES:
        raise Unreadable("too short")
    return raw


def unseal(code: str, prefix: str, context: bytes, public_key: bytes, *, max_chars: int) -> bytes:
    """The body of a genuine code (Unreadable, BadSignature otherwise). Check the key length
    (PUBLIC_KEY_BYTES) before: a missing key is the caller's message to give."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = _raw(code, prefix, max_chars)
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, context + body)
    except InvalidSignature:
        raise BadSignature("signature does not match") from None
    return body
