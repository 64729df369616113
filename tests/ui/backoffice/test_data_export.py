"""导出与备份 in the back office: products, members and the period's sales written to XLSX on
the background runner with a progress bar, read back with openpyxl (Chinese headers, one row
each); the product export imports back unchanged; the import template has the Chinese headers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pos_app.domain.gtin import make_ean13
from pos_app.services.catalog_file import TEMPLATE_HEADERS
from pos_app.services.catalog_import import import_catalog
from pos_app.services.xlsx_export import LINE_HEADERS, PRODUCT_HEADERS, SALE_HEADERS
from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember
from pos_app.store.models import Barcode, Product, SaleLine
from pos_app.ui.backoffice.window import BackOfficeWindow
from tests.conftest import barcode_of
from tests.install.test_setup_wizard import product_list
from tests.ui.backoffice.test_backoffice_window import MANAGER, idle, open_window


def rows_of(path: Path, sheet: str) -> list[tuple[object, ...]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()


def export(
    qtbot: QtBot, window: BackOfficeWindow, name: str, target: Path, mp: pytest.MonkeyPatch
) -> list[tuple[int, int]]:
    """Press the page's export button `name` saving to target; returns the progress shown."""
    page = window.data
    moved: list[tuple[int, int]] = []
    page._progress.moved.connect(lambda done, total: moved.append((done, total)))
    mp.setattr(page, "ask_save_path", lambda _suggested: target)
    button = next(b for b in page.buttons if b.objectName() == name)
    button.click()
    assert page.progress.isVisible() and not button.isEnabled()  # busy while it writes
    idle(qtbot, window)
    assert not page.progress.isVisible() and button.isEnabled()
    return moved


def test_products_members_and_sales_go_to_excel_with_chinese_headers(
    qtbot: QtBot, db: Database, sold: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.write() as session:
        session.add(
            KnownMember(
                member_id="M000000424", name="王女士", phone_tail="5678", points_balance=120
            )
        )
    with db.read() as session:
        products = session.scalar(select(func.count()).select_from(Product)) or 0
        lines = session.scalar(select(func.count()).select_from(SaleLine)) or 0
    window = open_window(qtbot, db, MANAGER)
    window.show_page(window.data)

    moved = export(qtbot, window, "export_products", tmp_path / "商品.xlsx", monkeypatch)
    assert moved[-1] == (products, products)
    assert f"已导出 {products} 行" in window.data.message.text()
    rows = rows_of(tmp_path / "商品.xlsx", "商品")
    assert rows[0] == PRODUCT_HEADERS and rows[0][:4] == (
        "商品条码",
        "商品名称",
        "零售价",
        "会员价",
    )
    assert len(rows) == products + 1
    cola = next(row for row in rows if row[0] == barcode_of("1001"))
    assert cola[1] == "可口可乐 330ml" and Decimal(str(cola[2])) == Decimal("3.50")
    report = import_catalog(db, tmp_path / "商品.xlsx")  # the export is a valid import file
    assert report.errors == [] and report.written and report.updated == products

    export(qtbot, window, "export_members", tmp_path / "会员.xlsx", monkeypatch)
    members = rows_of(tmp_path / "会员.xlsx", "会员")
    assert members[0][:4] == ("会员号", "姓名", "等级", "手机尾号")
    assert members[1][:2] == ("M000000424", "王女士") and members[1][5] == 120

    moved = export(qtbot, window, "export_sales", tmp_path / "销售.xlsx", monkeypatch)
    assert moved[-1] == (2, 2)
    sales = rows_of(tmp_path / "销售.xlsx", "销售单")
    assert sales[0] == SALE_HEADERS and len(sales) == 3
    assert [row[2] for row in sales[1:]] == ["销售", "销售"]
    assert sum(Decimal(str(row[9])) for row in sales[1:]) == Decimal(sold).scaleb(-2)
    assert all(str(row[10]).startswith("现金") for row in sales[1:])
    detail = rows_of(tmp_path / "销售.xlsx", "销售明细")
    assert detail[0] == LINE_HEADERS and len(detail) == lines + 1


def test_the_import_template_has_the_chinese_headers(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, db, MANAGER)
    window.show_page(window.data)
    target = tmp_path / "模板.xlsx"
    monkeypatch.setattr(window.data, "ask_save_path", lambda _suggested: target)
    next(b for b in window.data.buttons if b.objectName() == "export_template").click()
    idle(qtbot, window)
    assert "模板已保存" in window.data.message.text()
    assert rows_of(target, "商品")[0] == TEMPLATE_HEADERS


def test_a_product_list_is_imported_whole_or_not_at_all(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list with a nameless row is refused row by row in Chinese and nothing is stored; the
    fixed list is imported."""
    window = open_window(qtbot, db, MANAGER)
    page = window.data
    window.show_page(page)
    noodles = make_ean13("692999000001")
    bad = product_list(tmp_path / "bad.xlsx", [(noodles, "", "4.50", "3")])
    good = product_list(tmp_path / "good.xlsx", [(noodles, "康师傅红烧牛肉面", "4.50", "3.00")])
    for path in (bad, good):
        monkeypatch.setattr(page, "ask_open_path", lambda path=path: path)
        next(b for b in page.buttons if b.objectName() == "import_products").click()
        idle(qtbot, window)
        with db.read() as session:
            found = session.scalar(select(Barcode.product_id).where(Barcode.code == noodles))
        if path is bad:
            assert "第 2 行" in page.report.toPlainText() and found is None
            assert "商品都没有导入" in page.message.text()
    assert found is not None and "已导入 1 个商品" in page.message.text()
