"""Demo data for the mall: two stores and N generated products (1,000,000 is fine) with stock.

Names are combinations of real brands, goods and sizes, so search and receipts look real; pinyin
is computed once per distinct name. Products go in batches, each in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import islice

from mall.catalog import BATCH, add_store, upsert_products
from mall.db import MallDatabase
from mall.models import StoreRow
from mall.stock import add_moves
from sync.pinyin import pinyin_keys
from sync.protocol import ProductData

DEMO_STORES = (
    ("S001", "门店通便利店（人民路店）", "人民路 88 号", 31.2304, 121.4737),
    ("S002", "门店通便利店（解放路店）", "解放路 16 号", 31.2231, 121.4581),
)
BRANDS = (
    "康师傅",
    "统一",
    "农夫山泉",
    "蒙牛",
    "伊利",
    "娃哈哈",
    "旺旺",
    "达利园",
    "白象",
    "今麦郎",
    "可口可乐",
    "百事",
    "三只松鼠",
    "良品铺子",
    "光明",
    "海天",
    "金龙鱼",
    "心相印",
    "维达",
    "蓝月亮",
)
GOODS = (
    "红烧牛肉面",
    "矿泉水",
    "纯牛奶",
    "酸奶",
    "苏打饼干",
    "薯片",
    "绿茶",
    "冰红茶",
    "橙汁",
    "方便面",
    "瓜子",
    "牛肉干",
    "面包",
    "火腿肠",
    "酱油",
    "食用油",
    "抽纸",
    "洗衣液",
    "可乐",
    "雪碧",
)
SIZES = ("330ml", "500ml", "550ml", "1L", "1.5L", "100g", "250g", "500g", "5L", "12卷")
STOCKED = 1000  # the first products get stock at every demo store, for online orders


def _ean13(body12: str) -> str:
    odd_even = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - odd_even % 10) % 10)


@cache
def _keys(name: str) -> tuple[str, str]:
    return pinyin_keys(name)


def demo_products(count: int) -> Iterator[ProductData]:
    for number in range(count):
        brand = BRANDS[number % len(BRANDS)]
        goods = GOODS[(number // len(BRANDS)) % len(GOODS)]
        size = SIZES[(number // (len(BRANDS) * len(GOODS))) % len(SIZES)]
        name = f"{brand}{goods} {size}"
        full, initials = _keys(name)
        price_fen = 150 + (number * 7919) % 9850
        yield ProductData(
            sku=str(100000 + number),
            name=name,
            pinyin_full=full,
            pinyin_initials=initials,
            price_fen=price_fen,
            member_price_fen=price_fen - price_fen // 10 if number % 3 == 0 else None,
            category=goods,
            barcodes=[_ean13(f"69{number:010d}")],
        )


def seed_demo(db: MallDatabase, skus: int) -> None:
    with db.write() as session:
        for store_id, name, address, lat, lng in DEMO_STORES:
            if session.get(StoreRow, store_id) is None:
                add_store(
                    session, store_id, name, address=address, lat=lat, lng=lng, hours="07:00-23:00"
                )
    products = demo_products(skus)
    while True:
        with db.write() as session:
            if upsert_products(session, islice(products, BATCH)) == 0:
                break
    with db.write() as session:
        add_moves(
            session,
            [
                {"store_id": store_id, "sku": str(100000 + number), "delta": 50}
                | {"reason": "receive", "ref": "demo"}
                for store_id, *_ in DEMO_STORES
                for number in range(min(skus, STOCKED))
            ],
        )
