"""Goods receiving (入库): a scanned document of lines (code, quantity, cost price) from one
supplier, posted in ONE transaction: the document, a stock delta and an outbox "stock" event per
line, the products' latest cost, and a journal entry. A document with any broken line is
refused whole, naming every broken line; nothing of it is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.domain.money import mul_div_half_up
from pos_app.domain.parsed_barcode import InvalidBarcode
from pos_app.services.errors import ServiceError, UnknownBarcode
from pos_app.services.permissions import require_manager
from pos_app.services.stock import find_product, ledger_on_hand, post_delta, stock_value_fen
from pos_app.services.till import till_identity
from pos_app.store.backoffice_models import Receiving, ReceivingLine, Supplier
from pos_app.store.db import Database
from pos_app.store.journal import append_journal
from pos_app.store.models import Product, utc_now
from pos_app.store.settings import get_setting

MAX_QTY = 1_000_000  # units, or grams (a tonne) for weighed goods
MAX_COST_FEN = 10_000_000  # ¥100,000 a unit is a typing mistake in a corner shop


@dataclass(frozen=True)
class ReceivingLineInput:
    """One scanned line: qty in units (grams for weighed goods), cost per unit (per kg)."""

    code: str
    qty: int
    cost_fen: int


@dataclass(frozen=True)
class ReceivingInput:
    supplier: str
    lines: Sequence[ReceivingLineInput]
    note: str = ""


@dataclass(frozen=True)
class LineProblem:
    """What is wrong with one line; reason is a key the UI translates, message is English."""

    line_no: int
    code: str
    reason: str  # not_found | invalid_code | qty | cost | no_lines
    message: str

    def __str__(self) -> str:
        return f"line {self.line_no} ({self.code}): {self.message}"


class ReceivingRejected(ServiceError):
    """The document was refused whole; `problems` names each broken line."""

    def __init__(self, problems: list[LineProblem]) -> None:
        listed = "; ".join(str(problem) for problem in problems)
        super().__init__(f"Nothing was received. Fix {listed}.")
        self.problems = problems


@dataclass(frozen=True)
class PostedReceiving:
    receiving_id: int
    doc_no: str
    lines: int
    total_cost_fen: int


def _check_line(session: Session, line: ReceivingLineInput) -> Product | tuple[str, str]:
    """The product of a good line, or (reason, message) of what is wrong with it."""
    try:
        found = find_product(session, line.code)
    except UnknownBarcode as error:
        return "not_found", str(error)
    except InvalidBarcode as error:
        return "invalid_code", str(error)
    if not 0 < line.qty <= MAX_QTY:
        return "qty", f"quantity {line.qty} must be between 1 and {MAX_QTY}"
    if not 0 <= line.cost_fen <= MAX_COST_FEN:
        return "cost", f"cost price {line.cost_fen} fen must be between 0 and {MAX_COST_FEN}"
    product = session.get(Product, found.product_id)
    assert product is not None
    return product


def _products(session: Session, doc: ReceivingInput) -> list[Product]:
    """The product of every line, or ReceivingRejected naming each broken line."""
    if not doc.lines:
        raise ReceivingRejected([LineProblem(0, "", "no_lines", "the document has no lines")])
    checked = [_check_line(session, line) for line in doc.lines]
    problems = [
        LineProblem(number, line.code, *outcome)
        for number, (line, outcome) in enumerate(zip(doc.lines, checked, strict=True), start=1)
        if isinstance(outcome, tuple)
    ]
    if problems:
        raise ReceivingRejected(problems)
    return [p for p in checked if isinstance(p, Product)]


def supplier_named(session: Session, name: str) -> Supplier | None:
    """The supplier of this name, created on first use; None for a document without one."""
    name = name.strip()
    if not name:
        return None
    supplier = session.scalar(select(Supplier).where(Supplier.name == name))
    if supplier is None:
        supplier = Supplier(name=name, phone="", created_at=utc_now())
        session.add(supplier)
    return supplier


def supplier_names(session: Session) -> list[str]:
    return list(session.scalars(select(Supplier.name).order_by(Supplier.name)))


def _new_cost(session: Session, product: Product, line: ReceivingLineInput) -> int:
    """The product's cost price after this line: what it cost (setting cost_method "last"), or
    the average of the goods on hand and these, weighted by quantity ("weighted_average",
    移动加权平均; the line's cost alone when nothing or less is on hand or no cost was known)."""
    if get_setting(session, "cost_method") != "weighted_average" or product.cost_fen is None:
        return line.cost_fen
    held = ledger_on_hand(session, product.id)
    if held <= 0:
        return line.cost_fen
    value = product.cost_fen * held + line.cost_fen * line.qty
    return mul_div_half_up(value, 1, held + line.qty)


def _next_doc_no(session: Session) -> str:
    return f"RK{(session.scalar(select(func.max(Receiving.id))) or 0) + 1:06d}"


def post_receiving(db: Database, doc: ReceivingInput, *, actor_id: int) -> PostedReceiving:
    """Post a whole receiving document, or nothing of it (ReceivingRejected)."""
    with db.write() as session:
        manager = require_manager(session, actor_id)
        products = _products(session, doc)
        receiving = Receiving(
            doc_no=_next_doc_no(session),
            supplier=supplier_named(session, doc.supplier),
            note=doc.note,
            posted_by=manager.id,
            posted_at=utc_now(),
            total_cost_fen=0,
        )
        for number, (line, product) in enumerate(zip(doc.lines, products, strict=True), start=1):
            cost = stock_value_fen(weighed=product.weighed, qty=line.qty, cost_fen=line.cost_fen)
            receiving.lines.append(
                ReceivingLine(
                    line_no=number,
                    product_id=product.id,
                    code=line.code.strip(),
                    qty=line.qty,
                    cost_fen=line.cost_fen,
                    line_cost_fen=cost,
                )
            )
            receiving.total_cost_fen += cost
            if line.cost_fen > 0:
                product.cost_fen = _new_cost(session, product, line)
            post_delta(session, product, line.qty, reason="receive", ref=receiving.doc_no)
        session.add(receiving)
        session.flush()
        append_journal(
            session,
            till_id=till_identity(session).till_id,
            kind="receiving",
            actor_id=manager.id,
            payload={
                "doc_no": receiving.doc_no,
                "supplier": doc.supplier.strip(),
                "lines": len(receiving.lines),
                "total_cost_fen": receiving.total_cost_fen,
            },
        )
        return PostedReceiving(
            receiving.id, receiving.doc_no, len(receiving.lines), receiving.total_cost_fen
        )
