"""Read-only views for the back office's stock pages (receiving, stock lists and history,
stocktake), as plain frozen dataclasses (no ORM object leaves here). Each function takes the
Database and opens its own read; the pages call them on the background runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.services.catalog import FoundProduct
from pos_app.services.receiving import supplier_names
from pos_app.services.stock import (
    HistoryPage,
    StockKey,
    StockPage,
    find_product,
    low_stock,
    negative_stock,
    on_hand,
    stock_history,
)
from pos_app.services.stocktake import (
    StocktakeInfo,
    VarianceLine,
    current_stocktake,
    variance_report,
)
from pos_app.store.db import Database
from pos_app.store.models import Product

STOCK_LISTS = {"low_stock": low_stock, "negative_stock": negative_stock}


@dataclass(frozen=True)
class Scanned:
    """A code scanned at receiving, its product and the product's latest cost (the default)."""

    code: str
    found: FoundProduct
    cost_fen: int | None


@dataclass(frozen=True)
class History:
    """A page of a product's stock history and what is on hand now."""

    product_id: int
    info: FoundProduct
    on_hand: int
    page: HistoryPage


@dataclass(frozen=True)
class StocktakeView:
    """The open stocktake (None when none is open) and its variance report."""

    info: StocktakeInfo | None
    lines: list[VarianceLine]


def find_code(db: Database, code: str) -> FoundProduct:
    """The active product a code stands for; InvalidBarcode or UnknownBarcode if none."""
    with db.read() as session:
        return find_product(session, code)


def receiving_scan(db: Database, code: str) -> Scanned:
    """The product of a code scanned at receiving and its latest cost."""
    with db.read() as session:
        found = find_product(session, code)
        product = session.get(Product, found.product_id)
        return Scanned(code, found, product.cost_fen if product else None)


def suppliers(db: Database) -> list[str]:
    """The suppliers' names, A to Z, to pick from when receiving."""
    with db.read() as session:
        return supplier_names(session)


def stock_list(db: Database, name: str, *, after: StockKey | None = None) -> StockPage:
    """A page of the stock list of this name (a key of STOCK_LISTS), starting after `after`."""
    fetch = STOCK_LISTS[name]
    with db.read() as session:
        return fetch(session, after=after)


def product_history(db: Database, found: FoundProduct, *, before: int | None = None) -> History:
    """The product's stock moves older than `before` (the newest page when None)."""
    with db.read() as session:
        page = stock_history(session, found.product_id, before=before)
        return History(found.product_id, found, on_hand(session, found.product_id), page)


def stocktake_view(db: Database) -> StocktakeView:
    """The open stocktake and its variance report."""
    with db.read() as session:
        info = current_stocktake(session)
        lines = variance_report(session, info.stocktake_id) if info else []
        return StocktakeView(info, lines)
