"""Catalog import from a CSV or XLSX product list: every row checked, then one transaction.

If any row is wrong nothing is written and the report lists each problem by row and column; with
skip_bad the good rows are imported and the bad ones reported. An existing sku is updated (only
the columns the file has), a new one inserted; barcodes are added to a product, never taken from
another one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Select, insert, select, update
from sqlalchemy.orm import Session

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.money import InvalidAmount, parse_yuan
from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode
from pos_app.domain.scale_layouts import ScaleLayout
from pos_app.services.catalog_file import Table, TableRow, read_table
from pos_app.services.pinyin import pinyin_keys
from pos_app.services.till import scale_layouts
from pos_app.store.db import Database
from pos_app.store.models import Barcode, Category, Product, utc_now

MAX_LENGTHS = {"sku": 32, "name": 120, "unit": 8, "category": 64}
_SKU_TEXT = re.compile(r"^[\x21-\x7e]{1,32}$")  # what the sync contract's Sku takes
DEFAULT_UNIT, DEFAULT_WEIGHED_UNIT = "个", "kg"
_YES = {"是", "1", "yes", "y", "true", "√"}
_NO = {"否", "0", "no", "n", "false", ""}
_BARCODE_SEPARATORS = re.compile(r"[|;；/]")
_EXCEL_NUMBER = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_IN_CHUNK = 500

OwnerQuery = Select  # rows: (barcode or PLU, sku of the product that has it)


@dataclass(frozen=True)
class RowError:
    """One problem with one row; column is the header as written in the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行，{self.column}：{self.message}"


@dataclass
class ImportReport:
    """What an import did. `written` is False when nothing was stored."""

    rows: int = 0
    inserted: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors})


@dataclass(frozen=True)
class ProductRow:
    """A checked row, with money in fen, barcodes normalised and the name's pinyin keys."""

    row: int
    sku: str
    name: str
    pinyin: tuple[str, str]
    price_fen: int
    member_price_fen: int | None
    cost_fen: int | None
    unit: str
    barcodes: tuple[str, ...]
    category: str
    weighed: bool
    plu_code: str | None


class _RowChecker:
    """Turns one TableRow into a ProductRow, collecting RowErrors instead of stopping."""

    def __init__(self, table: Table, row: TableRow, layouts: Sequence[ScaleLayout]) -> None:
        self.table, self.row, self.layouts = table, row, layouts
        self.errors: list[RowError] = []

    def fail(self, field_name: str, message: str) -> None:
        self.errors.append(RowError(self.row.number, self.table.header(field_name), message))

    def text(self, field_name: str) -> str:
        value = self.row.cells.get(field_name, "")
        limit = MAX_LENGTHS.get(field_name)
        if limit is not None and len(value) > limit:
            self.fail(field_name, f"有 {len(value)} 个字，最多 {limit} 个")
        return value

    def money(self, field_name: str, *, required: bool) -> int | None:
        value = self.row.cells.get(field_name, "")
        if not value:
            if required:
                self.fail(field_name, "为空：请填写以元为单位的价格，例如 12.50")
            return None
        try:
            fen = parse_yuan(value)
        except InvalidAmount:
            self.fail(field_name, f"“{value}”不是有效的金额（以元为单位，最多两位小数）")
            return None
        if fen < 0:
            self.fail(field_name, f"{value} 是负数")
        return fen

    def weighed(self) -> bool:
        value = self.row.cells.get("weighed", "").lower()
        if value not in _YES | _NO:
            self.fail("weighed", f"“{value}”不是 是/否（或 1/0）")
        return value in _YES

    def barcode(self, text: str) -> str | None:
        if _EXCEL_NUMBER.match(text):
            self.fail("barcode", f"{text} 被 Excel 改成了数字：请把这一列设为文本格式")
            return None
        try:
            parsed = parse_barcode(text, self.layouts, allow_zero_price=True)
        except InvalidBarcode as error:
            self.fail("barcode", f"{text} 不是有效的条码（{error}）")
            return None
        if parsed.kind is BarcodeKind.SCALE:
            self.fail("barcode", f"{text} 是电子秤条码：请改填 PLU 码")
            return None
        return parsed.code

    def barcodes(self) -> tuple[str, ...]:
        texts = [t.strip() for t in _BARCODE_SEPARATORS.split(self.row.cells.get("barcode", ""))]
        codes = [self.barcode(t) for t in texts if t]
        return tuple(dict.fromkeys(c for c in codes if c is not None))

    def plu(self) -> str | None:
        value = self.row.cells.get("plu", "")
        width = max(layout.width("C") for layout in self.layouts) if self.layouts else 5
        if not value:
            return None
        if not value.isascii() or not value.isdigit() or len(value) > width:
            self.fail("plu", f"“{value}”不是不超过 {width} 位数字的 PLU 码")
            return None
        return value.zfill(width)

    def check(self) -> ProductRow | None:
        name = self.text("name")
        if not name:
            self.fail("name", "为空")
        barcodes = self.barcodes()
        sku = self.text("sku") or (barcodes[0] if barcodes else "")
        if not sku:
            self.fail("sku", "为空，也没有条码可以用作编码")
        elif not _SKU_TEXT.match(sku):
            self.fail("sku", f"“{sku}”只能由字母、数字和英文符号组成，不能有空格或汉字")
        price = self.money("price", required=True)
        member_price = self.money("member_price", required=False)
        cost = self.money("cost", required=False)
        weighed = self.weighed()
        unit = self.text("unit") or (DEFAULT_WEIGHED_UNIT if weighed else DEFAULT_UNIT)
        product = ProductRow(
            row=self.row.number,
            sku=sku,
            name=name,
            pinyin=pinyin_keys(name),
            price_fen=price or 0,
            member_price_fen=member_price,
            cost_fen=cost,
            unit=unit,
            barcodes=barcodes,
            category=self.text("category"),
            weighed=weighed,
            plu_code=self.plu(),
        )
        return None if self.errors else product


