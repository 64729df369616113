"""One- and two-character searches (migration 0016's characters index): every name holding the
characters, neighbours across the name's spaces, initials of one or two letters, punctuation
as typed, and nothing stale after a product is renamed, stopped or deleted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update

from pos_app.services.pinyin import pinyin_keys
from pos_app.services.search import search_page
from pos_app.store.db import Database
from pos_app.store.models import Product
from tests.services.catalog_helpers import add_product, empty_till_db

CATALOG = [  # sku, name; initials wljlc, lgmlj, jxht, kkkl, abtz
    ("1", "王老吉 凉茶"),
    ("2", "老干妈 辣酱"),
    ("3", "吉祥 馄饨"),
    ("4", "可口 可乐"),
    ("5", "A(B) 套装"),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = empty_till_db(tmp_path)
    for sku, name in CATALOG:
        add_product(database, sku, name)
    yield database
    database.dispose()


def found(db: Database, query: str) -> tuple[list[str], int | None]:
    """The SKUs found, in SKU order, and the count the search gives with them."""
    with db.read() as session:
        page = search_page(session, query)
    return sorted(hit.sku for hit in page.hits), page.total


@pytest.mark.parametrize(
    ("query", "skus"),
    [
        ("老", ["1", "2"]),
        ("吉", ["1", "3"]),
        ("茶", ["1"]),
        ("老吉", ["1"]),  # a pair is two neighbours, not two characters anywhere
        ("吉老", []),
        ("干妈", ["2"]),
        ("妈辣", ["2"]),  # neighbours across the name's space
        ("口可", ["4"]),
        ("老 吉", ["1"]),  # two words, each anywhere
        ("w", ["1"]),  # initials
        ("l", ["1", "2", "4"]),  # 老 凉, 老 辣, 乐
        ("wl", ["1"]),
        ("lj", ["1", "2"]),  # 老吉, 辣酱
        ("jl", ["1"]),  # across the space: 吉 凉
        ("kk", ["4"]),
        ("lk", []),
        ("(", ["5"]),  # punctuation, a character like any other
        ("a(", ["5"]),
        ("(b", ["5"]),
        ("b)", ["5"]),
        (")套", ["5"]),
        ("a)", []),
        ('"', []),
    ],
)
def test_one_and_two_characters_find_exactly_the_names_and_initials_holding_them(
    db: Database, query: str, skus: list[str]
) -> None:
    """Every product holding the characters as neighbours, in its name (spaces left out) or
    its initials, and no other; the count says as many."""
    assert found(db, query) == (skus, len(skus))


def test_a_renamed_stopped_or_deleted_product_leaves_no_stale_hit(db: Database) -> None:
    """Renamed, the old characters no longer find the product and the new ones do; stopped or
    deleted, nothing finds it; both indexes still agree with the products."""
    name = "绿豆 冰棒"
    full, initials = pinyin_keys(name)
    with db.write() as session:
        session.execute(
            update(Product)
            .where(Product.sku == "1")
            .values(name=name, pinyin_full=full, pinyin_initials=initials)
        )
    assert found(db, "王") == ([], 0)
    assert found(db, "wl") == ([], 0)
    assert found(db, "老") == (["2"], 1)
    assert found(db, "豆冰") == (["1"], 1)
    assert found(db, "db") == (["1"], 1)
    with db.write() as session:
        session.execute(update(Product).where(Product.sku == "1").values(status="inactive"))
        session.execute(delete(Product).where(Product.sku == "3"))
    for query in ("豆冰", "db", "冰", "吉", "馄饨", "jx"):
        assert found(db, query) == ([], 0), query
    with db.write() as session:
        for index in ("products_fts", "products_chars"):
            session.execute(
                text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
            )
