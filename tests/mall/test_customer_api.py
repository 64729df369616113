"""The customer API (/customer/v1) against the mall served on 127.0.0.1: log-in, stores, the
shelf, cart, pickup orders (reserved at once), online payment never charged twice, cancel with
refund, member center; checked in what the customer is answered and in the mall's rows."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import requests
from sqlalchemy import func, select

from mall.catalog import set_safety_stock
from mall.customer.models import CartItemRow, CustomerOrderRow, CustomerRow, CustomerSessionRow
from mall.customer.orders import expire_unpaid_orders
from mall.customer.top_ups import credit_paid_top_ups
from mall.db import MallDatabase
from mall.housekeeping import prune
from mall.local import LocalMall
from mall.members.keys import (
    ensure_receipt_key,
    member_code_public_key,
    set_top_up_tiers,
    store_receipt_keys,
)
from mall.members.ledger import member_by_digits
from mall.members.models import MemberRow, ReceiptClaimRow, StoredValueEntryRow
from mall.migrate import upgrade
from mall.models import OrderRow, ReservationRow
from mall.payment_models import PaymentRefundRow, PaymentRow, SandboxLedgerRow
from mall.payments.sandbox import sandbox_books_fen
from pos_app.domain.receipt_token import receipt_url, sign_receipt_token
from pos_app.domain.top_up import TopUpTier
from sync.member_code import verify_member_code
from sync.protocol import pickup_code_sha256
from tests.mall.customer_support import Shopper, seed_shop, stock_of

HERE = {"lat": 31.2300, "lng": 121.4730}  # a few hundred metres from 人民路店


@dataclass
class Shop:
    base_url: str
    db: MallDatabase

    def shopper(self, user: str = "alice") -> Shopper:
        return Shopper(self.base_url, user)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The served mall: 人民路店 has 10 colas, 3 noodles, no crisps; 解放路店 has 2 colas."""
    url = f"sqlite:///{tmp_path_factory.mktemp('shop') / 'mall.db'}"
    upgrade(url)
    db = MallDatabase(url)
    seed_shop(db, {("S001", "1001"): 10, ("S001", "1003"): 3, ("S002", "1001"): 2})
    server = LocalMall.for_database(url).start()
    yield Shop(server.base_url, db)
    server.stop()
    db.dispose()


def test_a_wechat_user_is_one_customer_and_an_unknown_token_is_told_to_log_in(shop: Shop):
    """Two log-ins of the same WeChat user are one customer; a made-up token gets 401 with a
    Chinese sentence and the code the mini-program logs in again on."""
    first, second = shop.shopper("bob").log_in(), shop.shopper("bob").log_in()
    assert first["customer_id"] == second["customer_id"] and first["token"] != second["token"]
    assert first["is_member"] is False
    with shop.db.read() as session:
        assert session.scalar(select(func.count()).select_from(CustomerRow)) >= 1
        assert (
            session.scalar(select(func.count()).where(CustomerRow.id == first["customer_id"])) == 1
        )
    refused = requests.get(
        f"{shop.base_url}/customer/v1/cart",
        params={"store_id": "S001"},
        headers={"Authorization": "Bearer " + "x" * 43},
        timeout=10,
    )
    assert refused.status_code == 401
    assert refused.json() == {"code": "login_needed", "message": "登录已过期，请重新登录"}
    bad_code = requests.post(
        f"{shop.base_url}/customer/v1/auth/wechat", json={"code": "no dot"}, timeout=10
    )
    assert (bad_code.status_code, bad_code.json()["message"]) == (
        401,
        "微信登录失败，请重新进入小程序",
    )