def _check_rows(
    table: Table, layouts: Sequence[ScaleLayout]
) -> tuple[list[ProductRow], list[RowError]]:
    """Check every row on its own, then against the rows above it (sku, barcode, PLU once)."""
    products: list[ProductRow] = []
    errors: list[RowError] = []
    first_row: dict[tuple[str, str], int] = {}
    for row in table.rows:
        checker = _RowChecker(table, row, layouts)
        product = checker.check()
        if product is not None:
            for key in _unique_keys(product):
                if key in first_row:
                    checker.fail(key[0], f"{key[1]} 与第 {first_row[key]} 行重复")
                first_row.setdefault(key, row.number)
        errors.extend(checker.errors)
        if not checker.errors and product is not None:
            products.append(product)
    return products, errors


def _unique_keys(product: ProductRow) -> Iterator[tuple[str, str]]:
    yield "sku", product.sku
    for code in product.barcodes:
        yield "barcode", code
    if product.plu_code is not None:
        yield "plu", product.plu_code


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


def _barcode_owners(chunk: Sequence[str]) -> OwnerQuery:
    return select(Barcode.code, Product.sku).join(Product).where(Barcode.code.in_(chunk))


def _plu_owners(chunk: Sequence[str]) -> OwnerQuery:
    return select(Product.plu_code, Product.sku).where(Product.plu_code.in_(chunk))


def _owners(
    session: Session, query_of: Callable[[Sequence[str]], OwnerQuery], values: Sequence[str]
) -> dict[str, str]:
    """value → sku of the product that already has it (a barcode or a PLU)."""
    owners: dict[str, str] = {}
    for chunk in _chunks(values):
        rows = session.execute(query_of(chunk))
        owners.update({value: sku for value, sku in rows if value is not None})
    return owners


