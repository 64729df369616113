"""Catalog upkeep at the till: a manager adds or edits one product and its barcodes.

Every field is checked before anything is stored (check digits, barcodes that belong to another
product, member price ≤ price, price > 0 …) and all problems are reported at once. A saved
change writes a journal entry with the old and new values, and queues a shelf label when what
the label shows (name, prices, unit, barcodes) changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode
from pos_app.services.catalog_import import ensure_categories
from pos_app.services.errors import ServiceError
from pos_app.services.permissions import require_manager
from pos_app.services.pinyin import pinyin_keys
from pos_app.services.stock import reorder_level, set_reorder_level
from pos_app.services.till import scale_layouts, till_identity
from pos_app.store.backoffice_models import LabelRequest
from pos_app.store.db import Database
from pos_app.store.journal import append_journal
from pos_app.store.models import Barcode, Category, Product, utc_now

MAX_PRICE_FEN = 10_000_000  # ¥100,000
VAT_RATES_BP = (0, 300, 500, 600, 900, 1300)  # China: 0, 3 %, 5 % (simplified), 6 %, 9 %, 13 %
STATUSES = ("active", "inactive")
PLU_DIGITS = 5
LABEL_FIELDS = ("name", "price_fen", "member_price_fen", "unit", "barcodes")
_SKU = re.compile(r"^[A-Za-z0-9-]{1,32}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ProductForm:
    """What a manager edits: money in fen; qty fields in units (grams for weighed goods)."""

    sku: str
    name: str
    price_fen: int
    member_price_fen: int | None = None
    cost_fen: int | None = None
    unit: str = "个"
    category: str = ""
    weighed: bool = False
    plu_code: str | None = None
    tax_rate_bp: int = 1300
    barcodes: tuple[str, ...] = ()
    status: str = "active"
    reorder_level: int | None = None


@dataclass(frozen=True)
class FieldProblem:
    """A wrong field: reason is a key the UI translates (with detail), message is English."""

    field: str
    reason: str
    message: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ProductRejected(ServiceError):
    """Nothing was saved; `problems` lists every field that is wrong."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("Not saved. " + "; ".join(str(p) for p in problems) + ".")
        self.problems = problems


@dataclass(frozen=True)
class SavedProduct:
    product_id: int
    changed: tuple[str, ...]  # field names; every field for a new product
    label_queued: bool


def _text_problems(form: ProductForm) -> Iterator[FieldProblem]:
    if not _SKU.match(form.sku):
        yield FieldProblem("sku", "sku_format", "1 to 32 letters, digits or '-'")
    for name, text, limit in (("name", form.name, 120), ("unit", form.unit, 8)):
        if not text.strip() or len(text) > limit or _CONTROL.search(text):
            yield FieldProblem(
                name, "text_format", f"must be 1 to {limit} printable characters", str(limit)
            )
    if form.status not in STATUSES:
        yield FieldProblem("status", "status", f"must be one of {', '.join(STATUSES)}")


def _money_problems(form: ProductForm) -> Iterator[FieldProblem]:
    if not 0 < form.price_fen <= MAX_PRICE_FEN:
        yield FieldProblem(
            "price_fen", "price_range", f"must be more than 0 and at most {MAX_PRICE_FEN}"
        )
    member = form.member_price_fen
    if member is not None and not 0 < member <= form.price_fen:
        yield FieldProblem(
            "member_price_fen", "member_price", "must be more than 0 and not above the price"
        )
    if form.cost_fen is not None and not 0 <= form.cost_fen <= MAX_PRICE_FEN:
        yield FieldProblem("cost_fen", "cost_range", f"must be between 0 and {MAX_PRICE_FEN}")
    if form.tax_rate_bp not in VAT_RATES_BP:
        yield FieldProblem("tax_rate_bp", "vat", "must be a VAT rate of 0, 3, 5, 6, 9 or 13 %")
    if form.reorder_level is not None and form.reorder_level < 0:
        yield FieldProblem("reorder_level", "negative", "must not be negative")


def _plu_problems(form: ProductForm) -> Iterator[FieldProblem]:
    plu = form.plu_code
    if plu is not None and not (plu.isascii() and plu.isdigit() and len(plu) <= PLU_DIGITS):
        yield FieldProblem("plu_code", "plu_format", f"must be 1 to {PLU_DIGITS} digits")
    if plu is not None and not form.weighed:
        yield FieldProblem("plu_code", "plu_not_weighed", "only weighed goods have a scale PLU")


def _barcode_problems(session: Session, form: ProductForm) -> Iterator[FieldProblem]:
    layouts = scale_layouts(session)
    for code in form.barcodes:
        try:
            parsed = parse_barcode(code, layouts, allow_zero_price=True)
        except InvalidBarcode as error:
            yield FieldProblem("barcodes", "barcode_invalid", str(error), code)
            continue
        if parsed.kind is BarcodeKind.SCALE:
            yield FieldProblem(
                "barcodes",
                "barcode_scale",
                f"{code} is a scale label code; give the item a PLU",
                code,
            )
        elif parsed.code != code:
            yield FieldProblem(
                "barcodes", "barcode_form", f"{code} should be written {parsed.code}", parsed.code
            )
    if len(set(form.barcodes)) != len(form.barcodes):
        yield FieldProblem("barcodes", "barcode_twice", "a barcode is listed twice")