def test_refused_wechat_codes_lock_out_their_address_and_good_ones_do_not_count(shop: Shop):
    """Each log-in costs a call to WeChat: 20 refused codes from one address lock it out for the
    window (429, in Chinese, even for a good code, no customer made), while any number of good
    log-ins never count and another address is not affected."""
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.7")) as phone:

        def log_in(code: str) -> httpx.Response:
            url = f"{shop.base_url}/customer/v1/auth/wechat"
            return phone.post(url, json={"code": code}, timeout=10)

        assert all(log_in(f"dora.{n}").status_code == 200 for n in range(25))
        assert [log_in("no dot").status_code for _ in range(20)] == [401] * 20
        with shop.db.read() as session:
            customers = session.scalar(select(func.count()).select_from(CustomerRow))
        locked = log_in("erin.1")
        assert (locked.status_code, locked.json()["message"]) == (
            429,
            "微信授权失败次数过多，请 15 分钟后再试",
        )
        with shop.db.read() as session:
            assert session.scalar(select(func.count()).select_from(CustomerRow)) == customers
    assert shop.shopper("erin").log_in()["is_member"] is False  # from 127.0.0.1


def test_only_the_three_newest_log_ins_of_a_customer_stay_valid(shop: Shop):
    """A fourth log-in of the same WeChat user ends the oldest session (as the H5 pages do), so
    a lost phone's token does not live on beside the new ones."""
    tokens = [shop.shopper("carol").log_in()["token"] for _ in range(4)]

    def cart_status(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        url = f"{shop.base_url}/customer/v1/cart"
        return requests.get(
            url, params={"store_id": "S001"}, headers=headers, timeout=10
        ).status_code

    assert [cart_status(token) for token in tokens] == [401, 200, 200, 200]


def test_stores_come_nearest_first_with_their_hours(shop: Shop):
    """With a position the nearer store comes first with its distance; /stores/nearest names it."""
    stores = requests.get(f"{shop.base_url}/customer/v1/stores", params=HERE, timeout=10).json()
    assert [s["id"] for s in stores] == ["S001", "S002"]
    assert 0.05 < stores[0]["distance_km"] < 1 < stores[1]["distance_km"]
    assert stores[0]["hours"] == "00:00-24:00" and stores[0]["open_now"] is True
    nearest = requests.get(
        f"{shop.base_url}/customer/v1/stores/nearest",
        params={"lat": 31.26, "lng": 121.52},
        timeout=10,
    ).json()
    assert nearest["id"] == "S002"
    unplaced = requests.get(f"{shop.base_url}/customer/v1/stores", timeout=10).json()
    assert [s["distance_km"] for s in unplaced] == [None, None]
    missing = requests.get(f"{shop.base_url}/customer/v1/stores/S999", timeout=10)
    assert (missing.status_code, missing.json()["message"]) == (404, "没有找到这家门店")


def test_the_shelf_finds_by_name_pinyin_and_barcode_with_this_stores_availability(shop: Shop):
    """kkkl and kekou find 可口可乐, its barcode too; availability = on hand − reserved − safety."""
    base = f"{shop.base_url}/customer/v1/stores/S001"
    for q in ("可乐", "kkkl", "KeKou", "6901234567892"):
        page = requests.get(f"{base}/products", params={"q": q}, timeout=10).json()
        assert [p["sku"] for p in page["items"]] == ["1001"], q
    categories = requests.get(f"{base}/categories", timeout=10).json()
    assert categories == [
        {"name": "方便面", "count": 1},
        {"name": "零食", "count": 1},
        {"name": "饮料", "count": 2},
    ]
    drinks = requests.get(f"{base}/products", params={"category": "饮料"}, timeout=10).json()
    assert [(p["sku"], p["available"]) for p in drinks["items"]] == [("1001", 10), ("1002", 0)]
    with shop.db.write() as session:
        set_safety_stock(session, "S001", "1003", 1)
    detail = requests.get(f"{base}/products/1003", timeout=10).json()
    assert (detail["available"], detail["price_fen"], detail["store"]["id"]) == (2, 450, "S001")
    with shop.db.write() as session:
        set_safety_stock(session, "S001", "1003", 0)
    gone = requests.get(f"{base}/products/9999", timeout=10)
    assert (gone.status_code, gone.json()["message"]) == (404, "商品不存在或已下架")
    bad = requests.get(f"{base}/products", params={"limit": 500}, timeout=10)
    assert (bad.status_code, bad.json()["message"]) == (422, "请求内容有误，请刷新后重试")


def test_the_cart_refuses_what_the_store_cannot_supply_and_says_why(shop: Shop):
    """Crisps are out of stock here; 4 noodles of 3 are refused; a line set above what is left
    is shown with the reason and the cart cannot be ordered."""
    carol = shop.shopper("carol")
    out = carol.call("POST", "/cart/items", json={"store_id": "S001", "sku": "1004", "qty": 1})
    assert (out.status_code, out.json()["message"]) == (409, "乐事薯片 原味 本店暂时缺货")
    too_many = carol.call("POST", "/cart/items", json={"store_id": "S001", "sku": "1003", "qty": 4})
    assert too_many.json()["message"] == "康师傅红烧牛肉面 本店仅剩 3 件"
    cart = carol.ok("POST", "/cart/items", json={"store_id": "S001", "sku": "1001", "qty": 2})
    assert (cart["count"], cart["total_fen"], cart["can_order"]) == (2, 700, True)
    cart = carol.ok("PUT", "/cart/items", json={"store_id": "S001", "sku": "1001", "qty": 11})
    assert cart["lines"][0]["problem"] == "本店仅剩 10 件" and cart["can_order"] is False
    cart = carol.ok("PUT", "/cart/items", json={"store_id": "S001", "sku": "1001", "qty": 0})
    assert cart["lines"] == [] and cart["can_order"] is False


def test_an_order_reserves_its_goods_at_once_and_empties_the_cart(shop: Shop):
    """Two colas and a noodle for pickup: reserved at 人民路店 before payment, the order waits
    for payment without a pickup code, the cart is empty; a slot not offered is refused."""
    dave = shop.shopper("dave")
    dave.ok("POST", "/cart/items", json={"store_id": "S001", "sku": "1001", "qty": 2})
    wrong = dave.call(
        "POST", "/orders", json={"store_id": "S001", "pickup_start": "2020-01-01T10:00:00+08:00"}
    )
    assert (wrong.status_code, wrong.json()["message"]) == (409, "这个取货时间已不可选，请重新选择")
    before = stock_of(shop.db, "S001", "1001")
    order = dave.buy("S001", {"1003": 1})
    assert (order["status"], order["status_text"], order["total_fen"]) == (
        "pending_payment",
        "待付款",
        1150,
    )
    assert order["pickup_code"] is None and order["can_pay"] and order["can_cancel"]
    assert order["pickup_label"].endswith(
        order["pickup_start"][11:16] + "-" + order["pickup_end"][11:16]
    )
    assert stock_of(shop.db, "S001", "1001") == (before[0], before[1] + 2, before[2] - 2)
    with shop.db.read() as session:
        reserved = session.execute(
            select(ReservationRow.sku, ReservationRow.qty, ReservationRow.status).where(
                ReservationRow.order_id == order["id"]
            )
        ).all()
        assert sorted(map(tuple, reserved)) == [("1001", 2, "active"), ("1003", 1, "active")]
        placed = session.get(CustomerOrderRow, order["id"])
        stored = session.get(OrderRow, order["id"])
        assert placed is not None and stored is not None
        assert stored.pickup_code_sha256 == pickup_code_sha256(order["id"], placed.pickup_code)
        assert (
            session.scalar(
                select(func.count())
                .select_from(CartItemRow)
                .where(CartItemRow.customer_id == placed.customer_id)
            )
            == 0
        )
    empty = dave.call(
        "POST", "/orders", json={"store_id": "S001", "pickup_start": order["pickup_start"]}
    )
    assert (empty.status_code, empty.json()["message"]) == (409, "购物车是空的，先去选购商品吧")
    dave.ok("POST", f"/orders/{order['id']}/cancel")


def test_an_order_is_never_charged_twice(shop: Shop):
    """Six pay requests at once start one payment; confirming it twice charges once; paying
    the paid order again answers paid with nothing to pay."""
    erin = shop.shopper("erin")
    order = erin.buy("S001", {"1001": 1})
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: erin.ok("POST", f"/orders/{order['id']}/pay"), range(6)))
    assert len({a["payment_id"] for a in answers}) == 1
    assert all(a["sandbox"] for a in answers)
    payment_id = answers[0]["payment_id"]
    paid = [erin.ok("POST", f"/sandbox/payments/{payment_id}/confirm") for _ in range(2)]
    assert paid[-1]["status_text"] == "待取货" and paid[-1]["paid_fen"] == 350
    assert paid[-1]["pickup_code"] and not paid[-1]["can_pay"]
    again = erin.ok("POST", f"/orders/{order['id']}/pay")
    assert (again["status"], again["params"], again["payment_id"]) == ("paid", None, payment_id)
    with shop.db.read() as session:
        payments = session.scalars(
            select(PaymentRow).where(PaymentRow.sale_draft_id == order["id"])
        ).all()
        assert [(p.status, p.amount_fen, p.device_id) for p in payments] == [("paid", 350, None)]
        charges = session.scalars(
            select(SandboxLedgerRow.amount_fen).where(SandboxLedgerRow.out_trade_no == payment_id)
        ).all()
        assert charges == [350]
        assert session.get(OrderRow, order["id"]).status == "paid"  # type: ignore[union-attr]
    erin.ok("POST", f"/orders/{order['id']}/cancel")


