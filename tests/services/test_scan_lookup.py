"""Scans on the sale screen's service path (add_scanned_item) on a real till database: each
example from issue 16 books the right item at the right price, or is refused without a lookup."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pos_app.domain.barcodes import ZeroPriceLabel
from pos_app.domain.cart import Cart
from pos_app.domain.gtin import make_ean13
from pos_app.domain.parsed_barcode import InvalidBarcode
from pos_app.domain.scale_layouts import DEFAULT_SCALE_LAYOUTS, ScaleLayout
from pos_app.domain.scan import WrongScanContext
from pos_app.services.errors import UnknownBarcode
from pos_app.services.selling import add_scanned_item
from pos_app.services.till import scan_rules
from pos_app.store.db import Database
from pos_app.store.models import Barcode
from pos_app.store.settings import set_setting
from tests.services.catalog_helpers import add_product, empty_till_db

CUCUMBER_KG_FEN = 600


@pytest.fixture
def till(tmp_path: Path) -> Database:
    """SKU 00777 and 54321 are bottled water; PLU 00777 is loose cucumber (¥6.00/kg)."""
    db = empty_till_db(tmp_path)
    add_product(db, "00777", "百岁山 矿泉水 570ml", price_fen=300, barcode_body="690000000777")
    add_product(db, "54321", "农夫山泉 550ml", price_fen=200, barcode_body="690000054321")
    add_product(db, "90001", "散装 黄瓜", price_fen=CUCUMBER_KG_FEN, plu_code="00777")
    upc = add_product(db, "80001", "Hershey's 巧克力", price_fen=1500)
    with db.write() as session:
        session.add(Barcode(product_id=upc, code="0012345000058"))  # UPC-A 012345000058
    return db


def scan(db: Database, code: str, cart: Cart | None = None, layouts=None):
    """As the sale screen scans: with the store's scan rules (layouts replaced if given)."""
    cart = cart or Cart()
    with db.read() as session:
        rules = scan_rules(session)
        if layouts is not None:
            rules = replace(rules, layouts=layouts)
        return add_scanned_item(session, cart, code, rules)


def test_a_weight_label_books_the_plu_item_by_weight_never_the_sku_with_those_digits(
    till: Database,
) -> None:
    """2100777012348: flag 21 is a weight label, item 00777 is the PLU (cucumber), 1.234 kg."""
    line = scan(till, "2100777012348")
    assert line.product.name == "散装 黄瓜"
    assert line.qty == 1234
    assert line.net_fen == 740  # ¥6.00/kg × 1.234 kg


def test_a_scale_label_whose_plu_is_unknown_is_refused_even_if_a_sku_has_those_digits(
    till: Database,
) -> None:
    """2154321015002: no PLU 54321, so nothing is booked (not 农夫山泉, SKU 54321)."""
    cart = Cart()
    with pytest.raises(UnknownBarcode):
        scan(till, "2154321015002", cart)
    assert cart.lines == []


def test_a_price_label_books_its_price(till: Database) -> None:
    """2000777012344 with the default 20-29 price layout: cucumber for ¥12.34."""
    line = scan(till, make_ean13("200077701234"))
    assert (line.product.name, line.net_fen) == ("散装 黄瓜", 1234)


@pytest.mark.parametrize("code", ["280022293727147983", "134567890123456789", "2512345678901234"])
def test_a_payment_code_on_the_sale_screen_is_never_looked_up(till: Database, code: str) -> None:
    """Alipay/WeChat codes are refused with 'scan at checkout'; the message hides the code."""
    cart = Cart()
    with pytest.raises(WrongScanContext) as refused:
        scan(till, code, cart)
    assert code not in str(refused.value)
    assert cart.lines == []


def test_a_zero_price_label_is_refused_unless_the_store_allows_it(till: Database) -> None:
    """A ¥0.00 label is refused by default and booked at ¥0 once the setting allows it."""
    code = make_ean13("200077700000")
    with pytest.raises(ZeroPriceLabel):
        scan(till, code)
    with till.write() as session:
        set_setting(session, "scale_zero_price_allowed", True)
    assert scan(till, code).net_fen == 0


def test_an_inner_price_check_digit_layout_reads_the_price_and_wins_over_the_default(
    till: Database,
) -> None:
    """2000123303451 read by 20:FFCCCCCVPPPPK (added after the defaults) is ¥3.45, not ¥303.45."""
    add_product(till, "90002", "散装 土豆", price_fen=400, plu_code="00123")
    layouts = (*DEFAULT_SCALE_LAYOUTS, ScaleLayout.parse_spec("20:FFCCCCCVPPPPK"))
    line = scan(till, "2000123303451", layouts=layouts)
    assert (line.product.name, line.net_fen) == ("散装 土豆", 345)
    with pytest.raises(InvalidBarcode, match="price check digit"):
        scan(till, make_ean13("200012340345"), layouts=layouts)


@pytest.mark.parametrize(
    "code",
    ["01234558", "012345000058", "0012345000058", "00012345000058", "０１２３４５５８"],
)
def test_upc_e_upc_a_gtin14_and_full_width_digits_all_find_the_upc_product(
    till: Database, code: str
) -> None:
    """UPC-E 01234558 expands to UPC-A 012345000058; GTIN-14 with indicator 0 and full-width
    digits find the same product."""
    assert scan(till, code).product.name == "Hershey's 巧克力"


def test_full_width_ean13_finds_the_product(till: Database) -> None:
    """６９０… typed by an input method is the same barcode as 690…."""
    full_width = make_ean13("690000054321").translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    assert scan(till, full_width).product.name == "农夫山泉 550ml"
