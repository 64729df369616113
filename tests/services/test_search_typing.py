"""Search finds what people type (issue 16): initials and pinyin anywhere, mixed with Hanzi,
full-width and traditional input, polyphones, partial barcodes, numbers in names, ranking with
the total count and more pages, and no query ever raising. On a real migrated SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.domain.gtin import make_ean13
from pos_app.services.pinyin import pinyin_keys
from pos_app.services.search import ProductHit, SearchPage, search_page, search_products
from pos_app.services.search_readings import InvalidReading, set_pinyin_reading
from pos_app.store.db import Database
from pos_app.store.models import Product
from tests.services.catalog_helpers import add_product, empty_till_db

CATALOG = {  # sku: name (barcode body = "690" + sku padded)
    "101": "重庆 小面 麻辣 100g",
    "102": "乐事 薯片 原味 70g",
    "103": "乐事 薯片 黄瓜味 70g",
    "104": "长城 干红葡萄酒 750ml",
    "105": "康师傅 绿茶 500ml",
    "106": "单县 羊肉汤 400g",
    "107": "便宜坊 烤鸭 礼盒",
    "108": "会稽山 黄酒 五年陈",
    "109": "云南 鸡枞菌 罐头",
    "110": "四川 仔姜 泡菜",
    "111": "涡阳 苔干 干货",
    "112": "长治 小米 2.5kg",
    "113": "洪洞 大槐树 醋",
    "114": "天长 芡实 500g",
    "115": "六安瓜片 绿茶 100g",
    "116": "东北 大米 5kg",
    "117": "可口可乐 330ml 听装",
}
GREEN_TEAS = 60  # 康师傅 绿茶 500ml ... variants that also match the exact name's words


def barcode_body(sku: str) -> str:
    return "690" + sku.zfill(9)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = empty_till_db(tmp_path_factory.mktemp("search"))
    for n in range(GREEN_TEAS):
        add_product(database, f"5{n:03d}", f"康师傅 绿茶 500ml 第{n}版")
    for sku, name in CATALOG.items():
        add_product(database, sku, name, barcode_body=barcode_body(sku))
    yield database
    database.dispose()


def page(db: Database, text: str, **kw: int | bool) -> SearchPage:
    with db.read() as session:
        return search_page(session, text, **kw)


def first(db: Database, text: str) -> str | None:
    with db.read() as session:
        hits = search_products(session, text, limit=5)
    return hits[0].sku if hits else None


def skus(hits: list[ProductHit]) -> set[str]:
    return {hit.sku for hit in hits}


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # polyphones: the reading people use, not (only) the dictionary's
        ("shanxian", "106"),  # 单县: shan (indexed dan)
        ("bianyifang", "107"),  # 便宜坊: bian (indexed pian)
        ("kuaijishan", "108"),  # 会稽山: kuai (indexed hui)
        ("jizong", "109"),  # 鸡枞: zong (indexed cong)
        ("zijiang", "110"),  # 仔姜: zi (indexed zai)
        ("guoyang", "111"),  # 涡阳: guo (indexed wo)
        ("changzhi", "112"),  # 长治: chang (indexed zhang)
        ("hongtong", "113"),  # 洪洞: tong (indexed dong)
        ("tianchang", "114"),  # 天长: chang (indexed zhang)
        ("liuan", "115"),  # 六安: liu (indexed lu)
        ("liuanguapian", "115"),
        ("shanxianyangroutang", "106"),
        ("dxyrt", "106"),  # the dictionary's own reading still works
        # mixed Hanzi and pinyin, initials anywhere
        ("cq小面", "101"),
        ("重庆xiaomian", "101"),
        ("xm", "101"),
        ("cqxm", "101"),
        ("ｃｑｘｍ", "101"),  # full-width letters
        ("長城干紅", "104"),  # traditional characters
        ("长城ghptj", "104"),
        ("dx羊肉汤", "106"),
        ("le shi shu pian yuan", "102"),  # spaced pinyin, short syllables
        ("黄瓜味", "103"),
        ("重庆小面", "101"),  # Hanzi across the name's space
        ("六安gp", "115"),
    ],
)
def test_hand_picked_queries_find_the_product_at_rank_one(
    db: Database, text: str, sku: str
) -> None:
    """Each query a cashier would type finds the product it means first."""
    assert first(db, text) == sku


@pytest.mark.parametrize("text", ["lucha", "lvcha", "lücha"])
def test_u_umlaut_typed_as_u_or_v_finds_green_tea(db: Database, text: str) -> None:
    """绿 is lü: lucha and lvcha (and lücha) find both 绿茶 names of the catalog."""
    assert {"105", "115"} <= skus(page(db, text, limit=100).hits)


def test_a_upc_e_code_typed_in_search_finds_its_upc_a_product(db: Database) -> None:
    """Search reads codes like the scanner does: UPC-E 01234558 is UPC-A 012345000058."""
    add_product(db, "118", "Hershey's 巧克力", barcode_body="001234500005")
    assert first(db, "01234558") == "118"


def test_initials_match_anywhere_in_the_name(db: Database) -> None:
    """xm (小面, 小米) is found in the middle of names, not only at the start."""
    assert {"101", "112"} <= skus(page(db, "xm").hits)


def test_ml_finds_every_name_with_ml(db: Database) -> None:
    """ml is in 63 names here (61 green teas, wine, cola) and is the initials of 麻辣: all 64
    are counted and found."""
    found = page(db, "ml", limit=100)
    assert found.total == GREEN_TEAS + 4
    assert {"101", "104", "105", "117"} <= skus(found.hits)


def test_spaced_pinyin_finds_every_product_it_spells(db: Database) -> None:
    """le shi shu pian finds both 乐事 薯片 products."""
    assert skus(page(db, "le shi shu pian").hits) == {"102", "103"}


@pytest.mark.parametrize("cut", [slice(0, 12), slice(0, 7), slice(-6, None)])
def test_a_partial_barcode_finds_its_product(db: Database, cut: slice) -> None:
    """The first 12, the first 7 or the last 6 digits of an EAN-13 find the product."""
    code = make_ean13(barcode_body("106"))
    assert "106" in skus(page(db, code[cut]).hits)


def test_digits_from_a_name_search_names(db: Database) -> None:
    """750 finds the 750ml wine by its name."""
    assert "104" in skus(page(db, "750").hits)


def test_the_exact_name_ranks_first_and_the_total_counts_every_match(db: Database) -> None:
    """康师傅 绿茶 500ml: the product of exactly that name is first among 61 matches; the first
    page holds 50, the total says 61 and the next page has the other 11."""
    first_page = page(db, "康师傅 绿茶 500ml")
    assert first_page.hits[0].sku == "105"
    assert (len(first_page.hits), first_page.total) == (50, GREEN_TEAS + 1)
    rest = page(db, "康师傅 绿茶 500ml", offset=50)
    assert len(rest.hits) == GREEN_TEAS + 1 - 50
    assert not skus(first_page.hits) & skus(rest.hits)


def test_the_page_alone_is_the_same_page_and_counts_only_when_it_holds_every_match(
    db: Database,
) -> None:
    """count=False gives the same first page; its total is left out while more match than
    the page holds (61 green teas, a page of 50), and exact when the page holds them all."""
    tea = "康师傅 绿茶 500ml"
    counted, alone = page(db, tea), page(db, tea, count=False)
    assert (alone.hits, alone.total) == (counted.hits, None)
    assert counted.total == GREEN_TEAS + 1
    small = page(db, tea, limit=100, count=False)
    assert (len(small.hits), small.total) == (GREEN_TEAS + 1, GREEN_TEAS + 1)
    assert page(db, "榴莲", count=False).total == 0


def test_a_name_prefix_ranks_before_a_substring(db: Database) -> None:
    """绿茶 is in 62 names; 六安瓜片 绿茶 has it only in the middle, so the exact-start
    products come first only where the name starts with it (none here): index order then."""
    hits = page(db, "六安").hits
    assert hits[0].sku == "115"


@pytest.mark.parametrize("text", ["小\x00面", "\x00", "\x00\x00\x00", "xm\x07", "\u200b", "\x1f"])
def test_nul_and_control_characters_never_raise(db: Database, text: str) -> None:
    """NUL inside a word is dropped (小\\0面 finds 小面); NUL alone finds nothing."""
    result = page(db, text)
    if text.strip("\x00\x07\x1f\u200b"):
        assert "101" in skus(result.hits)
    else:
        assert result.hits == [] and result.total == 0


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=12))
def test_any_text_never_raises(db: Database, text: str) -> None:
    """Whatever is typed or pasted, search answers with a page whose total covers it."""
    result = page(db, text)
    assert result.total >= len(result.hits)


def test_a_shop_reading_makes_a_name_findable_by_it(db: Database) -> None:
    """The shop's own reading for a name is searched besides the dictionary's."""
    assert first(db, "dongbeidami") == "116"
    set_pinyin_reading(db, sku="116", reading="guan wai da mi")
    assert first(db, "guanwaidami") == "116"
    assert first(db, "gwdm") == "116"
    assert first(db, "dongbeidami") == "116"
    set_pinyin_reading(db, sku="116", reading=None)
    assert first(db, "guanwaidami") is None
    with pytest.raises(InvalidReading):
        set_pinyin_reading(db, sku="116", reading="关外")
    with pytest.raises(InvalidReading):
        set_pinyin_reading(db, sku="nope", reading="a")


def test_one_character_finds_a_product_past_the_hundred_thousandth(db: Database) -> None:
    """One character is answered by the index, wherever the product stands in the table (it
    looked at the first 100,000 products only)."""
    with db.write() as session:
        full, initials = pinyin_keys("芒果 干")
        session.add(
            Product(
                id=250_000,
                sku="250000",
                name="芒果 干",
                pinyin_full=full,
                pinyin_initials=initials,
                price_fen=100,
            )
        )
    found = page(db, "芒")
    assert ([hit.sku for hit in found.hits], found.total) == (["250000"], 1)
