"""Members end to end over real HTTP: the till paired with the mall on 127.0.0.1, real
checkouts and refunds synced by the engine, the receipt QR read back from the printed bytes and
claimed through the H5 pages, holds and the offline cap."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import zxingcpp
from sqlalchemy import select

from mall.members.keys import OFFLINE_CAPS_KEY, set_chain_value, set_points_rules
from mall.members.models import HoldRow
from mall.members.settings import MemberSettings
from mall.models import SaleRow
from pos_app.domain.points import PointsRules
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.member_directory import MallDirectory, RedemptionRefused
from pos_app.services.members import (
    find_member,
    quick_signup,
    redeem,
    refresh_rules,
    release_holds,
)
from pos_app.services.printing import enqueue_receipt, send_job
from pos_app.services.receipts import build_receipt
from pos_app.services.refund import refund_sale
from pos_app.services.report_claims import qr_claims
from pos_app.services.report_period import Period, shop_today
from pos_app.store.db import Database
from pos_app.store.models import OutboxEvent, utc_now
from sync.engine import SyncEngine
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter, fast_connect
from tests.services.test_checkout import cart_with
from tests.sync.conftest import Mall, open_mall
from tests.sync.member_helpers import (
    CLAIM_TOKEN,
    CodeBox,
    MallMembers,
    Phone,
    offline_directory,
    pair_till,
)

COLA, NOODLES = barcode_of("1001"), barcode_of("1003")


@dataclass
class Shop:
    """The mall, its members, and this till paired with it."""

    mall: Mall
    members: MallMembers
    sms: CodeBox
    db: Database
    engine: SyncEngine
    directory: MallDirectory

    def sell(self, *codes: str, member_id: str | None = None, tenders: list[Tender] | None = None):
        cart = cart_with(self.db, *codes)
        if member_id is not None:
            cart.attach_member(member_id)
        paid = tenders or [Tender(TenderKind.CASH, cart.total_fen)]
        return checkout(self.db, cart=cart, tenders=paid, cashier_id=CASHIER_ID)

    def sync(self) -> None:
        assert self.engine.run_once().pending == 0

    def refund(self, sale_no: str, line_no: int) -> None:
        """Refund one unit of a line, approved by the manager."""
        refund_sale(
            self.db,
            sale_no=sale_no,
            quantities={line_no: 1},
            cashier_id=CASHIER_ID,
            approver_id=MANAGER_ID,
        )

    def redeem(self, member_id: str, amount_fen: int, *, directory: object = None) -> Tender:
        """Points worth amount_fen as a tender (through the given directory, else the mall)."""
        return redeem(
            self.db,
            directory or self.directory,  # type: ignore[arg-type]
            member_id=member_id,
            kind=TenderKind.POINTS,
            amount_fen=amount_fen,
            request_id=uuid.uuid4().hex,
            now=utc_now(),
        )


@pytest.fixture
def shop(mall_url: str, db: Database) -> Iterator[Shop]:
    sms = CodeBox()
    for mall in open_mall(mall_url, members=MemberSettings(sms_sender=sms)):  # type: ignore[arg-type]
        engine, directory = pair_till(db, mall.base_url, mall.pair_code("S001"))
        yield Shop(mall, MallMembers(mall.db), sms, db, engine, directory)
        engine.client.close()


def test_a_member_sale_earns_points_at_the_mall_after_sync(shop: Shop) -> None:
    """The member code is read offline at the till; member prices apply; 10 points arrive."""
    member_id = shop.members.add("13800000001")
    member = find_member(shop.db, shop.directory, shop.members.code(member_id), now=utc_now())
    sale = shop.sell(COLA, COLA, NOODLES, member_id=member.member_id)
    assert (sale.total_fen, sale.points_earned) == (1000, 10)
    shop.sync()
    assert shop.members.ledger(member_id) == [("sale", 10)]
    with shop.db.read() as session:
        printed = build_receipt(session, sale.sale_id).member
    assert printed is not None and (printed.points_earned, printed.points_balance) == (10, 10)


def _printed_claim_url(shop: Shop, sale_id: int) -> str:
    printer = FakePrinter()
    try:
        job = enqueue_receipt(shop.db, sale_id, printer_uri=printer.uri, kick_drawer=False)
        send_job(shop.db, job, connect=fast_connect)
        [receipt] = printer.wait_for_jobs(1)
    finally:
        printer.close()
    return zxingcpp.read_barcodes(decode_escpos(receipt).rasters[0].convert("L"))[0].text


def test_a_receipt_qr_claims_the_points_once_and_a_refund_takes_them_back(shop: Shop) -> None:
    """Printed QR → claim page → log in by SMS → 7 points, once; refunds take them back."""
    sale = shop.sell(COLA, COLA)
    shop.sync()
    url = _printed_claim_url(shop, sale.sale_id)
    assert url.startswith(f"{shop.mall.base_url}/r/")
    token = CLAIM_TOKEN.search(url).group(1)  # type: ignore[union-attr]
    phone = Phone(shop.mall.base_url, shop.sms)
    page = phone.open(url)
    assert page.status_code == 200 and "可口可乐" in page.text and "获取验证码" in page.text
    assert "领取 7 积分" in phone.log_in("13900000002", f"/r/{token}").text
    assert "领取成功：+7 积分" in phone.claim(token).text
    again = phone.claim(token)
    assert again.status_code == 409 and "您已领取过" in again.text
    other = Phone(shop.mall.base_url, shop.sms)
    other.log_in("13900000003", f"/r/{token}")
    assert "已被领取" in other.claim(token).text
    member_id = shop.members.by_phone("13900000002")
    assert member_id is not None and shop.members.points(member_id) == 7
    shop.sync()  # the claim comes back to the till: the back office's QR-claim share counts it
    with shop.db.read() as session:
        report = qr_claims(session, Period(shop_today(), shop_today()))
    assert report.rows[-1][1:] == (1, 1, 10_000)
    for _ in range(2):
        shop.refund(sale.sale_no, 1)
        shop.sync()
    assert shop.members.ledger(member_id) == [("claim", 7), ("refund", -4), ("refund", -3)]
    assert "已退货" not in phone.open(url).text  # claimed before the refund: it says so
    assert "已领取" in phone.open(url).text


def test_a_receipt_claimed_before_its_sale_synced_is_credited_when_it_arrives(shop: Shop) -> None:
    """The token verifies before the sale syncs: a pending claim, credited by the sync."""
    sale = shop.sell(COLA, COLA)
    url = _printed_claim_url(shop, sale.sale_id)
    token = CLAIM_TOKEN.search(url).group(1)  # type: ignore[union-attr]
    phone = Phone(shop.mall.base_url, shop.sms)
    assert "小票正在同步" in phone.open(url).text
    scanned = phone.http.get(f"{shop.mall.base_url}/mp/receipt", params={"q": url}, timeout=10)
    assert scanned.json() | {"message": ""} == {
        "state": "pending",
        "message": "",
        "store_name": "人民路店",
        "amount_fen": 700,
        "points": 0,
        "synced": False,
    }
    phone.log_in("13900000004", f"/r/{token}")
    assert "同步到商城后积分自动到账" in phone.claim(token).text
    member_id = shop.members.by_phone("13900000004")
    assert member_id is not None and shop.members.points(member_id) == 0
    shop.sync()
    assert shop.members.ledger(member_id) == [("claim", 7)]


def test_a_points_hold_is_captured_by_the_sale_and_released_when_abandoned(shop: Shop) -> None:
    """¥5 paid with 500 points: held, captured when the sale syncs; an abandoned hold goes back."""
    member_id = shop.members.add("13800000005", points=1000)
    member = find_member(shop.db, shop.directory, shop.members.code(member_id), now=utc_now())
    points = shop.redeem(member_id, 500)
    assert (
        points.reference.startswith("H") and shop.members.hold_status(points.reference) == "active"
    )
    sale = shop.sell(
        COLA,
        COLA,
        NOODLES,
        member_id=member.member_id,
        tenders=[points, Tender(TenderKind.CASH, 500)],
    )
    assert sale.points_earned == 5  # only the ¥5 paid in cash earns points
    shop.sync()
    assert shop.members.hold_status(points.reference) == "captured"
    assert shop.members.ledger(member_id) == [
        ("adjustment", 1000),
        ("sale", 5),
        ("redemption", -500),
    ]
    with shop.db.read() as session:
        receipt = build_receipt(session, sale.sale_id).member
    assert receipt is not None and receipt.points_balance == 505
    abandoned = shop.redeem(member_id, 300)
    assert (
        find_member(
            shop.db, shop.directory, shop.members.code(member_id), now=utc_now()
        ).points_balance
        == 205
    )
    assert release_holds(shop.directory, [abandoned]) == 1
    assert shop.members.hold_status(abandoned.reference) == "released"
    assert (
        find_member(
            shop.db, shop.directory, shop.members.code(member_id), now=utc_now()
        ).points_balance
        == 505
    )
    shop.refund(sale.sale_no, 2)  # the noodles: ¥2 of points and ¥2 of cash back
    shop.sync()
    assert shop.members.ledger(member_id)[-2:] == [("refund", -2), ("refund", 200)]
    assert shop.members.points(member_id) == 703


def test_offline_redemption_stays_within_the_daily_cap_and_settles_on_sync(shop: Shop) -> None:
    """Offline: refused without a cap; with 300 a day set on the mall, 200 + 100
    pass, 200 more do not; the mall takes both as offline redemptions. The till has the cap from
    the mall's rules, so both sides allow the same."""
    member_id = shop.members.add("13800000006", points=1000)
    find_member(shop.db, shop.directory, shop.members.code(member_id), now=utc_now())  # balance
    offline = offline_directory()

    def offline_redeem(amount_fen: int) -> Tender:
        return shop.redeem(member_id, amount_fen, directory=offline)

    with pytest.raises(RedemptionRefused, match="cannot pay until it is back"):
        offline_redeem(100)
    with shop.mall.db.write() as session:
        set_chain_value(session, OFFLINE_CAPS_KEY, {"points": 300})
    refresh_rules(shop.db, shop.directory)  # the till learns the mall's cap (as at each start)
    first = offline_redeem(200)
    shop.sell(
        COLA, COLA, NOODLES, member_id=member_id, tenders=[first, Tender(TenderKind.CASH, 800)]
    )
    with pytest.raises(RedemptionRefused, match="Offline limit reached"):
        offline_redeem(200)
    second = offline_redeem(100)
    shop.sell(
        COLA, COLA, NOODLES, member_id=member_id, tenders=[second, Tender(TenderKind.CASH, 900)]
    )
    shop.sync()
    assert shop.members.ledger(member_id) == [
        ("adjustment", 1000),
        ("sale", 8),
        ("redemption", -200),
        ("sale", 9),
        ("redemption", -100),
    ]
    with shop.mall.db.read() as session:
        offline = session.scalars(select(HoldRow.points).where(HoldRow.origin == "offline"))
        assert sorted(offline) == [100, 200]