def test_cancelling_a_paid_order_refunds_it_and_releases_the_goods(shop: Shop):
    """Paid ¥4.50, cancelled: refunded in full at the sandbox, reservation released, 已取消;
    cancelling again refunds nothing more."""
    frank = shop.shopper("frank")
    before = stock_of(shop.db, "S001", "1003")
    order = frank.buy("S001", {"1003": 1})
    frank.pay_in_sandbox(order["id"])
    cancelled = frank.ok("POST", f"/orders/{order['id']}/cancel")
    again = frank.ok("POST", f"/orders/{order['id']}/cancel")
    assert (cancelled["status_text"], cancelled["refunded_fen"], cancelled["pickup_code"]) == (
        "已取消",
        450,
        None,
    )
    assert again == cancelled
    assert stock_of(shop.db, "S001", "1003") == before
    with shop.db.read() as session:
        payment = session.scalar(select(PaymentRow).where(PaymentRow.sale_draft_id == order["id"]))
        assert payment is not None and payment.refunded_fen == 450
        refunds = session.scalars(
            select(PaymentRefundRow.amount_fen).where(PaymentRefundRow.payment_id == payment.id)
        ).all()
        assert refunds == [450]
        books = session.scalar(
            select(func.sum(SandboxLedgerRow.amount_fen)).where(
                SandboxLedgerRow.out_trade_no == payment.id
            )
        )
        assert books == 0
    listed = frank.ok("GET", "/orders", params={"status": "done"})
    assert [o["id"] for o in listed] == [order["id"]]


