"""The H5 pages in a real browser (headless Chromium at 390×844, a phone's size): the receipt
claim from QR link to points, the member page with its refreshing member code and nearest
store, and the product page of a label QR. Screenshots go to out/h5/ for a person to look at;
every request of every page stays on the mall (no CDN)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.local import LocalMall
from mall.members.keys import member_code_public_key, set_top_up_tiers
from mall.members.settings import MemberSettings
from mall.migrate import upgrade
from mall.stock import add_move
from pos_app.domain.top_up import TopUpTier
from sync.member_code import verify_member_code
from sync.protocol import ProductData
from tests.mall.browser_support import chromium, log_in, phone_page, qr_text, screenshot, sync_api
from tests.mall.conftest import ServedMall
from tests.sync.member_helpers import CodeBox, push_sale, token_for

PHONE_SIZE = {"width": 390, "height": 844}


STORES = (
    ("S001", "门店通便利店（人民路店）", "人民路 88 号", 31.2304, 121.4737),
    ("S002", "门店通便利店（解放路店）", "解放路 16 号", 31.2231, 121.4581),
)
PRODUCTS = (
    ("1001", "可口可乐 330ml", 350, 300, "饮料", 24),
    ("1002", "农夫山泉 550ml", 200, None, "饮料", 40),
    ("1003", "康师傅红烧牛肉面", 450, 400, "方便面", 12),
    ("1004", "蒙牛纯牛奶 250ml", 300, None, "乳品", 0),
)


def _seed(db: MallDatabase) -> None:
    with db.write() as session:
        for store_id, name, address, lat, lng in STORES:
            add_store(
                session, store_id, name, address=address, lat=lat, lng=lng, hours="07:00-23:00"
            )
        upsert_products(
            session,
            [
                ProductData(
                    sku=sku, name=name, price_fen=price, member_price_fen=member, category=category
                )
                for sku, name, price, member, category, _ in PRODUCTS
            ],
        )
        for sku, *_, stock in PRODUCTS:
            if stock:
                add_move(session, "S001", sku, stock, "receive", "test")
        add_move(session, "S002", "1002", 5, "receive", "test")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServedMall, CodeBox]]:
    """A mall with two located stores, stocked products, codes refreshing every 2 s."""
    sms = CodeBox()
    url = f"sqlite:///{tmp_path_factory.mktemp('h5b') / 'mall.db'}"
    upgrade(url)
    db = MallDatabase(url)
    _seed(db)
    members = MemberSettings(sms_sender=sms, member_code_refresh_s=2)
    server = LocalMall.for_database(url, members=members).start()  # type: ignore[arg-type]
    yield ServedMall(server, db), sms
    server.stop()
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def phone(browser, site) -> Iterator[object]:
    """A fresh phone-sized page standing at 解放路 so the nearest store is S002."""
    mall, _ = site
    with phone_page(
        browser, mall.base_url, PHONE_SIZE, latitude=31.2235, longitude=121.4580
    ) as page:
        yield page


def shot(page, name: str) -> Path:
    return screenshot(page, "h5", name)


def test_a_receipt_link_leads_to_logging_in_and_claiming_its_points(phone, site) -> None:
    """Open the QR link, log in with the SMS code, press claim: the page says +3 points."""
    mall, sms = site
    token = token_for(mall.db, push_sale(mall.new_device()))
    phone.goto(f"{mall.base_url}/r/{token}")
    assert phone.inner_text("#status") == "这张小票可领取 3 积分"
    assert "可口可乐 330ml × 1" in phone.inner_text("#receipt")
    shot(phone, "claim-1-receipt-and-login")
    log_in(phone, sms, "13900001111")
    assert phone.inner_text("#claim") == "领取 3 积分"
    shot(phone, "claim-2-ready")
    phone.click("#claim")
    assert "领取成功：+3 积分，现有 3 积分" in phone.inner_text("#status")
    shot(phone, "claim-3-done")


def _qr_text(page) -> str:
    return qr_text(page, "#code .qr")


def test_the_member_page_shows_a_scannable_refreshing_code_and_the_nearest_store(
    phone, site
) -> None:
    """The on-screen QR verifies and refreshes; the phone's position picks the nearest store."""
    mall, sms = site
    with mall.db.write() as session:
        set_top_up_tiers(session, [TopUpTier(20000, 2000)])
    phone.goto(f"{mall.base_url}/m")
    log_in(phone, sms, "13900002222")
    assert phone.url.endswith("/m") and phone.inner_text("#points") == "0"
    assert phone.inner_text("#top-up-offer") == "到店充值享：充200送20"
    first_digits = phone.inner_text("#digits")
    assert len(first_digits) == 18 and first_digits.startswith("8")
    with mall.db.read() as session:
        public_key = member_code_public_key(session)
    token = verify_member_code(_qr_text(phone), public_key, now=datetime.now(UTC))
    assert token.member_id.startswith("M")
    shot(phone, "member-1-code")
    # The page's CSP forbids eval, so wait_for_function cannot run here: poll the text.
    sync_api.expect(phone.locator("#digits")).not_to_have_text(first_digits, timeout=8000)
    phone.click("#locate")
    phone.wait_for_url("**/m?lat=*")
    store = phone.inner_text("#store")
    assert "解放路店" in store and "km" in store and "农夫山泉" in store
    shot(phone, "member-2-nearest-store")


