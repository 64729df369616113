"""Helpers for member tests against the real mall: an SMS sender that keeps the codes it was
asked to send, a customer's phone browsing the H5 pages (cookies kept), a till database paired
with the mall (so it holds the store's receipt keys and the member code key), and synced sales
with their receipt tokens."""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

import requests
from sqlalchemy import select

from mall.db import MallDatabase
from mall.members.keys import ensure_receipt_key, store_receipt_keys
from mall.members.ledger import (
    add_units,
    get_or_create_member,
    points_balance,
    show_member_code,
    stored_value_balance,
)
from mall.members.models import HoldRow, MemberRow, PointsEntryRow, StoredValueEntryRow
from mall.members.settings import MemberSettings
from mall.models import utc_now
from pos_app.domain.receipt_token import sign_receipt_token
from pos_app.services.member_directory import MallDirectory
from pos_app.store.db import Database
from sync.client import MallClient
from sync.credentials import pair
from sync.engine import SyncEngine, engine_for
from sync.protocol import payload_hash
from sync.sample import Item, sale_payload
from tests.mall.conftest import Device

TIMEOUT_S = 10
CLAIM_TOKEN = re.compile(r"/r/([A-Za-z0-9_-]+)")
_till_seqs = itertools.count(1000)


@dataclass
class CodeBox:
    """An SmsSender that keeps the last code sent to each phone, instead of sending it."""

    codes: dict[str, str] = field(default_factory=dict)

    def send(self, phone: str, code: str) -> None:
        self.codes[phone] = code


@dataclass
class MallMembers:
    """Set up and look at members directly in the mall's database."""

    db: MallDatabase

    def add(self, phone: str, *, points: int = 0, stored_value_fen: int = 0, tier: str = "") -> str:
        now = utc_now()
        with self.db.write() as session:
            member, _ = get_or_create_member(session, phone, source="admin")
            member.tier = tier
            add_units(session, "points", member.id, points, "adjustment", "test", now=now)
            add_units(
                session, "stored_value", member.id, stored_value_fen, "adjustment", "test", now=now
            )
            return member.id

    def code(self, member_id: str) -> str:
        """The member QR code as the member page shows it now (codes shown before stop working)."""
        with self.db.write() as session:
            member = session.get(MemberRow, member_id)
            assert member is not None
            return show_member_code(session, member, now=utc_now(), limits=MemberSettings()).code

    def by_phone(self, phone: str) -> str | None:
        with self.db.read() as session:
            return session.scalar(select(MemberRow.id).where(MemberRow.phone == phone))

    def points(self, member_id: str) -> int:
        with self.db.read() as session:
            return points_balance(session, member_id)

    def stored_value(self, member_id: str) -> int:
        with self.db.read() as session:
            return stored_value_balance(session, member_id)

    def ledger(self, member_id: str, kind: str = "points") -> list[tuple[str, int]]:
        """(source, delta) of the member's points (or "stored_value" fen) entries, oldest first."""
        table: type[PointsEntryRow] | type[StoredValueEntryRow] = (
            PointsEntryRow if kind == "points" else StoredValueEntryRow
        )
        delta = PointsEntryRow.delta if kind == "points" else StoredValueEntryRow.delta_fen
        with self.db.read() as session:
            rows = session.execute(
                select(table.source, delta).where(table.member_id == member_id).order_by(table.id)
            )
            return [(source, fen) for source, fen in rows]

    def hold_status(self, hold_id: str) -> str:
        with self.db.read() as session:
            hold = session.get(HoldRow, hold_id)
            assert hold is not None
            return hold.status


class Phone:
    """A customer's phone browser on the H5 pages: keeps the log-in cookie."""

    def __init__(self, base_url: str, sms: CodeBox) -> None:
        self.base_url = base_url
        self.sms = sms
        self.http = requests.Session()

    def open(self, url: str) -> requests.Response:
        return self.http.get(url, timeout=TIMEOUT_S)

    def log_in(self, phone: str, next_path: str) -> requests.Response:
        """Ask for a code, read it from the SMS box, send it back; ends where next_path leads."""
        asked = self.http.post(
            f"{self.base_url}/login/code",
            data={"phone": phone, "next": next_path},
            timeout=TIMEOUT_S,
        )
        assert asked.status_code == 200, asked.text
        return self.http.post(
            f"{self.base_url}/login",
            data={"phone": phone, "code": self.sms.codes[phone], "next": next_path},
            timeout=TIMEOUT_S,
        )

    def claim(self, token: str) -> requests.Response:
        return self.http.post(f"{self.base_url}/r/{token}/claim", timeout=TIMEOUT_S)


def pair_till(
    db: Database, base_url: str, pair_code: str, till_id: str = "T01"
) -> tuple[SyncEngine, MallDirectory]:
    """Pair the till's database with the mall (keys and rules saved) and return its sync engine
    and member directory."""
    credentials = pair(base_url, pair_code, db.path.parent, till_id=till_id, db=db)
    return engine_for(db), MallDirectory(
        partial(credentials.client, timeout_s=(3.0, 5.0), retries=0)
    )


def offline_directory() -> MallDirectory:
    """A directory whose mall does not answer (nothing listens on port 9 here)."""
    return MallDirectory(lambda: MallClient("http://127.0.0.1:9", timeout_s=(0.5, 0.5), retries=0))


def push_sale(device: Device, *, store_id: str = "S001", **fields: object) -> int:
    """One ¥3.50 cola sale of till T01 pushed by the device (fields override the payload's,
    e.g. member_id); returns its till_seq."""
    seq = next(_till_seqs)
    payload = (
        sale_payload(
            store_id=store_id,
            till_id="T01",
            till_seq=seq,
            items=[Item("1001", "可口可乐 330ml", 1, 350)],
        )
        | fields
    )
    event = {
        "id": str(uuid.uuid4()),
        "device_seq": 1,
        "kind": "sale",
        "payload": payload,
        "payload_hash": payload_hash(payload),
    }
    answer = device.post("/sync/push", json={"events": [event]})
    assert answer.status_code == 200 and answer.json()["applied"] == 1, answer.text
    return seq


def token_for(
    db: MallDatabase,
    till_seq: int,
    *,
    store_id: str = "S001",
    key_store: str = "S001",
    issued_at: datetime | None = None,
) -> str:
    """A receipt token of till T01 for a ¥3.50 sale, signed with key_store's key."""
    with db.write() as session:
        ensure_receipt_key(session, key_store)
        kid, key = max(store_receipt_keys(session, key_store).items())
    return sign_receipt_token(
        store_id=store_id,
        till_id="T01",
        till_seq=till_seq,
        amount_fen=350,
        issued_at=issued_at or datetime.now(UTC),
        kid=kid,
        key=key,
    )