def test_cancelling_while_payment_waits_closes_the_trade(shop: Shop):
    """An unpaid order cancelled while its payment waits: the trade is closed, so a late
    confirmation on the phone cannot charge; nothing is held at the sandbox."""
    gina = shop.shopper("gina")
    order = gina.buy("S001", {"1001": 1})
    started = gina.ok("POST", f"/orders/{order['id']}/pay")
    gina.ok("POST", f"/orders/{order['id']}/cancel")
    late = gina.ok("POST", f"/sandbox/payments/{started['payment_id']}/confirm")
    assert (late["status"], late["paid_fen"]) == ("cancelled", 0)
    with shop.db.read() as session:
        assert sandbox_books_fen(session) >= 0
        assert (
            session.scalar(
                select(func.coalesce(func.sum(SandboxLedgerRow.amount_fen), 0)).where(
                    SandboxLedgerRow.out_trade_no == started["payment_id"]
                )
            )
            == 0
        )


def test_the_member_center_binds_a_phone_shows_a_code_the_till_verifies_and_claims(shop: Shop):
    """Not a member yet (not_member); the WeChat phone binds 13800000001; the QR code verifies
    with the mall's public key and the digits find the member; a receipt claim is pending until
    its sale syncs; a forged link is refused in words."""
    hana = shop.shopper("hana")
    first = hana.call("GET", "/member")
    assert (first.status_code, first.json()["code"]) == (404, "not_member")
    member = hana.ok("POST", "/member/bind", json={"wx_phone_code": "phone-13800000001"})
    assert (member["phone_tail"], member["points"], member["stored_value_fen"]) == ("0001", 0, 0)
    assert member["top_up_offer"] == ""  # the chain gives no top-up bonus yet
    with shop.db.write() as session:
        set_top_up_tiers(session, [TopUpTier(20000, 2000), TopUpTier(10000, 0)])
    assert hana.ok("GET", "/member")["top_up_offer"] == "到店充值享：充200送20"
    code = hana.ok("GET", "/member/code")
    now = datetime.now(UTC)
    with shop.db.write() as session:
        token = verify_member_code(code["code"], member_code_public_key(session), now=now)
        assert token.member_id == member["member_id"]
        found = member_by_digits(session, code["digits"], now=now, step_s=60, ttl_s=300)
        assert found is not None and found.id == member["member_id"]
        assert session.get(MemberRow, member["member_id"]).phone == "13800000001"  # type: ignore[union-attr]
        ensure_receipt_key(session, "S001")
        kid, key = max(store_receipt_keys(session, "S001").items())
    link = receipt_url(
        "https://mall.example.cn",
        sign_receipt_token(
            store_id="S001",
            till_id="T01",
            till_seq=41,
            amount_fen=350,
            issued_at=now,
            kid=kid,
            key=key,
        ),
    )
    claimed = hana.ok("POST", "/member/receipts/claim", json={"link": link})
    assert claimed["state"] == "claimed" and claimed["store_name"] == "门店通便利店（人民路店）"
    twice = hana.call("POST", "/member/receipts/claim", json={"link": link})
    assert twice.status_code == 409
    forged = hana.call("POST", "/member/receipts/claim", json={"link": link[:-3] + "AAA"})
    assert forged.json()["message"] == "小票二维码校验失败：它不是本店开出的，或已被改动"
    receipts = hana.ok("GET", "/member/receipts")
    assert [(r["till_seq"], r["status"]) for r in receipts] == [(41, "pending")]
    with shop.db.read() as session:
        assert (
            session.scalar(select(ReceiptClaimRow.member_id).where(ReceiptClaimRow.till_seq == 41))
            == member["member_id"]
        )
    assert hana.ok("GET", "/member/points") == []


