"""The H5 twin of the mini-program in a real browser (headless Chromium at 375×812): the nearest
store, search by pinyin, a category, 加入购物车 and 到店自提 into the cart, checkout in a pickup
slot, the sandbox payment sheet, the order with a pickup QR that scans to its code, the order
list, and a second order cancelled and refunded. Checked on screen and in the mall's rows;
screenshots go to out/h5-shop/ for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from mall.db import MallDatabase
from mall.local import LocalMall
from mall.members.settings import MemberSettings
from mall.migrate import upgrade
from mall.models import OrderRow, ReservationRow
from mall.payments.sandbox import sandbox_books_fen
from tests.mall.browser_support import chromium, log_in, phone_page, qr_text, screenshot
from tests.mall.conftest import ServedMall
from tests.mall.customer_support import seed_shop, stock_of
from tests.sync.member_helpers import CodeBox

PHONE_SIZE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServedMall, CodeBox]]:
    """人民路店 with 5 colas and 3 noodles, 解放路店 farther away; SMS codes kept for the test."""
    sms = CodeBox()
    url = f"sqlite:///{tmp_path_factory.mktemp('h5shop') / 'mall.db'}"
    upgrade(url)
    db = MallDatabase(url)
    seed_shop(db, {("S001", "1001"): 5, ("S001", "1003"): 3, ("S002", "1002"): 4})
    server = LocalMall.for_database(url, members=MemberSettings(sms_sender=sms)).start()  # type: ignore[arg-type]
    yield ServedMall(server, db), sms
    server.stop()
    db.dispose()


@pytest.fixture
def phone(site) -> Iterator[object]:
    """A phone-sized page standing a few hundred metres from 人民路店."""
    mall, _ = site
    with (
        chromium() as browser,
        phone_page(
            browser, mall.base_url, PHONE_SIZE, latitude=31.2300, longitude=121.4730
        ) as page,
    ):
        yield page


def shot(page, name: str) -> None:
    screenshot(page, "h5-shop", name)


def test_a_customer_shops_pays_and_cancels_in_the_h5_mall(phone, site) -> None:
    """Nearest store → search → cart → checkout → sandbox pay → pickup QR; then a cancel."""
    mall, sms = site
    phone.goto(f"{mall.base_url}/login?next=/stores")
    log_in(phone, sms, "13900003333")
    phone.wait_for_url("**/stores")
    phone.click("#locate")
    phone.wait_for_url("**/stores?lat=*")
    assert phone.inner_text("#nav").split() == ["首页", "门店", "购物车", "订单", "会员"]
    first = phone.locator(".item").first.inner_text()
    assert "人民路店" in first and "km" in first
    shot(phone, "1-stores-nearest-first")
    phone.click("#store-S001 a")
    assert "门店通便利店（人民路店）" in phone.inner_text("#store")
    assert "可口可乐 330ml" in phone.inner_text("#item-1001")
    assert "本店可售 5" in phone.inner_text("#item-1001")
    assert "暂时缺货" in phone.inner_text("#item-1004") and not phone.is_enabled("#add-1004")
    shot(phone, "2-home")

    phone.fill("#search input", "kkkl")
    phone.press("#search input", "Enter")
    phone.wait_for_url("**/products?q=kkkl")
    assert phone.locator(".item").count() == 1 and "可口可乐" in phone.inner_text("#shelf")
    shot(phone, "3-search-pinyin")
    phone.goto(f"{mall.base_url}/")
    phone.click("#categories a:has-text('方便面')")
    assert "康师傅红烧牛肉面" in phone.inner_text("#shelf")
    shot(phone, "4-category")

    phone.goto(f"{mall.base_url}/")
    phone.click("#add-1001")
    phone.wait_for_url("**/cart")
    phone.goto(f"{mall.base_url}/p/1003?s=S001")
    assert "有货 3" in phone.inner_text("#availability")
    shot(phone, "5-product")
    phone.click("#pickup")
    phone.wait_for_url("**/cart")
    assert phone.inner_text("#total") == "¥8.00"
    assert "康师傅红烧牛肉面" in phone.inner_text("#cart")
    shot(phone, "6-cart")
    phone.click("#submit")
    phone.wait_for_url("**/o/*")
    assert "待付款" in phone.inner_text("#status")
    order_id = phone.url.split("/o/")[1].split("?")[0]
    assert stock_of(mall.db, "S001", "1001") == (5, 1, 4)
    shot(phone, "7-order-unpaid")
    phone.click("#pay")
    assert "支付 ¥8.00（测试环境，不会真实扣款）" in phone.inner_text("#sheet")
    shot(phone, "8-sandbox-sheet")
    phone.click("#confirm")
    assert phone.inner_text("#status") == "支付成功，请按时到店取货"
    code = phone.inner_text("#code")
    assert qr_text(phone, "#pickup .qr") == code and len(code) == 8
    shot(phone, "9-order-paid-pickup-code")
    with mall.db.read() as session:
        order = session.get(OrderRow, order_id)
        assert order is not None and order.status == "paid"
        assert sandbox_books_fen(session, "S001") == 800

    phone.goto(f"{mall.base_url}/")
    phone.click("#add-1003")
    phone.wait_for_url("**/cart")
    phone.click("#submit")
    phone.wait_for_url("**/o/*")
    second = phone.url.split("/o/")[1].split("?")[0]
    phone.click("#pay")
    phone.click("#confirm")
    phone.click("#cancel")
    assert "已取消" in phone.inner_text("#status")
    assert phone.inner_text("#refunded") == "¥4.50"
    shot(phone, "10-order-cancelled-refunded")
    with mall.db.read() as session:
        statuses = session.scalars(
            select(ReservationRow.status).where(ReservationRow.order_id == second)
        ).all()
        assert statuses == ["released"]
        assert sandbox_books_fen(session, "S001") == 800
    phone.goto(f"{mall.base_url}/orders")
    rows = phone.inner_text("#orders")
    assert "可口可乐 330ml×1，康师傅红烧牛肉面×1" in rows and "待取货 ¥8.00" in rows
    assert "已取消 ¥4.50" in rows
    shot(phone, "11-orders")
    phone.goto(f"{mall.base_url}/m")
    assert "会员码" in phone.inner_text("#code")
    shot(phone, "12-member")
