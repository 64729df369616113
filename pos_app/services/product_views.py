"""Read-only views of the catalog for the back office's product page, as plain
frozen dataclasses (no ORM object leaves here). Each function takes the Database and opens its
own read; the pages call them on the background runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from pos_app.domain.parsed_barcode import InvalidBarcode
from pos_app.services.catalog import FoundProduct, product_info
from pos_app.services.catalog_admin import ProductForm, product_form
from pos_app.services.errors import UnknownBarcode
from pos_app.services.search import ProductHit, search_products
from pos_app.services.shelf_labels import pending_labels
from pos_app.services.stock import find_product
from pos_app.store.db import Database
from pos_app.store.models import Category, Product

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Editing:
    """A product as a form to edit; product_id None for a new product."""

    product_id: int | None
    form: ProductForm


@dataclass(frozen=True)
class CatalogSide:
    """What the product page shows beside the form: the category names to pick from and how
    many shelf labels wait to be printed."""

    categories: tuple[str, ...]
    labels_waiting: int


def product_editing(db: Database, product_id: int) -> Editing:
    with db.read() as session:
        return Editing(product_id, product_form(session, product_id))


def find_products(db: Database, text: str, *, limit: int = SEARCH_LIMIT) -> list[ProductHit]:
    """The products a code, pinyin or part of the name finds, best first."""
    with db.read() as session:
        return search_products(session, text, limit=limit)


def catalog_side(db: Database) -> CatalogSide:
    with db.read() as session:
        names = tuple(session.scalars(select(Category.name).order_by(Category.name)))
        return CatalogSide(names, len(pending_labels(session)))


def find_any(db: Database, text: str) -> FoundProduct | None:
    """The product of a code, or else the first search hit for the text; None if neither."""
    with db.read() as session:
        try:
            return find_product(session, text)
        except (UnknownBarcode, InvalidBarcode):
            hits = search_products(session, text, limit=1)
        if not hits:
            return None
        product = session.get(Product, hits[0].product_id)
        return None if product is None else FoundProduct(product.id, product_info(product))
