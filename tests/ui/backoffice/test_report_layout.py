"""The reports read at 1024×768 (issue 23): a report's table shows every column (上期 and 变化
included) beside its chart."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import MAX_UNITS
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.refund import refund_sale
from pos_app.services.reports import REPORTS
from pos_app.services.stock import find_product
from pos_app.store.db import Database
from pos_app.ui.backoffice.window import WINDOW_SIZE
from pos_app.ui.qt import Qt
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.ui.backoffice.test_backoffice_window import MANAGER, idle, open_window

SALES_PER_TENDER = 30
TENDERS = (TenderKind.WECHAT, TenderKind.ALIPAY, TenderKind.CASH, TenderKind.CARD)


@pytest.fixture
def sold(db: Database) -> int:
    """A shop's day of takings in each of four tenders (six-figure amounts, as the columns of
    a real month are wide), and a refund."""
    for kind in TENDERS:
        for _ in range(SALES_PER_TENDER):
            cart = Cart()
            with db.read() as session:
                cart.add(find_product(session, barcode_of("1001")).info, qty=MAX_UNITS)
            tenders = [Tender(kind, cart.total_fen)]
            paid = checkout(db, cart=cart, tenders=tenders, cashier_id=CASHIER_ID)
    refund_sale(
        db, sale_no=paid.sale_no, quantities={1: 3}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    return len(TENDERS)


WIDE_REPORTS = ("payment_mix", "by_category", "by_cashier", "margin", "sales_by_week")


def test_every_column_of_the_short_reports_is_seen_without_scrolling(
    qtbot: QtBot, db: Database, sold: int
) -> None:
    """payment mix, categories, cashiers, margin and weeks: no horizontal scrolling at 1024 px,
    and the chart keeps more than a third of the width."""
    window = open_window(qtbot, db, MANAGER)
    window.resize(*WINDOW_SIZE)
    window.show_page(window.reports)
    page = window.reports
    for spec in REPORTS:
        if spec.key not in WIDE_REPORTS:
            continue
        page.show_report(spec.key)
        idle(qtbot, window)
        qtbot.waitUntil(lambda: page.view.horizontalScrollBar().maximum() == 0, timeout=5_000)
        assert page.chart.width() > window.width() / 3, spec.key


def test_a_table_too_wide_for_its_pane_scrolls_with_its_first_column_frozen(
    qtbot: QtBot, db: Database, sold: int
) -> None:
    """Narrowed until its figures scroll sideways, a report's table keeps the first column
    (rank, day, tender …) in place over the left edge, rows in step with the figures."""
    window = open_window(qtbot, db, MANAGER)
    window.resize(*WINDOW_SIZE)
    window.show_page(window.reports)
    page = window.reports
    page.show_report("payment_mix")
    idle(qtbot, window)
    total = sum(page.panes.sizes())
    page.panes.setSizes([total - 220, 220])
    view, bar = page.view, page.view.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    bar.setValue(bar.maximum())
    frozen = view.frozen
    assert frozen.isVisible()
    assert frozen.geometry().left() == view.frameWidth()
    assert frozen.width() == view.columnWidth(0) > 0
    shown = [c for c in range(page.model.columnCount()) if not frozen.isColumnHidden(c)]
    assert shown == [0]
    assert frozen.model().headerData(0, Qt.Orientation.Horizontal) == "收款方式"
    assert frozen.model().rowCount() == page.model.rowCount() == sold
    view.selectRow(2)
    assert frozen.selectionModel().isRowSelected(2)
