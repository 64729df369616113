"""Signed receipt tokens: the short code in a receipt's QR link (DESIGN §6).

The till signs, the mall verifies (it imports this module, so only the standard library is used).
A token is a compact binary record, base64url-encoded without padding, about 32-36 characters:

    byte 0        version (high 4 bits, currently 1) | key id (low 4 bits, one hex digit "0"-"f")
    byte 1        length of the store id (high 4 bits) | length of the till id (low 4 bits), 1-15
    n bytes       store id, ASCII letters, digits, "-" or "_" (e.g. "S001")
    m bytes       till id, same alphabet (e.g. "T01")
    varint        till sequence number of the sale (unsigned LEB128)
    varint        amount in fen, zigzag-encoded so refunds (negative) stay short
    3 bytes       minutes since 2024-01-01 00:00 UTC, big-endian (good until 2055)
    8 bytes       HMAC-SHA256(key, "mdt-receipt" + all bytes above), first 8 bytes

Store and till ids are carried as plain ASCII with 4-bit lengths rather than hashed, so the mall can
read the store id (`unverified_store_id`) to pick that store's keys before verifying. A typical
token (S001, T01, seq 1234, ¥123.45) is 25 bytes = 34 characters. Only the canonical encoding is
accepted, so changing any single character of a token makes it invalid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pos_app.domain.coded import CodedError

__all__ = [
    "ExpiredToken",
    "MalformedToken",
    "ReceiptClaim",
    "ReceiptTokenError",
    "TamperedToken",
    "UnknownKey",
    "receipt_url",
    "sign_receipt_token",
    "unverified_store_id",
    "verify_receipt_token",
]

TOKEN_VERSION = 1
MAC_BYTES = 8
MIN_KEY_BYTES = 16
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
MAX_MINUTES = (1 << 24) - 1
MAX_AMOUNT_FEN = 1 << 40  # ¥10 billion: far beyond any receipt
_MAC_CONTEXT = b"mdt-receipt"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,15}$")
_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")
_HEX_DIGITS = "0123456789abcdef"


class ReceiptTokenError(CodedError, ValueError):
    """A receipt token that must be refused; the message says why, for the customer or staff."""


class MalformedToken(ReceiptTokenError):
    """The text is not a receipt token this software can read."""


class UnknownKey(ReceiptTokenError):
    """The token names a key id the verifier does not have (rotated out, or forged)."""


class TamperedToken(ReceiptTokenError):
    """The signature does not match: the token was altered or signed with another key."""


class ExpiredToken(ReceiptTokenError):
    """The token is genuine but older than the allowed age."""


@dataclass(frozen=True)
class ReceiptClaim:
    """What a verified token says: which sale, for how much, when, signed with which key."""

    store_id: str
    till_id: str
    till_seq: int
    amount_fen: int
    issued_at: datetime  # UTC, whole minutes
    kid: str
    version: int = TOKEN_VERSION


def _check_id(value: str, what: str) -> bytes:
    if not _ID.match(value):
        raise ValueError(f"{what} {value!r} must be 1-15 ASCII letters, digits, '-' or '_'")
    return value.encode("ascii")


def _kid_nibble(kid: str) -> int:
    if len(kid) != 1 or kid not in _HEX_DIGITS:
        raise ValueError(f"Key id {kid!r} must be one lowercase hex digit, '0' to 'f'")
    return _HEX_DIGITS.index(kid)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data) and shift <= 42:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        if not byte & 0x80:
            return value, pos
        shift += 7
    raise MalformedToken("This receipt code is damaged (a number field is cut off)")


def _zigzag(value: int) -> int:
    return value * 2 if value >= 0 else -value * 2 - 1


def _unzigzag(value: int) -> int:
    return value // 2 if value % 2 == 0 else -(value + 1) // 2


def _minutes(issued_at: datetime) -> int:
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be an aware datetime")
    minutes = int((issued_at - EPOCH).total_seconds() // 60)
    if not 0 <= minutes <= MAX_MINUTES:
        raise ValueError(f"issued_at {issued_at.isoformat()} is outside 2024-2055")
    return minutes


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, _MAC_CONTEXT + body, hashlib.sha256).digest()[:MAC_BYTES]


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def sign_receipt_token(
    *,
    store_id: str,
    till_id: str,
    till_seq: int,
    amount_fen: int,
    issued_at: datetime,
    kid: str,
    key: bytes,
) -> str:
    """Return the token for one sale, signed with `key` under key id `kid` (one hex digit)."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"Receipt key must be at least {MIN_KEY_BYTES} bytes")
    if till_seq < 0:
        raise ValueError("till_seq must not be negative")
    if abs(amount_fen) >= MAX_AMOUNT_FEN:
        raise ValueError(f"amount_fen {amount_fen} is out of range")
    store, till = _check_id(store_id, "Store id"), _check_id(till_id, "Till id")
    body = (
        struct.pack(">BB", TOKEN_VERSION << 4 | _kid_nibble(kid), len(store) << 4 | len(till))
        + store
        + till
        + _varint(till_seq)
        + _varint(_zigzag(amount_fen))
        + struct.pack(">I", _minutes(issued_at))[1:]
    )
    return _encode(body + _mac(key, body))


