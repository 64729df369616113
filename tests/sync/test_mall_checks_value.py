"""The mall never takes a till's word for value, over real HTTP with one store's device
credentials: points come from the mall's own rules, stored value and points are spent only
against this device's hold for this member (captured once, given back only by a refund of the
sale that captured it), and a tender of the wrong sign is refused. Each case the issue found
accepted is refused here with a clear code, or left for review, and the ledger is unchanged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import select, update

from mall.cli import main as mall_main
from mall.members.keys import OFFLINE_CAPS_KEY, set_chain_value
from mall.members.ledger import member_digits, show_member_code
from mall.members.models import HoldRow, MemberPresentationRow, MemberRow
from mall.members.settings import MemberSettings
from mall.models import ConflictRow, utc_now
from sync.sample import Item, refund_payload
from tests.sync.conftest import Mall
from tests.sync.member_helpers import MallMembers
from tests.sync.raw_till import paired

COLA = Item("1001", "可口可乐 330ml", 1, 350)
CANDY = Item("1001", "可口可乐 330ml", 1, 1)  # a 1-fen sale
BIG = Item("1003", "康师傅红烧牛肉面", 1, 300_000)


@dataclass
class Books:
    mall: Mall
    members: MallMembers

    def of(self, member_id: str) -> tuple[int, int, tuple[int, int], tuple[int, int]]:
        """(points, stored value, S001 sales, S002 sales): what must not move when refused."""
        return (
            self.members.points(member_id),
            self.members.stored_value(member_id),
            self.mall.sales("S001"),
            self.mall.sales("S002"),
        )

    def reviews(self) -> list[str]:
        with self.mall.db.read() as session:
            return list(session.scalars(select(ConflictRow.reason).order_by(ConflictRow.id)))

    def hold(self, hold_id: str) -> tuple[str, int]:
        with self.mall.db.read() as session:
            row = session.get(HoldRow, hold_id)
            assert row is not None
            return row.status, row.amount_fen


@pytest.fixture
def books(mall: Mall) -> Books:
    return Books(mall, MallMembers(mall.db))


def pay(kind: str, amount_fen: int, reference: str = "") -> dict[str, Any]:
    return {"kind": kind, "amount_fen": amount_fen, "reference": reference}


def test_a_claimed_billion_points_are_not_credited_and_left_for_review(
    mall: Mall, books: Books, capsys: pytest.CaptureFixture[str]
):
    """A 1-fen sale claiming 1,000,000,000 points earns what the rules give (0); the claim is a
    review item (listed by `pos-mall reviews`) and the member's page still answers."""
    till = paired(mall, "S001")
    member = books.members.add("13800000001", points=1000)
    answer = till.push("sale", till.sale(CANDY, member_id=member, points_earned=10**9))
    assert answer.status_code == 200 and answer.json()["applied"] == 1
    assert books.members.points(member) == 1000
    assert books.reviews() == ["points_differ"]
    shown = till.device.post("/members/lookup", json={"code": books.members.code(member)})
    assert shown.json()["points_balance"] == 1000
    assert mall_main(["reviews", "--db", mall.db.url]) == 0
    printed = capsys.readouterr().out
    assert "S001/T01 #1 sale points_differ (applied) the till claimed 1000000000" in printed


def test_the_mall_credits_its_own_points_for_a_sale_and_takes_them_back_on_refund(
    mall: Mall, books: Books
):
    """A ¥3.50 sale earns 3 points by the rules whatever is claimed; its refund takes the 3
    back even when it claims 0; a refund claiming +777,777 points is refused (422)."""
    till = paired(mall, "S001")
    member = books.members.add("13800000002")
    sale = till.sale(COLA, member_id=member, points_earned=3)
    assert till.push("sale", sale).json()["applied"] == 1
    assert books.members.points(member) == 3 and books.reviews() == []
    before = books.of(member)
    plus = refund_payload(sale, till_seq=next(till.till_seqs)) | {"points_earned": 777_777}
    refused = till.push("refund", plus)
    assert refused.status_code == 422 and "points_earned" in refused.text
    assert books.of(member) == before
    zero = refund_payload(sale, till_seq=next(till.till_seqs)) | {"points_earned": 0}
    assert till.push("refund", zero).json()["applied"] == 1
    assert books.members.points(member) == 0
    assert books.reviews() == ["points_differ"]