def _check_against_db(
    session: Session, table: Table, products: list[ProductRow]
) -> tuple[list[RowError], set[str]]:
    """Barcodes and PLUs of the file that belong to a different product in the catalog, and
    the file's barcodes that the catalog already has."""
    barcode_owner = _owners(session, _barcode_owners, [c for p in products for c in p.barcodes])
    plu_owner = _owners(session, _plu_owners, [p.plu_code for p in products if p.plu_code])
    errors = []
    for product in products:
        for code in product.barcodes:
            owner = barcode_owner.get(code, product.sku)
            if owner != product.sku:
                message = f"{code} 已经是商品 {owner} 的条码"
                errors.append(RowError(product.row, table.header("barcode"), message))
        owner = plu_owner.get(product.plu_code or "", product.sku)
        if owner != product.sku:
            message = f"{product.plu_code} 已经是商品 {owner} 的 PLU 码"
            errors.append(RowError(product.row, table.header("plu"), message))
    return errors, set(barcode_owner)


def ensure_categories(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Ids of the categories by name, creating the ones that do not exist yet."""
    existing = dict(session.execute(select(Category.name, Category.id)).all())
    for name in dict.fromkeys(names):
        if name not in existing:
            category = Category(name=name)
            session.add(category)
            session.flush()
            existing[name] = category.id
    return existing


def _product_ids(session: Session, skus: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(skus):
        query = select(Product.sku, Product.id).where(Product.sku.in_(chunk))
        ids.update({sku: product_id for sku, product_id in session.execute(query)})
    return ids


def _values(
    row: ProductRow, columns: set[str], categories: dict[str, int], *, new: bool
) -> dict[str, object]:
    """Column values for a row: name and price always, other fields if the file has them (a
    new product gets them all, with defaults)."""
    values: dict[str, object] = {
        "name": row.name,
        "pinyin_full": row.pinyin[0],
        "pinyin_initials": row.pinyin[1],
        "price_fen": row.price_fen,
        "updated_at": utc_now(),
    }
    optional = {
        "member_price": ("member_price_fen", row.member_price_fen),
        "cost": ("cost_fen", row.cost_fen),
        "unit": ("unit", row.unit),
        "weighed": ("weighed", row.weighed),
        "plu": ("plu_code", row.plu_code),
        "category": ("category_id", categories.get(row.category)),
    }
    for column, (attribute, value) in optional.items():
        if new or column in columns:
            values[attribute] = value
    return values


def _write(
    session: Session, table: Table, rows: list[ProductRow], known_barcodes: set[str]
) -> tuple[int, int]:
    """Update existing skus, insert new ones and add the barcodes the catalog lacks, each as
    one executemany; returns (inserted, updated)."""
    categories = ensure_categories(session, (r.category for r in rows if r.category))
    ids = _product_ids(session, [r.sku for r in rows])
    columns = set(table.headers)
    old = [r for r in rows if r.sku in ids]
    new = [r for r in rows if r.sku not in ids]
    if old:
        updates = [{"id": ids[r.sku], **_values(r, columns, categories, new=False)} for r in old]
        session.execute(update(Product), updates)
    if new:
        inserts = [
            {"sku": r.sku, "status": "active", **_values(r, columns, categories, new=True)}
            for r in new
        ]
        statement = insert(Product).returning(Product.id, sort_by_parameter_order=True)
        ids.update(zip((r.sku for r in new), session.scalars(statement, inserts), strict=True))
    barcodes = [
        {"code": code, "product_id": ids[r.sku]}
        for r in rows
        for code in r.barcodes
        if code not in known_barcodes
    ]
    if barcodes:
        session.execute(insert(Barcode), barcodes)
    return len(new), len(old)


def import_catalog(db: Database, path: Path, *, skip_bad: bool = False) -> ImportReport:
    """Import a CSV or XLSX product list in one transaction and report row by row.

    Raises CatalogFileError if the file cannot be read as a product list at all.
    """
    table = read_table(path)
    with db.read() as session:
        layouts = scale_layouts(session)
    products, errors = _check_rows(table, layouts)
    report = ImportReport(rows=len(table.rows))
    with db.write() as session:
        db_errors, known_barcodes = _check_against_db(session, table, products)
        errors += db_errors
        report.errors = sorted(errors, key=lambda e: e.row)
        if errors and not skip_bad:
            return report
        bad = {error.row for error in errors}
        good = [p for p in products if p.row not in bad]
        report.inserted, report.updated = _write(session, table, good, known_barcodes)
        report.written = bool(good)
    return report
