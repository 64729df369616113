"""Exports to Excel (XLSX) for the shop's own spreadsheets: the products in the import
template's columns (so an export can be edited and imported back), the members this till knows,
and the sales of a period (one sheet of sales, one of their lines).

Rows stream to disk through openpyxl's write-only mode, read in batches, so a million products
need no more memory than one batch. Run on a background thread: `progress(done, total)` is
called after each batch. The file is written beside the target and renamed when complete, so
a half-written export never looks finished. Money is in yuan with two decimals, worked out
from integer fen; weights in kg.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from pos_app.hardware.receipt_layout import TENDER_LABELS
from pos_app.services.catalog_file import TEMPLATE_HEADERS
from pos_app.services.till import time_zone
from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember
from pos_app.store.models import Category, Product, Sale, SaleLine, Staff

Progress = Callable[[int, int], None]  # (rows done, rows in all)
BATCH = 2000
MONEY_FORMAT = "0.00"
KG_FORMAT = "0.000"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

PRODUCT_HEADERS = (*TEMPLATE_HEADERS, "称重", "PLU码")
MEMBER_HEADERS = ("会员号", "姓名", "等级", "手机尾号", "会员卡号", "积分", "储值余额", "更新时间")
SALE_HEADERS = (
    "单号",
    "时间",
    "类型",
    "收银台",
    "收银员",
    "会员号",
    "小计",
    "优惠",
    "抹零",
    "实收",
    "支付方式",
)
LINE_HEADERS = (
    "单号",
    "时间",
    "行号",
    "商品编码",
    "商品条码",
    "商品名称",
    "数量",
    "单价",
    "优惠",
    "金额",
)
KINDS = {"sale": "销售", "refund": "退货"}


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int  # data rows written (sales and lines: the sales)


def _no_progress(_done: int, _total: int) -> None:
    return None


def yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2)


class _Sheet:
    """A write-only sheet with a header row and typed cells."""

    def __init__(self, workbook: Workbook, title: str, headers: Sequence[str]) -> None:
        sheet = workbook.create_sheet(title)
        assert isinstance(sheet, WriteOnlyWorksheet)
        self.sheet = sheet
        self.sheet.append(list(headers))

    def cell(self, value: object, number_format: str = "") -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        if number_format:
            cell.number_format = number_format
        return cell

    def money(self, fen: int | None) -> WriteOnlyCell:
        return self.cell(yuan(fen), MONEY_FORMAT)

    def append(self, row: Iterable[object]) -> None:
        self.sheet.append(list(row))


def _save(workbook: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        workbook.save(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _in_batches(
    session: Session,
    query: Select[Any],
    key: InstrumentedAttribute[Any],
    total: int,
    progress: Progress,
) -> Iterator[Sequence[Any]]:
    """The query's rows BATCH at a time in key order (keyset paging: each batch is an index
    seek), dropped from the session after use; progress reported after each batch."""
    done, last = 0, None
    while True:
        page = query if last is None else query.where(key > last)
        batch = session.scalars(page.order_by(key).limit(BATCH)).all()
        if not batch:
            return
        yield batch
        done += len(batch)
        last = getattr(batch[-1], key.key)
        session.expunge_all()
        progress(done, total)


def export_products(db: Database, path: Path, progress: Progress = _no_progress) -> Exported:
    """Products on sale or paused (not deleted), by SKU, in the import template's columns."""
    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook, "商品", PRODUCT_HEADERS)
    listed = Product.status != "deleted"
    with db.read() as session:  # one snapshot: the count and the rows agree
        total = session.scalar(select(func.count()).select_from(Product).where(listed)) or 0
        categories = {
            id_: name for id_, name in session.execute(select(Category.id, Category.name))
        }
        query = select(Product).where(listed).options(selectinload(Product.barcodes))
        for batch in _in_batches(session, query, Product.sku, total, progress):
            for product in batch:
                sheet.append(
                    (
                        "/".join(sorted(b.code for b in product.barcodes)),
                        product.name,
                        sheet.money(product.price_fen),
                        sheet.money(product.member_price_fen),
                        sheet.money(product.cost_fen),
                        product.unit,
                        categories.get(product.category_id or 0, ""),
                        product.sku,
                        "是" if product.weighed else "否",
                        product.plu_code or "",
                    )
                )
    _save(workbook, path)
    return Exported(path, total)