def test_a_negative_stored_value_tender_is_refused_and_mints_nothing(mall: Mall, books: Books):
    """A sale paying −5,000,000 fen of stored value is refused (422): no ¥50,000 minted."""
    till = paired(mall, "S001")
    member = books.members.add("13800000003", stored_value_fen=50_000)
    before = books.of(member)
    sale = till.sale(COLA, member_id=member)
    sale["payments"] = [pay("cash", 5_000_350), pay("stored_value", -5_000_000)]
    answer = till.push("sale", sale)
    assert answer.status_code == 422 and "may not be negative" in answer.text
    assert books.of(member) == before


def test_stored_value_without_a_hold_is_taken_only_within_the_offline_cap(mall: Mall, books: Books):
    """40,000 fen of stored value with no hold: nothing taken without a cap (left for review);
    with a cap of 5,000 fen a day, 3,000 is taken once and the next 3,000 is not."""
    till = paired(mall, "S001")
    member = books.members.add("13800000004", stored_value_fen=50_000)
    sale = till.sale(Item("1003", "面", 1, 40_000), member_id=member)
    sale["payments"] = [pay("stored_value", 40_000, "OFF-made-up")]
    assert till.push("sale", sale).json()["applied"] == 1
    assert books.members.stored_value(member) == 50_000
    assert books.reviews() == ["offline_over_cap"]
    with mall.db.write() as session:
        set_chain_value(session, OFFLINE_CAPS_KEY, {"stored_value": 5_000})
    for _ in range(2):
        small = till.sale(Item("1003", "面", 1, 3_000), member_id=member)
        small["payments"] = [pay("stored_value", 3_000, "OFFx")]
        assert till.push("sale", small).json()["applied"] == 1
    assert books.members.stored_value(member) == 47_000
    assert books.reviews() == ["offline_over_cap", "offline_over_cap"]


def test_a_member_id_alone_neither_holds_nor_tells_a_balance(mall: Mall, books: Books):
    """A hold needs the member to have shown their own code at this till within the hour: by
    member id alone, after a look-up by phone, or after showing it at another till, the answer
    is 403 member_code_needed whatever the amount (no 409 to binary-search a balance with) and
    nothing is held; once the code is scanned here the hold is set; an hour later it is not."""
    till, other = paired(mall, "S001"), paired(mall, "S001", "T02")
    member = books.members.add("13800000009", points=500, stored_value_fen=10_000)

    def hold(amount_fen: int) -> requests.Response:
        body = {"request_id": uuid.uuid4().hex, "member_id": member, "kind": "stored_value"}
        return till.device.post("/members/holds", json={**body, "amount_fen": amount_fen})

    by_phone = till.device.post("/members/lookup", json={"phone": "13800000009"})
    assert by_phone.status_code == 200 and by_phone.json()["stored_value_fen"] is None
    assert other.device.post("/members/lookup", json={"code": books.members.code(member)}).ok
    refused = [hold(amount) for amount in (1, 10_000, 10_001)]
    assert {(r.status_code, r.json()["code"]) for r in refused} == {(403, "member_code_needed")}
    with mall.db.read() as session:
        assert session.scalars(select(HoldRow).where(HoldRow.member_id == member)).all() == []
    assert till.device.post("/members/lookup", json={"code": books.members.code(member)}).ok
    assert hold(10_001).json()["code"] == "insufficient_stored_value"
    assert hold(10_000).status_code == 200
    with mall.db.write() as session:
        session.execute(
            update(MemberPresentationRow).values(presented_at=utc_now() - timedelta(minutes=61))
        )
    assert hold(1).status_code == 403
    assert books.of(member)[:2] == (500, 10_000)


def test_a_sale_cannot_spend_another_stores_hold_or_more_than_its_own(mall: Mall, books: Books):
    """S001 naming S002's ¥10 hold to pay ¥3,000 takes nothing and leaves the hold S002's;
    S001's own ¥10 hold cannot pay ¥3,000 either; it pays ¥10 once, not twice."""
    mine, theirs = paired(mall, "S001"), paired(mall, "S002")
    member = books.members.add("13800000005", stored_value_fen=50_000)
    foreign = theirs.hold(member, 1_000, books.members.code(member))
    sale = mine.sale(BIG, member_id=member)
    sale["payments"] = [pay("stored_value", 300_000, foreign)]
    assert mine.push("sale", sale).json()["applied"] == 1
    assert books.hold(foreign) == ("active", 1_000)
    assert books.members.stored_value(member) == 50_000
    own = mine.hold(member, 1_000, books.members.code(member))
    sale = mine.sale(BIG, member_id=member)
    sale["payments"] = [pay("stored_value", 300_000, own)]
    mine.push("sale", sale)
    assert books.hold(own) == ("active", 1_000)
    for _ in range(2):
        sale = mine.sale(Item("1003", "面", 1, 1_000), member_id=member)
        sale["payments"] = [pay("stored_value", 1_000, own)]
        assert mine.push("sale", sale).json()["applied"] == 1
    assert books.hold(own) == ("captured", 1_000)
    assert books.members.stored_value(member) == 49_000
    assert books.reviews() == ["hold_not_usable", "redemption_over_hold", "hold_not_usable"]


