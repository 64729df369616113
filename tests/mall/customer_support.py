"""A shop for customer-side tests: 人民路店 (a few hundred metres from the test phone, open round
the clock) and 解放路店 (farther), two drinks, noodles and a snack, stock received by the ledger;
and reading a store's stock back as (on hand, reserved, available)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.stock import add_move, stock_level
from sync.protocol import ProductData

PRODUCTS = [
    ProductData(
        sku="1001",
        name="可口可乐 330ml",
        unit="瓶",
        category="饮料",
        price_fen=350,
        member_price_fen=300,
        barcodes=["6901234567892"],
    ),
    ProductData(sku="1002", name="农夫山泉 550ml", unit="瓶", category="饮料", price_fen=200),
    ProductData(sku="1003", name="康师傅红烧牛肉面", unit="袋", category="方便面", price_fen=450),
    ProductData(sku="1004", name="乐事薯片 原味", unit="袋", category="零食", price_fen=750),
]


def seed_shop(db: MallDatabase, stock: Mapping[tuple[str, str], int]) -> None:
    """The two stores and the products; stock[(store, sku)] received at each store."""
    with db.write() as session:
        add_store(
            session,
            "S001",
            "门店通便利店（人民路店）",
            address="人民路 88 号",
            lat=31.2304,
            lng=121.4737,
            hours="00:00-24:00",
        )
        add_store(
            session,
            "S002",
            "门店通便利店（解放路店）",
            address="解放路 12 号",
            lat=31.2600,
            lng=121.5200,
            hours="07:00-23:00",
        )
        upsert_products(session, PRODUCTS)
    with db.write() as session:
        for (store_id, sku), qty in stock.items():
            add_move(session, store_id, sku, qty, "receive", "seed")


def stock_of(db: MallDatabase, store_id: str, sku: str) -> tuple[int, int, int]:
    """(on hand, reserved, available) of sku at the store."""
    with db.read() as session:
        level = stock_level(session, store_id, sku)
    return level.on_hand, level.reserved, level.available


class Shopper:
    """A customer's phone talking to the served mall's customer API over HTTP, as the
    mini-program does: log-in through the sandbox code2session, then Bearer calls."""

    def __init__(self, base_url: str, user: str) -> None:
        self.base = f"{base_url}/customer/v1"
        self.user = user
        self.logins = 0
        self.token = ""

    def log_in(self) -> dict[str, Any]:
        self.logins += 1
        answer = requests.post(
            f"{self.base}/auth/wechat", json={"code": f"{self.user}.{self.logins}"}, timeout=10
        )
        answer.raise_for_status()
        self.token = answer.json()["token"]
        return answer.json()

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        if not self.token:
            self.log_in()
        headers = {"Authorization": f"Bearer {self.token}"}
        return requests.request(method, f"{self.base}{path}", headers=headers, timeout=30, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.call(method, path, **kwargs)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def buy(self, store_id: str, items: Mapping[str, int]) -> dict[str, Any]:
        """Fill the cart and place a pickup order in the first slot; answers the order."""
        for sku, qty in items.items():
            self.ok("POST", "/cart/items", json={"store_id": store_id, "sku": sku, "qty": qty})
        slot = self.ok("GET", f"/stores/{store_id}/pickup-slots")[0]
        return self.ok(
            "POST", "/orders", json={"store_id": store_id, "pickup_start": slot["start"]}
        )

    def pay_in_sandbox(self, order_id: str) -> dict[str, Any]:
        started = self.ok("POST", f"/orders/{order_id}/pay")
        return self.ok("POST", f"/sandbox/payments/{started['payment_id']}/confirm")
