"""Coupons end to end over real HTTP: a campaign added with `pos-mall coupon campaign`, a coupon
claimed by a logged-in member through the mall's customer API, scanned at till A (held online),
sold and synced; till B is refused the same coupon, and an offline use at B is settled as a
conflict for review; a whole refund gives a still-valid coupon back. The mall's coupon ledger
is checked each time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from mall.cli import main as mall_cli
from mall.coupons.models import CouponEntryRow, CouponRow
from mall.members.settings import MemberSettings
from mall.models import ConflictRow
from pos_app.domain.coupons import CouponUse
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import CheckoutResult, checkout
from pos_app.services.coupons import CouponOfflineRefused, take_coupon
from pos_app.services.member_directory import CouponRefused, MemberDirectory
from pos_app.services.members import refresh_rules
from pos_app.services.refund import refund_sale
from pos_app.store.db import Database
from pos_app.store.models import utc_now
from sync.engine import SyncEngine
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of, small_till
from tests.services.test_checkout import cart_with
from tests.sync.conftest import Mall, open_mall
from tests.sync.member_helpers import TIMEOUT_S, CodeBox, Phone, offline_directory, pair_till

COLA, NOODLES = barcode_of("1001"), barcode_of("1003")
PHONE = "13800000009"


@dataclass
class Till:
    db: Database
    engine: SyncEngine
    directory: MemberDirectory

    def take(self, code: str, directory: MemberDirectory | None = None) -> CouponUse:
        return take_coupon(
            self.db,
            directory or self.directory,
            code,
            request_id=uuid.uuid4().hex,
            now=utc_now(),
        )

    def sell_with(self, use: CouponUse, *codes: str) -> CheckoutResult:
        cart = cart_with(self.db, *codes)
        cart.use_coupon(use)
        paid = [Tender(TenderKind.CASH, cart.total_fen)]
        return checkout(self.db, cart=cart, tenders=paid, cashier_id=CASHIER_ID)

    def sync(self) -> None:
        assert self.engine.run_once().pending == 0


@dataclass
class Chain:
    mall: Mall
    phone: Phone
    a: Till
    b: Till

    def claim(self, campaign_id: str = "NEW3") -> dict[str, object]:
        url = f"{self.mall.base_url}/customer/v1/coupons/claim"
        answer = self.phone.http.post(url, json={"campaign_id": campaign_id}, timeout=TIMEOUT_S)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def coupon(self, coupon_id: str) -> CouponRow:
        with self.mall.db.read() as session:
            row = session.get(CouponRow, coupon_id)
            assert row is not None
            session.expunge(row)
            return row

    def ledger(self, coupon_id: str) -> list[str]:
        with self.mall.db.read() as session:
            query = select(CouponEntryRow.action).where(CouponEntryRow.coupon_id == coupon_id)
            return list(session.scalars(query.order_by(CouponEntryRow.id)))


@pytest.fixture
def chain(mall_url: str, tmp_path: Path) -> Iterator[Chain]:
    """The mall with campaign NEW3 (满¥10减¥3, claimable), a member logged in on the H5 pages,
    and two paired tills of store S001: A (T01) and B (T02)."""
    sms = CodeBox()
    for mall in open_mall(mall_url, members=MemberSettings(sms_sender=sms)):  # type: ignore[arg-type]
        added = mall_cli(
            ["coupon", "campaign", "NEW3", "新人满10减3", "--value-fen", "300",
             "--min-spend-fen", "1000", "--claimable", "--db", mall_url]
        )  # fmt: skip
        assert added == 0
        phone = Phone(mall.base_url, sms)
        assert phone.log_in(PHONE, "/m").status_code == 200
        tills = []
        for till_id in ("T01", "T02"):
            db = small_till(tmp_path / till_id / "till.db", till_id)
            engine, directory = pair_till(db, mall.base_url, mall.pair_code("S001"), till_id)
            tills.append(Till(db, engine, directory))
        yield Chain(mall, phone, *tills)
        for till in tills:
            till.engine.client.close()
            till.db.dispose()


def test_a_claimed_coupon_is_redeemed_once_at_till_a_and_refused_at_till_b(chain: Chain) -> None:
    """Claimed in the customer API (once per member), held and sold at A for ¥3 off ¥16.00;
    B's scan is refused as used; the ledger reads claimed, held, redeemed, and the member's
    list shows it used without a code; the 领券 list offers NEW3 once, then no more to them."""
    campaigns = f"{chain.mall.base_url}/customer/v1/coupons/campaigns"

    def left_for_me() -> list[tuple[str, str, int, bool]]:
        answer = chain.phone.http.get(campaigns, timeout=TIMEOUT_S).json()["campaigns"]
        return [(c["campaign_id"], c["name"], c["left_for_me"], c["sold_out"]) for c in answer]

    assert left_for_me() == [("NEW3", "新人满10减3", 1, False)]
    coupon = chain.claim()
    assert left_for_me() == [("NEW3", "新人满10减3", 0, False)]
    again = chain.phone.http.post(
        f"{chain.mall.base_url}/customer/v1/coupons/claim",
        json={"campaign_id": "NEW3"},
        timeout=TIMEOUT_S,
    )
    assert again.status_code == 409 and again.json()["code"] == "coupon_claimed"
    code = str(coupon["code"])
    use = chain.a.take(code)
    assert use.reference.startswith("CH") and (use.value_fen, use.min_spend_fen) == (300, 1000)
    sale = chain.a.sell_with(use, NOODLES, NOODLES, COLA, COLA)
    assert sale.total_fen == 1600 - 300
    chain.a.sync()
    row = chain.coupon(str(coupon["coupon_id"]))
    assert (row.status, row.store_id, row.discount_fen) == ("redeemed", "S001", 300)
    with pytest.raises(CouponRefused) as refused:
        chain.b.take(code)
    assert refused.value.code == "coupon_redeemed"
    assert chain.ledger(row.id) == ["claimed", "held", "redeemed"]
    mine = chain.phone.http.get(f"{chain.mall.base_url}/customer/v1/coupons", timeout=10)
    [listed] = mine.json()["coupons"]
    assert (listed["status"], listed["code"]) == ("redeemed", None)


def test_an_offline_use_of_a_coupon_redeemed_elsewhere_is_a_conflict_for_review(
    chain: Chain,
) -> None:
    """A holds and sells online; B, cut off from the mall, takes the same coupon within its
    ¥5 cap (once: a second offline use at B is refused). When B's sale arrives the mall keeps
    the coupon redeemed by A's sale alone, refuses B's use in the ledger and records the
    conflict for review; B's sale itself still counts."""
    code = str(chain.claim()["code"])
    cap = ["offline-cap", "--coupon-fen", "500", "--db", chain.mall.db.url]
    assert mall_cli(cap) == 0  # the chain's rule, which B fetches with the points rules
    assert refresh_rules(chain.b.db, chain.b.directory).points_per_yuan == 1
    offline = offline_directory()
    use_b = chain.b.take(code, offline)
    assert use_b.reference.startswith("OFF")
    sale_a = chain.a.sell_with(chain.a.take(code), NOODLES, NOODLES, COLA)
    chain.b.sell_with(use_b, NOODLES, NOODLES, COLA)
    with pytest.raises(CouponOfflineRefused):
        chain.b.take(code, offline)
    chain.a.sync()
    chain.b.sync()
    row = chain.coupon(use_b.coupon_id)
    assert row.status == "redeemed" and row.discount_fen == 300
    assert chain.ledger(row.id) == ["claimed", "held", "redeemed", "refused"]
    with chain.mall.db.read() as session:
        reviews = session.scalars(select(ConflictRow.reason).where(ConflictRow.applied)).all()
    assert reviews == ["coupon_not_redeemed"]
    assert chain.mall.sales("S001") == (2, 2 * (1250 - 300))
    assert sale_a.total_fen == 950


def refund_all(till: Till, sale_no: str, quantities: dict[int, int]) -> None:
    refund_sale(
        till.db,
        sale_no=sale_no,
        quantities=quantities,
        cashier_id=CASHIER_ID,
        approver_id=MANAGER_ID,
    )


def test_a_whole_refund_gives_a_valid_coupon_back_and_a_partial_one_does_not(
    chain: Chain,
) -> None:
    """Returning one of two lines keeps the coupon used; returning the rest restores it, and
    it can be held again."""
    code = str(chain.claim()["code"])
    sale = chain.a.sell_with(chain.a.take(code), NOODLES, NOODLES, COLA)
    chain.a.sync()
    refund_all(chain.a, sale.sale_no, {2: 1})
    chain.a.sync()
    with chain.mall.db.read() as session:
        row = session.scalars(select(CouponRow)).one()
    assert row.status == "redeemed"
    refund_all(chain.a, sale.sale_no, {1: 2})
    chain.a.sync()
    assert chain.coupon(row.id).status == "issued"
    assert chain.ledger(row.id)[-2:] == ["redeemed", "restored"]
    assert chain.b.take(code).reference.startswith("CH")
