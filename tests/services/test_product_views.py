"""Read views of the back office's product page: each opens its own read on the Database."""

from __future__ import annotations

import dataclasses

from pos_app.services.catalog_admin import save_product
from pos_app.services.product_views import (
    catalog_side,
    find_any,
    find_products,
    product_editing,
)
from pos_app.store.db import Database
from tests.conftest import MANAGER_ID, barcode_of
from tests.services.test_stock import product_id


def test_a_code_or_typed_text_finds_its_product_and_nonsense_finds_none(db: Database) -> None:
    """A barcode finds its product; text no code matches falls back to the first search hit."""
    by_code = find_any(db, barcode_of("1001"))
    by_text = find_any(db, "牛肉面")
    assert by_code is not None and by_code.info.sku == "1001"
    assert by_text is not None and by_text.info.name == "康师傅红烧牛肉面"
    assert find_any(db, "没有这种东西") is None


def test_a_search_lists_the_hits_up_to_the_limit(db: Database) -> None:
    """Pinyin initials find the product; the limit caps the list."""
    assert [hit.sku for hit in find_products(db, "nfsq")] == ["1002"]
    assert len(find_products(db, "", limit=2)) <= 2


def test_a_saved_category_and_price_show_beside_the_form(db: Database) -> None:
    """The product opens as its form; after a price change in a new category the side lists
    the category and one label waiting."""
    cola = product_id(db, "1001")
    editing = product_editing(db, cola)
    assert (editing.product_id, editing.form.sku, editing.form.barcodes) == (
        cola,
        "1001",
        (barcode_of("1001"),),
    )
    assert catalog_side(db).labels_waiting == 0
    changed = dataclasses.replace(editing.form, price_fen=380, category="饮料")
    save_product(db, changed, actor_id=MANAGER_ID, product_id=cola)
    side = catalog_side(db)
    assert (side.categories, side.labels_waiting) == (("饮料",), 1)
    assert product_editing(db, cola).form.price_fen == 380