def export_members(db: Database, path: Path, progress: Progress = _no_progress) -> Exported:
    """The members this till knows, with their balances as last heard from the mall."""
    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook, "会员", MEMBER_HEADERS)
    with db.read() as session:
        zone = time_zone(session)
        members = session.scalars(select(KnownMember).order_by(KnownMember.member_id)).all()
        for member in members:
            sheet.append(
                (
                    member.member_id,
                    member.name,
                    member.tier,
                    member.phone_tail,
                    member.card_no,
                    member.points_balance,
                    sheet.money(member.stored_value_fen),
                    member.known_at.astimezone(zone).strftime(TIME_FORMAT),
                )
            )
    progress(len(members), len(members))
    _save(workbook, path)
    return Exported(path, len(members))


def _bounds(session: Session, first: date, last: date) -> tuple[datetime, datetime]:
    """The period's first and last days in the store's time zone, as instants."""
    zone = time_zone(session)
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    return start, end


def export_sales(
    db: Database, path: Path, first: date, last: date, progress: Progress = _no_progress
) -> Exported:
    """Sales and refunds from first to last (store days), oldest first, with their lines."""
    workbook = Workbook(write_only=True)
    sales_sheet = _Sheet(workbook, "销售单", SALE_HEADERS)
    lines_sheet = _Sheet(workbook, "销售明细", LINE_HEADERS)
    with db.read() as session:  # one snapshot: the count and the rows agree
        zone = time_zone(session)
        start, end = _bounds(session, first, last)
        in_period = (Sale.created_at >= start, Sale.created_at < end)
        total = session.scalar(select(func.count()).select_from(Sale).where(*in_period)) or 0
        cashiers = {id_: name for id_, name in session.execute(select(Staff.id, Staff.name))}
        query = (
            select(Sale)
            .where(*in_period)
            .options(selectinload(Sale.lines), selectinload(Sale.payments))
        )
        for batch in _in_batches(session, query, Sale.id, total, progress):
            for sale in batch:
                when = sale.created_at.astimezone(zone).strftime(TIME_FORMAT)
                tenders = "、".join(
                    f"{TENDER_LABELS.get(p.kind, p.kind)} {yuan(p.amount_fen)}"
                    for p in sale.payments
                )
                sales_sheet.append(
                    (
                        sale.sale_no,
                        when,
                        KINDS.get(sale.kind, sale.kind),
                        sale.till_id,
                        cashiers.get(sale.cashier_id, ""),
                        sale.member_id or "",
                        sales_sheet.money(sale.subtotal_fen),
                        sales_sheet.money(sale.discount_fen),
                        sales_sheet.money(sale.rounding_fen),
                        sales_sheet.money(sale.total_fen),
                        tenders,
                    )
                )
                for line in sale.lines:
                    lines_sheet.append(_line_row(lines_sheet, sale.sale_no, when, line))
    _save(workbook, path)
    return Exported(path, total)


def _line_row(sheet: _Sheet, sale_no: str, when: str, line: SaleLine) -> tuple[object, ...]:
    qty = sheet.cell(Decimal(line.qty).scaleb(-3), KG_FORMAT) if line.weighed else line.qty
    return (
        sale_no,
        when,
        line.line_no,
        line.sku,
        line.barcode,
        line.name,
        qty,
        sheet.money(line.unit_price_fen),
        sheet.money(line.discount_fen),
        sheet.money(line.net_fen),
    )