def _owner_problems(
    session: Session, form: ProductForm, product_id: int | None
) -> Iterator[FieldProblem]:
    """SKU, barcodes and PLU that already belong to another product."""
    others = Product.id != (product_id or 0)
    if session.scalar(select(Product.id).where(Product.sku == form.sku, others)) is not None:
        yield FieldProblem(
            "sku", "sku_taken", f"{form.sku} is already the code of another product", form.sku
        )
    if form.plu_code is not None:
        owner = session.scalar(select(Product.sku).where(Product.plu_code == form.plu_code, others))
        if owner is not None:
            yield FieldProblem(
                "plu_code", "plu_taken", f"{form.plu_code} is already the PLU of {owner}", owner
            )
    if form.barcodes:
        owned = select(Barcode.code, Product.sku).join(Product)
        query = owned.where(Barcode.code.in_(form.barcodes), others)
        for code, sku in session.execute(query):
            yield FieldProblem(
                "barcodes",
                "barcode_taken",
                f"{code} already belongs to product {sku}",
                f"{code} → {sku}",
            )


def normalised(form: ProductForm) -> ProductForm:
    """The form with text trimmed, empty codes dropped and the PLU zero-padded."""
    plu = (form.plu_code or "").strip()
    return replace(
        form,
        sku=form.sku.strip(),
        name=form.name.strip(),
        unit=form.unit.strip(),
        category=form.category.strip(),
        plu_code=plu.zfill(PLU_DIGITS) if plu.isdigit() else (plu or None),
        barcodes=tuple(code.strip() for code in form.barcodes if code.strip()),
    )


def check_product(session: Session, form: ProductForm, product_id: int | None) -> None:
    """ProductRejected listing every problem, or nothing when the form can be saved."""
    problems = [
        *_text_problems(form),
        *_money_problems(form),
        *_plu_problems(form),
        *_barcode_problems(session, form),
        *_owner_problems(session, form, product_id),
    ]
    if problems:
        raise ProductRejected(problems)


def product_form(session: Session, product_id: int) -> ProductForm:
    """The product as a form to edit."""
    product = session.get(Product, product_id)
    if product is None:
        raise ServiceError(
            f"Product {product_id} does not exist.", code="product_missing", id=product_id
        )
    category = session.get(Category, product.category_id) if product.category_id else None
    return ProductForm(
        sku=product.sku,
        name=product.name,
        price_fen=product.price_fen,
        member_price_fen=product.member_price_fen,
        cost_fen=product.cost_fen,
        unit=product.unit,
        category=category.name if category else "",
        weighed=product.weighed,
        plu_code=product.plu_code,
        tax_rate_bp=product.tax_rate_bp,
        barcodes=tuple(sorted(b.code for b in product.barcodes)),
        status=product.status,
        reorder_level=reorder_level(session, product_id),
    )


def _apply(session: Session, product: Product, form: ProductForm) -> None:
    categories = ensure_categories(session, [form.category] if form.category else [])
    product.sku, product.name, product.unit = form.sku, form.name, form.unit
    product.pinyin_full, product.pinyin_initials = pinyin_keys(form.name)
    product.price_fen, product.member_price_fen = form.price_fen, form.member_price_fen
    product.cost_fen, product.tax_rate_bp = form.cost_fen, form.tax_rate_bp
    product.category_id = categories.get(form.category)
    product.weighed, product.plu_code, product.status = form.weighed, form.plu_code, form.status
    product.updated_at = utc_now()
    kept = [b for b in product.barcodes if b.code in form.barcodes]
    known = {b.code for b in kept}
    product.barcodes = kept + [Barcode(code=c) for c in form.barcodes if c not in known]


def _changes(before: ProductForm | None, after: ProductForm) -> dict[str, list[Any]]:
    old = asdict(before) if before else {}
    return {k: [old.get(k), v] for k, v in asdict(after).items() if old.get(k) != v or not before}


def save_product(
    db: Database, form: ProductForm, *, actor_id: int, product_id: int | None = None
) -> SavedProduct:
    """Add a product (product_id None) or change one, with its journal entry and label."""
    form = normalised(form)
    with db.write() as session:
        require_manager(session, actor_id)
        check_product(session, form, product_id)
        before = product_form(session, product_id) if product_id is not None else None
        product = session.get(Product, product_id) if product_id is not None else Product()
        assert product is not None
        _apply(session, product, form)
        session.add(product)
        session.flush()
        set_reorder_level(session, product.id, form.reorder_level)
        changes = _changes(before, form)
        label = form.status == "active" and any(f in changes for f in LABEL_FIELDS)
        if label:
            session.add(LabelRequest(product_id=product.id, reason=",".join(changes)[:64]))
        append_journal(
            session,
            till_id=till_identity(session).till_id,
            kind="product_edit" if before else "product_add",
            actor_id=actor_id,
            payload={"sku": form.sku, "changes": changes},
        )
        return SavedProduct(product.id, tuple(changes), label)