def test_the_product_page_shows_price_stock_and_pick_up_in_store(phone, site) -> None:
    """A label QR of 人民路店: price, member price, 有货 and 到店自提; 解放路店 has none."""
    mall, _ = site
    phone.goto(f"{mall.base_url}/p/1003?s=S001")
    assert phone.inner_text("#price").startswith("¥4.50")
    assert "会员价 ¥4.00" in phone.inner_text("#product")
    assert "有货 12" in phone.inner_text("#availability")
    assert phone.is_enabled("#pickup") and "缺货" in phone.inner_text("#others")
    shot(phone, "product-1-in-stock")
    phone.goto(f"{mall.base_url}/p/1004?s=S001")
    assert "暂时缺货" in phone.inner_text("#availability") and not phone.is_enabled("#pickup")
    shot(phone, "product-2-out-of-stock")


ATTACKER = "http://attacker.test"


@pytest.fixture
def victim(browser) -> Iterator[object]:
    """A phone that opens a page of another site (served by Playwright as attacker.test)."""
    context = browser.new_context(viewport=PHONE_SIZE, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def serve_attacker_page(page, html: str) -> None:
    page.context.route(
        f"{ATTACKER}/**",
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    page.goto(f"{ATTACKER}/")


def test_a_login_form_posted_from_another_site_logs_nobody_in(victim, site) -> None:
    """Login CSRF: another site auto-submits the attacker's phone and a valid code to /login;
    the mall refuses it (403, 请求被拒绝), no session cookie is set and the code stays usable."""
    mall, sms = site
    attacker_phone = "13912340000"
    asked = victim.request.post(f"{mall.base_url}/login/code", form={"phone": attacker_phone})
    assert asked.status == 200
    code = sms.codes[attacker_phone]
    form = (
        f"<form id='f' method='post' action='{mall.base_url}/login'>"
        f"<input name='phone' value='{attacker_phone}'><input name='code' value='{code}'>"
        "<input name='next' value='/m'></form><script>document.getElementById('f').submit()"
        "</script>"
    )
    with victim.expect_navigation(url=f"{mall.base_url}/login"):
        serve_attacker_page(victim, form)
    assert "请求被拒绝" in victim.content()
    assert not [c for c in victim.context.cookies() if c["name"] == "mdt_member"]
    victim.goto(f"{mall.base_url}/login?next=/m")
    victim.fill("#phone", attacker_phone)
    victim.fill("#phone", attacker_phone)
    log_in_with = victim.request.post(
        f"{mall.base_url}/login", form={"phone": attacker_phone, "code": code}, max_redirects=0
    )
    assert log_in_with.status == 303  # the code was not burnt by the refused post


def test_the_mall_cannot_be_framed_by_another_site(victim, site) -> None:
    """A claim or member page framed by another site is blocked by the browser
    (frame-ancestors 'none'), so no framed button can be clicked."""
    mall, _ = site
    serve_attacker_page(
        victim, f"<iframe id='x' src='{mall.base_url}/login' width=390 height=600></iframe>"
    )
    victim.wait_for_timeout(500)
    framed = [frame for frame in victim.frames if frame is not victim.main_frame]
    assert framed and all("获取验证码" not in frame.content() for frame in framed)
    assert not victim.frame_locator("#x").locator("#login button").is_visible()
    shot(victim, "framed-login-blocked")