def test_a_signup_queued_offline_becomes_a_member_with_the_sales_points(shop: Shop) -> None:
    """An offline signup is queued; after sync the mall has the member with the points."""
    member = quick_signup(shop.db, offline_directory(), "13700000007")
    assert member.is_pending and member.member_id == "tel:13700000007"
    with shop.db.read() as session:
        assert session.scalar(select(OutboxEvent.kind).order_by(OutboxEvent.device_seq)) == (
            "member_signup"
        )
    sale = shop.sell(COLA, member_id=member.member_id)
    shop.sync()
    member_id = shop.members.by_phone("13700000007")
    assert member_id is not None and shop.members.ledger(member_id) == [
        ("sale", sale.points_earned)
    ]
    with shop.mall.db.read() as session:
        assert session.scalar(select(SaleRow.member_id).where(SaleRow.sale_no == sale.sale_no)) == (
            member_id
        )


def test_the_tills_points_follow_the_malls_rules_after_a_refresh(shop: Shop) -> None:
    """The chain doubles points per yuan at the mall; after a refresh the till awards 2×."""
    with shop.mall.db.write() as session:
        set_points_rules(session, PointsRules(points_per_yuan=2))
    assert refresh_rules(shop.db, shop.directory).points_per_yuan == 2
    member_id = shop.members.add("13800000008")
    assert shop.sell(COLA, COLA, NOODLES, member_id=member_id).points_earned == 20