def test_only_a_refund_of_the_sale_that_captured_a_hold_gives_it_back(mall: Mall, books: Books):
    """A refund naming another store's captured hold gives nothing; the refund of the sale that
    captured it gives back exactly what was taken."""
    mine, theirs = paired(mall, "S001"), paired(mall, "S002")
    member = books.members.add("13800000006", stored_value_fen=10_000)
    hold = theirs.hold(member, 1_000, books.members.code(member))
    their_sale = theirs.sale(Item("1003", "面", 1, 1_000), member_id=member)
    their_sale["payments"] = [pay("stored_value", 1_000, hold)]
    assert theirs.push("sale", their_sale).json()["applied"] == 1
    assert books.members.stored_value(member) == 9_000
    my_sale = mine.sale(Item("1003", "面", 1, 1_000))
    assert mine.push("sale", my_sale).json()["applied"] == 1
    fake = refund_payload(my_sale, till_seq=next(mine.till_seqs)) | {"member_id": member}
    fake["payments"] = [pay("stored_value", -1_000, hold)]
    assert mine.push("refund", fake).json()["applied"] == 1
    assert books.members.stored_value(member) == 9_000
    assert books.reviews() == ["refund_hold_unknown"]
    real = refund_payload(their_sale, till_seq=next(theirs.till_seqs))
    assert theirs.push("refund", real).json()["applied"] == 1
    assert books.members.stored_value(member) == 10_000


def test_balances_come_only_with_the_members_own_code(mall: Mall, books: Books):
    """A look-up by phone or card number, or a signup of a known phone, tells no balances; the
    18 digits the member shows do."""
    till = paired(mall, "S001")
    member = books.members.add("13800000007", points=1234, stored_value_fen=5_600)
    with mall.db.write() as session:  # as the member page shows them
        row = session.get(MemberRow, member)
        assert row is not None
        card, digits = row.card_no, member_digits(session, row, now=utc_now(), step_s=60)
    for query in ({"phone": "13800000007"}, {"card_no": card}):
        info = till.device.post("/members/lookup", json=query).json()
        assert info["member_id"] == member and info["points_balance"] is None, query
        assert info["stored_value_fen"] is None
    signup = till.device.post("/members/signup", json={"phone": "13800000007"}).json()
    assert signup["points_available"] is None
    shown = till.device.post("/members/lookup", json={"digits": digits}).json()
    assert (shown["points_balance"], shown["stored_value_fen"]) == (1234, 5_600)


def test_the_member_qr_brings_balances_only_while_it_is_the_newest_shown(mall: Mall, books: Books):
    """The signed QR the member page shows finds the member with balances (the till sends the
    code, not just the member id inside it, which anyone who saw a receipt could read); once
    the page showed a newer one, the older QR finds nobody; a forged one neither; and there is
    no look-up by bare member id."""
    till = paired(mall, "S001")
    member = books.members.add("13800000008", points=900, stored_value_fen=1_000)
    now = utc_now()

    def show(at: datetime) -> str:
        with mall.db.write() as session:
            row = session.get(MemberRow, member)
            assert row is not None
            return show_member_code(session, row, now=at, limits=MemberSettings()).code

    def look_up(code: str) -> requests.Response:
        return till.device.post("/members/lookup", json={"code": code})

    first = show(now)
    shown = look_up(first).json()
    assert (shown["member_id"], shown["points_balance"], shown["stored_value_fen"]) == (
        member,
        900,
        1_000,
    )
    newer = show(now + timedelta(seconds=61))
    stale = look_up(first)
    assert stale.status_code == 404 and "fresh one" in stale.json()["message"]
    assert look_up(newer).json()["points_balance"] == 900
    forged = newer[:-3] + ("AAA" if newer[-3:] != "AAA" else "BBB")
    assert look_up(forged).status_code == 404
    assert till.device.get(f"/members/{member}").status_code in (404, 405)
