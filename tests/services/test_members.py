"""Members at the till without a mall: member codes checked offline with the mall's public key,
clear refusals for forged, expired or unreadable codes and for lookups that need the mall, and
points computed with the chain's rules."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from pos_app.services.member_directory import MallUnavailable, MemberError, NoMallDirectory
from pos_app.services.members import find_member, quick_signup, read_member_code
from pos_app.services.points import cart_points, points_for_sale, save_rules
from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember
from pos_app.store.models import OutboxEvent, utc_now
from pos_app.store.settings import set_setting
from sync.member_code import (
    ExpiredMemberCode,
    ForgedMemberCode,
    MalformedMemberCode,
    sign_member_code,
)
from sync.protocol import PointsRulesData
from tests.conftest import barcode_of
from tests.services.test_checkout import cart_with

MALL_KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def paired_db(db: Database) -> Database:
    """The till knows the mall's member code public key, as pairing leaves it."""
    public = base64.b64encode(MALL_KEY.public_key().public_bytes_raw()).decode()
    with db.write() as session:
        set_setting(session, "member_code_public_key", public)
    return db


def code_for(member_id: str, *, minutes: int = 5, key: Ed25519PrivateKey = MALL_KEY) -> str:
    return sign_member_code(
        member_id=member_id,
        tier="gold",
        expires_at=utc_now() + timedelta(minutes=minutes),
        private_key=key.private_bytes_raw(),
    )


def known_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(KnownMember)) or 0


def test_a_member_code_is_recognised_offline_with_its_tier(paired_db: Database) -> None:
    """No mall at all: the code alone names the member; the balance is not known here."""
    member = find_member(paired_db, NoMallDirectory(), code_for("M0000000000A1"), now=utc_now())
    assert (member.member_id, member.tier, member.points_balance) == ("M0000000000A1", "gold", None)
    assert known_count(paired_db) == 1


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        (code_for("M0000000000A2", minutes=-1), ExpiredMemberCode, "expired"),
        (code_for("M0000000000A2", key=Ed25519PrivateKey.generate()), ForgedMemberCode, "genuine"),
        ("MC1" + "x" * 40, MalformedMemberCode, "damaged"),
    ],
)
def test_expired_forged_and_damaged_codes_are_refused_and_remembered_nowhere(
    paired_db: Database, code: str, error: type[Exception], words: str
) -> None:
    """Each refusal says why; no member is recorded."""
    with pytest.raises(error, match=words):
        read_member_code(paired_db, code, now=utc_now())
    assert known_count(paired_db) == 0


def test_an_unpaired_till_refuses_member_codes_and_asks_to_pair(db: Database) -> None:
    """Without the mall's key no code can be checked."""
    with pytest.raises(ForgedMemberCode, match="pair"):
        read_member_code(db, code_for("M0000000000A3"), now=utc_now())


@pytest.mark.parametrize("text", ["13812345678", "1234567890", "812345678901234567"])
def test_phone_card_and_digits_need_the_mall_and_say_so(db: Database, text: str) -> None:
    """Offline, a phone, card or the dynamic digits cannot be looked up: a clear message."""
    with pytest.raises(MallUnavailable, match="not connected to the mall"):
        find_member(db, NoMallDirectory(), text, now=utc_now())
    assert known_count(db) == 0


@pytest.mark.parametrize("text", ["hello", "12345", "6901234567892", "1381234567x"])
def test_text_that_names_no_member_is_refused(db: Database, text: str) -> None:
    """Neither a member code nor a phone, card or digits: refused before asking anyone."""
    with pytest.raises(MemberError, match="not a member code"):
        find_member(db, NoMallDirectory(), text, now=utc_now())


def test_an_offline_signup_is_queued_for_the_mall(db: Database) -> None:
    """The signup event goes into the outbox; a wrong number is refused outright."""
    member = quick_signup(db, NoMallDirectory(), " 13912345678 ")
    assert (member.member_id, member.is_pending, member.points_balance) == (
        "tel:13912345678",
        True,
        0,
    )
    with db.read() as session:
        assert session.scalars(select(OutboxEvent.kind)).all() == ["member_signup"]
    with pytest.raises(MemberError, match="mobile number"):
        quick_signup(db, NoMallDirectory(), "0212345678")


def test_without_rules_points_stay_one_per_yuan_for_old_callers() -> None:
    """The placeholder's callers keep working: ¥12.99 with a member earns 12 points."""
    assert points_for_sale("M1", 1299) == 12 and points_for_sale(None, 1299) == 0


def test_the_chains_rules_exclude_categories_and_multiply_by_tier(paired_db: Database) -> None:
    """2 points per yuan, noodles excluded, gold 1.5×: two ¥3.00 colas earn 18 points."""
    with paired_db.write() as session:
        rules = PointsRulesData(
            points_per_yuan=2, excluded_categories=["面"], tier_multipliers_bp={"gold": 15_000}
        )
        save_rules(session, rules)
    find_member(paired_db, NoMallDirectory(), code_for("M0000000000A4"), now=utc_now())
    cart = cart_with(paired_db, barcode_of("1001"), barcode_of("1001"))
    noodles = cart_with(paired_db, barcode_of("1003")).lines[0].product
    cart.add(replace(noodles, category="面"))
    cart.attach_member("M0000000000A4")
    with paired_db.read() as session:
        assert cart_points(session, cart, payable_fen=cart.total_fen) == 18