def test_a_top_up_paid_online_credits_the_amount_and_bonus_once_an_unpaid_one_nothing(
    shop: Shop,
):
    """充200送20 in the mini-program: the top-up waits for its WeChat payment (sandbox); paid
    (confirmed twice, the background job run too) it credits +200.00 and +20.00 once; a top-up
    never paid credits nothing however often it is read or the job runs."""
    with shop.db.write() as session:
        set_top_up_tiers(session, [TopUpTier(20000, 2000), TopUpTier(10000, 0)])
    ivy = shop.shopper("ivy")
    member = ivy.ok("POST", "/member/bind", json={"wx_phone_code": "phone-13800000022"})
    assert [t["label"] for t in member["top_up_tiers"]] == ["充100", "充200送20"]

    def entries(ref: str) -> list[tuple[str, int]]:
        with shop.db.read() as session:
            rows = session.execute(
                select(StoredValueEntryRow.source, StoredValueEntryRow.delta_fen)
                .where(StoredValueEntryRow.ref == ref)
                .order_by(StoredValueEntryRow.id)
            )
            return [(source, delta) for source, delta in rows]

    unpaid = ivy.ok("POST", "/member/top-ups", json={"amount_fen": 20000, "store_id": "S001"})
    assert (unpaid["status"], unpaid["sandbox"]) == ("pending", True)
    started = ivy.ok("POST", "/member/top-ups", json={"amount_fen": 20000, "store_id": "S001"})
    top_up_id = started["top_up"]["id"]
    assert started["top_up"]["status_text"] == "待支付" and entries(top_up_id) == []
    confirm = f"/sandbox/top-up-payments/{started['payment_id']}/confirm"
    paid = [ivy.ok("POST", confirm) for _ in range(2)]
    assert (paid[-1]["status_text"], paid[-1]["bonus_fen"]) == ("已到账", 2000)
    assert credit_paid_top_ups(shop.db, datetime.now(UTC)) == 0
    assert ivy.ok("GET", f"/member/top-ups/{top_up_id}")["status"] == "credited"
    assert entries(top_up_id) == [("top_up", 20000), ("top_up_bonus", 2000)]
    assert ivy.ok("GET", "/member")["stored_value_available_fen"] == 22000

    waiting = unpaid["top_up"]["id"]
    assert ivy.ok("GET", f"/member/top-ups/{waiting}")["status"] == "pending_payment"
    assert credit_paid_top_ups(shop.db, datetime.now(UTC)) == 0
    assert entries(waiting) == []
    with shop.db.read() as session:
        assert session.get(PaymentRow, unpaid["payment_id"]).status == "pending"  # type: ignore[union-attr]
    other = shop.shopper("jack")
    other.ok("POST", "/member/bind", json={"wx_phone_code": "phone-13800000023"})
    assert other.call("GET", f"/member/top-ups/{top_up_id}").status_code == 404