def _decode(token: str) -> bytes:
    if not _TOKEN_CHARS.match(token) or len(token) > 64:
        raise MalformedToken("This is not a receipt code from our shop")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedToken("This receipt code is damaged") from exc
    if _encode(raw) != token:
        raise MalformedToken("This receipt code is damaged")
    if len(raw) < 2 + MAC_BYTES:
        raise MalformedToken("This receipt code is too short")
    return raw


def _header(raw: bytes) -> tuple[str, int, int]:
    """Return (kid, store length, till length) after checking the version."""
    version, kid = raw[0] >> 4, raw[0] & 0x0F
    if version != TOKEN_VERSION:
        raise MalformedToken(f"Receipt code version {version} is not supported")
    return _HEX_DIGITS[kid], raw[1] >> 4, raw[1] & 0x0F


def _ascii_id(raw: bytes, start: int, length: int) -> str:
    text = raw[start : start + length].decode("ascii", errors="replace")
    if len(text) != length or not _ID.match(text):
        raise MalformedToken("This receipt code is damaged (bad store or till id)")
    return text


def _parse(raw: bytes, kid: str, store_len: int, till_len: int) -> ReceiptClaim:
    body = raw[:-MAC_BYTES]
    store_id = _ascii_id(body, 2, store_len)
    till_id = _ascii_id(body, 2 + store_len, till_len)
    till_seq, pos = _read_varint(body, 2 + store_len + till_len)
    amount, pos = _read_varint(body, pos)
    if len(body) != pos + 3:
        raise MalformedToken("This receipt code is damaged (wrong length)")
    (minutes,) = struct.unpack(">I", b"\0" + body[pos:])
    return ReceiptClaim(
        store_id=store_id,
        till_id=till_id,
        till_seq=till_seq,
        amount_fen=_unzigzag(amount),
        issued_at=EPOCH + timedelta(minutes=minutes),
        kid=kid,
    )


def unverified_store_id(token: str) -> str:
    """The store id, read without checking the signature: only to pick the keys to verify with."""
    raw = _decode(token)
    _, store_len, _ = _header(raw)
    return _ascii_id(raw, 2, store_len)


def verify_receipt_token(
    token: str, keys: Mapping[str, bytes], *, now: datetime, max_age: timedelta
) -> ReceiptClaim:
    """Check a token against the store's keys {kid: key} and return what it claims.

    Raises MalformedToken, UnknownKey, TamperedToken or ExpiredToken (all ReceiptTokenError).
    A token dated after `now` (a till clock running fast) is not refused for that.
    """
    raw = _decode(token)
    kid, store_len, till_len = _header(raw)
    key = keys.get(kid)
    if key is None:
        raise UnknownKey(f"This receipt code was signed with key {kid!r}, which we do not have")
    if not hmac.compare_digest(_mac(key, raw[:-MAC_BYTES]), raw[-MAC_BYTES:]):
        raise TamperedToken("This receipt code is not genuine (signature does not match)")
    claim = _parse(raw, kid, store_len, till_len)
    if now - claim.issued_at > max_age:
        days = max_age.total_seconds() / 86400
        raise ExpiredToken(f"This receipt code has expired (valid for {days:g} days)")
    return claim


def receipt_url(base_url: str, token: str) -> str:
    """The link printed in the receipt QR, e.g. https://mall.example.cn/r/<token>."""
    return f"{base_url.rstrip('/')}/r/{token}"
