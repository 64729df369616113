"""Member codes: the short-lived token the mini-program shows as a QR code (DESIGN §6).

The mall signs it with its Ed25519 private key; the till verifies it offline with the mall's
public key, so a member is recognised at the counter even when the shop's internet is down.
Only the standard library and `cryptography` are used.

    "MC1" + base64url(body + signature), no padding, where body is
    byte 0        version (1)
    byte 1        length n of the member id, then n ASCII bytes of the member id
    byte          length m of the tier, then m ASCII bytes of the tier ("" allowed)
    4 bytes       expiry, seconds since 2024-01-01 00:00 UTC, big-endian
    64 bytes      Ed25519 signature of "mdt-member" + body

A code for member "M1A2B3C4D5" of tier "gold" is about 110 characters: a small QR code. The
digits under the QR code are a different, 18-digit code that only the mall can check online
(`DIGITS_CODE`); the till recognises their shape and looks them up.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import datetime

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
    "CODE_PREFIX",
    "DIGITS_CODE",
    "ExpiredMemberCode",
    "ForgedMemberCode",
    "MalformedMemberCode",
    "MemberCodeError",
    "MemberToken",
    "looks_like_member_code",
    "sign_member_code",
    "verify_member_code",
]

CODE_PREFIX = "MC1"
CODE_VERSION = 1
MAX_CODE_CHARS = 200
DIGITS_CODE = re.compile(r"^8[0-9]{17}$")  # the dynamic digits shown under the QR code
_CONTEXT = b"mdt-member"
_ID = re.compile(r"^[A-Za-z0-9_:.-]{1,40}$")
_TIER = re.compile(r"^[a-z0-9_]{0,16}$")


class MemberCodeError(ValueError):
    """A member code that must be refused; the message says why, for the cashier."""


class MalformedMemberCode(MemberCodeError):
    """The text is not a member code this software can read."""


class ForgedMemberCode(MemberCodeError):
    """The signature does not verify: altered, or signed by a key that is not the mall's."""


class ExpiredMemberCode(MemberCodeError):
    """A genuine code past its expiry: the customer should refresh the member page."""


@dataclass(frozen=True)
class MemberToken:
    """What a verified member code says."""

    member_id: str
    tier: str
    expires_at: datetime


def looks_like_member_code(text: str) -> bool:
    """True if the text has the shape of a signed member code (not whether it verifies)."""
    return text.startswith(CODE_PREFIX)


def _body(member_id: str, tier: str, expires_at: datetime) -> bytes:
    if not _ID.match(member_id):
        raise ValueError(f"member id {member_id!r} cannot be carried by a member code")
    if not _TIER.match(tier):
        raise ValueError(f"tier {tier!r} cannot be carried by a member code")
    member, grade = member_id.encode("ascii"), tier.encode("ascii")
    return (
        bytes([CODE_VERSION, len(member)])
        + member
        + bytes([len(grade)])
        + grade
        + struct.pack(">I", expiry_seconds(expires_at))
    )


def sign_member_code(*, member_id: str, tier: str, expires_at: datetime, private_key: bytes) -> str:
    """The member code for the member, valid until expires_at (the mall signs, never the till)."""
    return seal(CODE_PREFIX, _CONTEXT, _body(member_id, tier, expires_at), private_key)


def _parse(body: bytes) -> MemberToken:
    try:
        member_len = body[1]
        member = body[2 : 2 + member_len].decode("ascii")
        tier_len = body[2 + member_len]
        tier_start = 3 + member_len
        tier = body[tier_start : tier_start + tier_len].decode("ascii")
        (seconds,) = struct.unpack(">I", body[tier_start + tier_len :])
    except (IndexError, UnicodeDecodeError, struct.error) as error:
        raise MalformedMemberCode("This member code is damaged") from error
    if not _ID.match(member) or not _TIER.match(tier):
        raise MalformedMemberCode("This member code is damaged")
    return MemberToken(member, tier, expiry_at(seconds))


def verify_member_code(code: str, public_key: bytes, *, now: datetime) -> MemberToken:
    """Check a scanned member code with the mall's public key and return what it says.

    Raises MalformedMemberCode, ForgedMemberCode or ExpiredMemberCode (all MemberCodeError).
    """
    if len(public_key) != PUBLIC_KEY_BYTES:
        raise ForgedMemberCode("This till has no valid mall key to check member codes; pair it")
    code = code.strip()
    if not looks_like_member_code(code):
        raise MalformedMemberCode("This is not a member code from our mini-program")
    try:
        body = unseal(code, CODE_PREFIX, _CONTEXT, public_key, max_chars=MAX_CODE_CHARS)
    except Unreadable as error:
        raise MalformedMemberCode("This member code is damaged") from error
    except BadSignature:
        raise ForgedMemberCode(
            "This member code is not genuine (signature does not match)"
        ) from None
    if body[0] != CODE_VERSION:
        raise MalformedMemberCode("This member code is damaged or from a newer version")
    token = _parse(body)
    if now >= token.expires_at:
        raise ExpiredMemberCode("This member code has expired: ask the customer to refresh it")
    return token