def test_the_openapi_document_holds_the_customer_api(shop: Shop):
    """Every call of miniprogram/src/api.ts is in the document under /customer/v1."""
    paths = requests.get(f"{shop.base_url}/openapi.json", timeout=10).json()["paths"]
    wanted = {
        "/customer/v1/auth/wechat": "post",
        "/customer/v1/stores": "get",
        "/customer/v1/stores/nearest": "get",
        "/customer/v1/stores/{store_id}": "get",
        "/customer/v1/stores/{store_id}/pickup-slots": "get",
        "/customer/v1/stores/{store_id}/categories": "get",
        "/customer/v1/stores/{store_id}/products": "get",
        "/customer/v1/stores/{store_id}/products/{sku}": "get",
        "/customer/v1/cart": "get",
        "/customer/v1/cart/items": "put",
        "/customer/v1/orders": "post",
        "/customer/v1/orders/{order_id}": "get",
        "/customer/v1/orders/{order_id}/pay": "post",
        "/customer/v1/orders/{order_id}/cancel": "post",
        "/customer/v1/sandbox/payments/{payment_id}/confirm": "post",
        "/customer/v1/member": "get",
        "/customer/v1/member/bind": "post",
        "/customer/v1/member/code": "get",
        "/customer/v1/member/points": "get",
        "/customer/v1/member/receipts/claim": "post",
        "/customer/v1/member/top-ups": "post",
        "/customer/v1/member/top-ups/{top_up_id}": "get",
        "/customer/v1/sandbox/top-up-payments/{payment_id}/confirm": "post",
        "/customer/v1/coupons": "get",
        "/customer/v1/coupons/campaigns": "get",
        "/customer/v1/coupons/claim": "post",
    }
    for path, method in wanted.items():
        assert method in paths.get(path, {}), path


def test_an_order_left_unpaid_lets_its_goods_go_after_the_payment_time(shop: Shop):
    """Placed and never paid: 16 minutes on, the background job cancels it and the noodle is
    free again; a paid order of the same time is left alone."""
    ivan = shop.shopper("ivan")
    before = stock_of(shop.db, "S001", "1003")
    unpaid = ivan.buy("S001", {"1003": 1})
    paid = ivan.buy("S001", {"1001": 1})
    ivan.pay_in_sandbox(paid["id"])
    later = datetime.now(UTC) + timedelta(minutes=16)
    assert expire_unpaid_orders(shop.db, later) == 1
    assert stock_of(shop.db, "S001", "1003") == before
    shown = {o["id"]: o["status_text"] for o in ivan.ok("GET", "/orders")}
    assert (shown[unpaid["id"]], shown[paid["id"]]) == ("已取消", "待取货")
    ivan.ok("POST", f"/orders/{paid['id']}/cancel")


def test_a_log_in_ends_after_a_week_and_its_row_is_pruned(shop: Shop):
    """Eight days on, pruning forgets the session: the token is refused, the row is gone."""
    judy = shop.shopper("judy")
    judy.log_in()
    assert judy.call("GET", "/orders").status_code == 200
    prune(shop.db, datetime.now(UTC) + timedelta(days=8))
    assert judy.call("GET", "/orders").status_code == 401
    with shop.db.read() as session:
        assert session.scalar(select(func.count()).select_from(CustomerSessionRow)) == 0
