"""The back office finds members this till knows and lists what they bought here."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.member_history import member_purchases, search_members
from pos_app.services.refund import refund_sale
from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.test_checkout import cart_with

SEEN_AT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def know(db: Database, member_id: str, name: str, tail: str, points: int | None) -> None:
    with db.write() as session:
        session.add(
            KnownMember(
                member_id=member_id,
                name=name,
                phone_tail=tail,
                card_no=f"C{member_id}",
                points_balance=points,
                stored_value_fen=None if points is None else 1000,
                known_at=SEEN_AT,
            )
        )


def sell_to(db: Database, member_id: str, *skus: str) -> str:
    cart = cart_with(db, *[barcode_of(sku) for sku in skus])
    cart.attach_member(member_id)
    paid = Tender(TenderKind.CASH, cart.total_fen)
    return checkout(db, cart=cart, tenders=[paid], cashier_id=CASHIER_ID).sale_no


def test_members_are_found_by_phone_tail_name_or_card(db: Database) -> None:
    """Four digits match the phone tail; other text the name, card number or id."""
    know(db, "M1", "王女士", "1234", 120)
    know(db, "M2", "李先生", "5678", None)
    assert [m.member_id for m in search_members(db, "1234")] == ["M1"]
    assert [m.member_id for m in search_members(db, "李")] == ["M2"]
    assert [m.member_id for m in search_members(db, "CM2")] == ["M2"]
    assert {m.member_id for m in search_members(db, "")} == {"M1", "M2"}


def test_a_members_purchases_and_totals_include_refunds(db: Database) -> None:
    """Two sales and a refund: three rows, totals and the known balance net of the refund."""
    know(db, "M1", "王女士", "1234", 120)
    first = sell_to(db, "M1", "1003", "1003")  # 2 × ¥4.00 member price
    sell_to(db, "M1", "1001")  # ¥3.00 member price
    sell_to(db, "M9", "1002")  # someone else
    refund_sale(db, sale_no=first, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID)
    [member] = search_members(db, "1234")
    purchases = member_purchases(db, "M1")
    assert (member.purchases, member.spent_fen) == (3, 800 + 300 - 400)
    assert member.points_balance == 120 + 8 + 3 - 4  # known balance moves with this till's sales
    assert sorted(p.total_fen for p in purchases) == [-400, 300, 800]
    assert {p.kind for p in purchases} == {"sale", "refund"}
