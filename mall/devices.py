"""Devices (tills) and their credentials: one-time pairing codes, secrets, revocation. Pairing
also hands the till its store's receipt token keys, the member code public key and the points
rules.

A device secret is 256 random bits, so a plain SHA-256 of it is enough to store (no password
stretching needed, and checking it on every request stays cheap); comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.errors import Forbidden, NotFound, Refused, Unauthorized
from mall.members.keys import ensure_receipt_key, member_code_public_key, rules_for_tills
from mall.models import DeviceRow, PairingCodeRow, StoreRow, utc_now
from sync.protocol import PairRequest, PairResponse

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or typed by hand
CODE_LENGTH = 10


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    store_id: str
    till_id: str


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _normal_code(code: str) -> str:
    return code.replace("-", "").upper()


def new_pairing_code(session: Session, store_id: str, *, ttl_s: int) -> str:
    """A one-time code (shown as XXXXX-XXXXX) that pairs one till with store_id for ttl_s."""
    if session.get(StoreRow, store_id) is None:
        raise NotFound(f"no store {store_id!r}")
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(
        PairingCodeRow(
            code_sha256=_sha256(code),
            store_id=store_id,
            expires_at=utc_now() + timedelta(seconds=ttl_s),
        )
    )
    return f"{code[:5]}-{code[5:]}"


def _check_till_free(session: Session, store_id: str, till_id: str) -> None:
    """One device per till number of a store: a till replaced is unpaired first, so two tills
    never push sales with the same numbers (the unique index makes a race fail too)."""
    taken = session.scalar(
        select(DeviceRow.id).where(
            DeviceRow.store_id == store_id,
            DeviceRow.till_id == till_id,
            DeviceRow.revoked_at.is_(None),
        )
    )
    if taken is not None:
        raise Refused(
            "till_taken",
            f"till {till_id} of store {store_id} is already paired (device {taken}); "
            "unpair it first (pos-mall device revoke) or pair this till under another number",
        )


def pair(session: Session, request: PairRequest) -> PairResponse:
    """Exchange a valid code for new device credentials; the code cannot be used again."""
    row = session.scalar(
        select(PairingCodeRow)
        .where(PairingCodeRow.code_sha256 == _sha256(_normal_code(request.code)))
        .with_for_update()
    )
    if row is None or row.used_at is not None or row.expires_at <= utc_now():
        raise Forbidden("pairing_code_invalid", "the pairing code is unknown, used or expired")
    store = session.get(StoreRow, row.store_id)
    assert store is not None
    _check_till_free(session, store.id, request.till_id)
    device_id = "d" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    session.add(
        DeviceRow(
            id=device_id,
            store_id=row.store_id,
            till_id=request.till_id,
            name=request.device_name,
            secret_sha256=_sha256(secret),
        )
    )
    row.used_at, row.device_id = utc_now(), device_id
    keys, kid = ensure_receipt_key(session, store.id)
    return PairResponse(
        device_id=device_id,
        device_secret=secret,
        store_id=store.id,
        store_name=store.name,
        receipt_keys={name: base64.b64encode(key).decode("ascii") for name, key in keys.items()},
        receipt_kid=kid,
        member_code_public_key=base64.b64encode(member_code_public_key(session)).decode("ascii"),
        points_rules=rules_for_tills(session),
    )


def authenticate(session: Session, authorization: str | None) -> DeviceIdentity:
    """The device named by an `Authorization: Device <id>:<secret>` header, if it may sync."""
    scheme, _, credentials = (authorization or "").partition(" ")
    device_id, _, secret = credentials.strip().partition(":")
    if scheme.lower() != "device" or not device_id or not secret:
        raise Unauthorized("send Authorization: Device <device_id>:<secret>")
    device = session.get(DeviceRow, device_id[:32])
    if device is None or not secrets.compare_digest(device.secret_sha256, _sha256(secret)):
        raise Unauthorized("unknown device or wrong secret")
    if device.revoked_at is not None:
        raise Forbidden("device_revoked", "this device was unpaired; pair it again")
    return DeviceIdentity(device.id, device.store_id, device.till_id)


def revoke(session: Session, device_id: str) -> None:
    device = session.get(DeviceRow, device_id)
    if device is None:
        raise NotFound(f"no device {device_id!r}")
    device.revoked_at = utc_now()
