"""The chain's member keys and settings: the Ed25519 key pair that signs member codes, the
secret of the 18 dynamic digits, each store's receipt token keys, and the points rules.

Keys are created once (ensure_member_keys at start-up, a store's receipt key at pairing), kept
in the database and never logged. Several workers start, and several tills pair, at the same
moment: creation is INSERT … ON CONFLICT DO NOTHING and the stored row is read back, so the first
one wins and nobody fails.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.db import insert_if_absent
from mall.errors import NotFound
from mall.members.models import ChainSettingRow, ReceiptKeyRow
from mall.models import StoreRow
from pos_app.domain.points import PointsRules
from pos_app.domain.top_up import TopUpTier
from sync.protocol import PointsRulesData

MEMBER_CODE_KEY = "member_code_ed25519"
DIGITS_KEY = "member_digits_hmac"
RULES_KEY = "points_rules"
OFFLINE_CAPS_KEY = "offline_caps"
TOP_UP_KEY = "top_up_tiers"
FIRST_KID = "1"
RECEIPT_KEY_BYTES = 32


def chain_value(session: Session, key: str) -> Any:
    row = session.get(ChainSettingRow, key)
    return None if row is None else json.loads(row.value)


def set_chain_value(session: Session, key: str, value: Any) -> None:
    encoded = json.dumps(value, ensure_ascii=False)
    row = session.get(ChainSettingRow, key)
    if row is None:
        session.add(ChainSettingRow(key=key, value=encoded))
    else:
        row.value = encoded


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _ensure_chain_secret(session: Session, key: str, make: Callable[[], bytes]) -> None:
    if chain_value(session, key) is None:
        value = json.dumps(_b64(make()))
        insert_if_absent(session, ChainSettingRow, key=key, value=value)


def ensure_member_keys(session: Session) -> None:
    """Create the member code key pair and the digits secret if this mall has none yet."""
    _ensure_chain_secret(
        session, MEMBER_CODE_KEY, lambda: Ed25519PrivateKey.generate().private_bytes_raw()
    )
    _ensure_chain_secret(session, DIGITS_KEY, lambda: secrets.token_bytes(32))


def _stored_key(session: Session, key: str) -> bytes:
    value = chain_value(session, key)
    if value is None:
        raise RuntimeError("the member keys were not created (ensure_member_keys at start-up)")
    return base64.b64decode(value)


def member_code_private_key(session: Session) -> bytes:
    return _stored_key(session, MEMBER_CODE_KEY)


def member_code_public_key(session: Session) -> bytes:
    private = Ed25519PrivateKey.from_private_bytes(member_code_private_key(session))
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def digits_secret(session: Session) -> bytes:
    return _stored_key(session, DIGITS_KEY)


def store_receipt_keys(session: Session, store_id: str) -> dict[str, bytes]:
    """The store's receipt token keys {kid: key}; empty for a store never paired."""
    rows = session.scalars(select(ReceiptKeyRow).where(ReceiptKeyRow.store_id == store_id))
    return {row.kid: base64.b64decode(row.key_b64) for row in rows}


def ensure_receipt_key(session: Session, store_id: str) -> tuple[dict[str, bytes], str]:
    """The store's keys and the kid new receipts are signed with (the newest; created if none)."""
    if session.get(StoreRow, store_id) is None:
        raise NotFound(f"no store {store_id!r}")
    keys = store_receipt_keys(session, store_id)
    if not keys:
        key_b64 = _b64(secrets.token_bytes(RECEIPT_KEY_BYTES))
        insert_if_absent(session, ReceiptKeyRow, store_id=store_id, kid=FIRST_KID, key_b64=key_b64)
        keys = store_receipt_keys(session, store_id)  # ours, or the one a concurrent pairing made
    return keys, max(keys)


def points_rules(session: Session) -> PointsRules:
    stored = chain_value(session, RULES_KEY)
    return PointsRules() if stored is None else PointsRules.from_dict(stored)


def set_points_rules(session: Session, rules: PointsRules) -> None:
    set_chain_value(session, RULES_KEY, rules.to_dict())


def offline_caps(session: Session) -> dict[str, int]:
    """What may be spent per day without the mall ({kind: points or fen}; 0: nothing): points
    and stored value per member, coupon value per till."""
    stored = chain_value(session, OFFLINE_CAPS_KEY) or {}
    return {kind: int(stored.get(kind, 0)) for kind in ("points", "stored_value", "coupon")}


def top_up_tiers(session: Session) -> list[TopUpTier]:
    """The chain's top-up bonus tiers (充200送20), lowest first."""
    stored = chain_value(session, TOP_UP_KEY) or []
    return sorted(TopUpTier(int(pay), int(bonus)) for pay, bonus in stored)


def set_top_up_tiers(session: Session, tiers: list[TopUpTier]) -> None:
    set_chain_value(session, TOP_UP_KEY, [[t.pay_fen, t.bonus_fen] for t in sorted(tiers)])


def rules_for_tills(session: Session) -> PointsRulesData:
    """The points rules, offline caps and top-up tiers a till applies, sent at pairing and on
    request."""
    caps = offline_caps(session)
    return PointsRulesData.model_validate(
        {
            **points_rules(session).to_dict(),
            "offline_points_cap": caps["points"],
            "offline_stored_value_cap_fen": caps["stored_value"],
            "offline_coupon_cap_fen": caps["coupon"],
            "top_up_tiers": [
                {"pay_fen": t.pay_fen, "bonus_fen": t.bonus_fen} for t in top_up_tiers(session)
            ],
        }
    )
