"""Product search: Chinese substrings, pinyin, barcodes and codes; only active products."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain.gtin import make_ean13
from pos_app.domain.scale_layouts import DEFAULT_PRICE_LAYOUT, make_scale_barcode
from pos_app.services.search import ProductHit, search_products
from pos_app.store.db import Database
from tests.services.catalog_helpers import add_product, empty_till_db

CATALOG = [  # sku, name, barcode body, PLU
    ("1001", "可口可乐 330ml 听装", "690123456789", None),
    ("1002", "百事可乐 500ml 瓶装", "690987654321", None),
    ("1003", "农夫山泉 饮用天然水 550ml", "692000000001", None),
    ("1004", "长城 干红葡萄酒 750ml", "693000000002", None),
    ("1005", "八音乐盒 儿童玩具", "694000000003", None),
    ("2001", "散装 香蕉", None, "00042"),
    ("2002", "活 草鱼", None, "00043"),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = empty_till_db(tmp_path)
    for sku, name, body, plu in CATALOG:
        add_product(database, sku, name, barcode_body=body, plu_code=plu)
    add_product(
        database, "9001", "可口可乐 旧包装 停售", barcode_body="695000000004", status="inactive"
    )
    add_product(database, "9002", "可口可乐 已删除", barcode_body="695000000005", status="deleted")
    yield database
    database.dispose()


def search(db: Database, text: str, *, limit: int = 50) -> list[ProductHit]:
    with db.read() as session:
        return search_products(session, text, limit=limit)


def skus(hits: list[ProductHit]) -> list[str]:
    return [hit.sku for hit in hits]


def test_two_chinese_characters_find_every_name_containing_them(db: Database) -> None:
    """可乐 finds both colas, wherever in the name it stands."""
    assert skus(search(db, "可乐")) == ["1001", "1002"]


def test_longer_chinese_substring_uses_the_trigram_index(db: Database) -> None:
    """A substring of three or more characters, from the middle of a name, is found."""
    assert skus(search(db, "饮用天然")) == ["1003"]


def test_every_word_of_the_query_must_be_in_the_name(db: Database) -> None:
    """可乐 听装 finds only the canned cola; a short second word filters the first."""
    assert skus(search(db, "可乐 听装")) == ["1001"]
    assert skus(search(db, "可口可乐 听")) == ["1001"]


def test_pinyin_initials_find_coca_cola(db: Database) -> None:
    """kkkl → 可口可乐, as a cashier types it."""
    hits = search(db, "kkkl")
    assert skus(hits) == ["1001"]
    assert hits[0].name == "可口可乐 330ml 听装"


def test_full_pinyin_finds_a_name_by_its_syllables(db: Database) -> None:
    """kele finds both colas through the full pinyin; KELE works the same."""
    assert skus(search(db, "kele")) == ["1001", "1002"]
    assert skus(search(db, "KELE")) == ["1001", "1002"]


def test_short_words_are_found_whatever_reading_the_name_gave_them(db: Database) -> None:
    """长城 (read chang here, not zhang) and 音乐 (yinyue, not yinle) are still found."""
    assert skus(search(db, "长城")) == ["1004"]
    assert skus(search(db, "音乐")) == ["1005"]
    assert skus(search(db, "乐")) == ["1001", "1002", "1005"]


def test_one_character_is_answered_by_the_index(db: Database) -> None:
    """鱼 finds the fish; 乐 finds every name with it, wherever it stands."""
    assert skus(search(db, "鱼")) == ["2002"]
    assert skus(search(db, "乐")) == ["1001", "1002", "1005"]


def test_barcode_finds_exactly_its_product_with_its_price_and_unit(db: Database) -> None:
    """A full EAN-13 finds the product it is printed on, with the data a result row shows."""
    hits = search(db, make_ean13("692000000001"))
    assert hits == [
        ProductHit(
            product_id=hits[0].product_id,
            sku="1003",
            name="农夫山泉 饮用天然水 550ml",
            price_fen=100,
            member_price_fen=None,
            unit="个",
            barcode=make_ean13("692000000001"),
            weighed=False,
        )
    ]


def test_scale_barcode_finds_the_weighed_item_by_its_plu(db: Database) -> None:
    """A price-embedded scale code leads to the item with that PLU."""
    code = make_scale_barcode(DEFAULT_PRICE_LAYOUT, "00042", price_fen=1234)
    hits = search(db, code)
    assert skus(hits) == ["2001"]
    assert hits[0].weighed and hits[0].barcode is None


def test_digits_that_are_no_barcode_match_codes_by_prefix(db: Database) -> None:
    """100 finds the products whose code starts with 100, in code order."""
    assert skus(search(db, "100")) == ["1001", "1002", "1003", "1004", "1005"]


def test_inactive_and_deleted_products_are_never_found(db: Database) -> None:
    """Neither by name, pinyin, barcode nor code does a stopped product come back."""
    for text in ("停售", "已删除", "kkkl", "kekoukele", make_ean13("695000000004"), "900"):
        assert not {"9001", "9002"} & set(skus(search(db, text))), text


def test_results_stop_at_the_limit(db: Database) -> None:
    """Asking for one result gives one, and nothing is searched for blank text."""
    assert len(search(db, "可乐", limit=1)) == 1
    assert search(db, "   ") == []


@pytest.mark.parametrize("text", ['"可乐', "AND OR NOT", "k*", "NEAR(a b)", "%", "_", "100%"])
def test_search_syntax_in_the_text_is_taken_literally(db: Database, text: str) -> None:
    """Quotes, operators and LIKE wildcards never raise and never match everything."""
    assert len(search(db, text)) < len(CATALOG)
