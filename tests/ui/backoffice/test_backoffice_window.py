"""The back-office window on a real database: the figures it shows come from the database, its
pages post receipts, stocktakes and product edits, and a cashier can only look."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.demo.data import generate_demo_catalog, seed_demo_store
from pos_app.demo.sales import SalesPlan, generate_sales
from pos_app.services.report_period import Period, shop_today
from pos_app.services.report_table import grouped_fen
from pos_app.services.report_worker import InProcessReports
from pos_app.services.reports import REPORTS, run_report
from pos_app.services.stock import find_product, on_hand
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import PrintJob, Product, StockMove
from pos_app.ui.backoffice.widgets import Viewer
from pos_app.ui.backoffice.window import BackOfficeWindow
from pos_app.ui.i18n import set_language
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tools.backoffice_screenshots import capture_backoffice
from tools.screen_texts import Texts

MANAGER = Viewer(MANAGER_ID, "李经理", "manager")
CASHIER = Viewer(CASHIER_ID, "张三", "cashier")
COLA = barcode_of("1001")


def idle(qtbot: QtBot, window: BackOfficeWindow) -> None:
    qtbot.waitUntil(lambda: not window.ops.busy, timeout=30_000)  # a report process starts


def open_window(
    qtbot: QtBot, db: Database, viewer: Viewer, *, own_process: bool = False
) -> BackOfficeWindow:
    """The window on db; figures in this thread unless own_process (the real setup)."""
    set_language("zh_CN")
    reports = None if own_process else InProcessReports(db)
    window = BackOfficeWindow(db, viewer, reports=reports)
    qtbot.addWidget(window)
    window.show()
    idle(qtbot, window)
    return window


def test_dashboard_shows_todays_figures_from_the_database(
    qtbot: QtBot, db: Database, sold: int
) -> None:
    """Net sales and receipts tiles show what checkout stored (computed in the report
    process); no receipt claimed yet, so the QR tile reads 0 %."""
    window = open_window(qtbot, db, MANAGER, own_process=True)
    window.period_bar.set_period(Period(shop_today(), shop_today()))
    idle(qtbot, window)
    tiles = window.dashboard.tiles
    assert tiles["net_fen"].value.text() == grouped_fen(sold)
    assert tiles["receipts"].value.text() == "2"
    assert tiles["qr_claim_share_bp"].value.text() == "0.00 %"  # no claim synced yet
    assert window.dashboard.top_model.rowCount() == 2


def test_every_report_shows_the_rows_of_its_report(qtbot: QtBot, db: Database, sold: int) -> None:
    """Each report's table has the service's rows; the chart is drawn unless not available."""
    window = open_window(qtbot, db, MANAGER)
    window.show_page(window.reports)
    period = window.period_bar.period()
    for spec in REPORTS:
        window.reports.show_report(spec.key)
        idle(qtbot, window)
        with db.read() as session:
            expected = run_report(session, spec.key, period)
        assert window.reports.model.rowCount() == len(expected.rows), spec.key
        assert window.reports.chart.isVisible(), spec.key
        assert window.reports.chart.chart().series(), spec.key


def test_csv_export_writes_the_report_on_show(
    qtbot: QtBot, db: Database, sold: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export goes where the (replaced) save dialog says, with the table's rows."""
    window = open_window(qtbot, db, MANAGER)
    window.show_page(window.reports)
    window.reports.show_report("payment_mix")
    idle(qtbot, window)
    target = tmp_path / "mix.csv"
    monkeypatch.setattr(window.reports, "ask_save_path", lambda _suggested, _pattern: target)
    window.reports.export_csv()
    idle(qtbot, window)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("收款方式") and lines[1].startswith("现金")


def test_receiving_a_scanned_line_posts_stock(qtbot: QtBot, db: Database) -> None:
    """Scan, quantity, cost, add, post: the stock goes up and the document number is shown."""
    window = open_window(qtbot, db, MANAGER)
    page = window.receiving
    window.show_page(page)
    page.supplier.setEditText("康师傅经销商")
    window.on_scan(COLA)
    idle(qtbot, window)
    page.qty.setText("24")
    page.cost.setText("2.10")
    page.add_line()
    idle(qtbot, window)
    assert page.model.rowCount() == 1
    page.post()
    idle(qtbot, window)
    assert "RK000001" in page.message.text() and page.model.rowCount() == 0
    with db.read() as session:
        assert on_hand(session, find_product(session, COLA).product_id) == 24


def test_stocktake_shows_the_variance_and_posts_it(qtbot: QtBot, db: Database) -> None:
    """Open, count a product, see its variance in the table, post: one count delta."""
    window = open_window(qtbot, db, MANAGER)
    page = window.stocktake
    window.show_page(page)
    page.writes[0].click()  # open
    idle(qtbot, window)
    window.on_scan(COLA)
    page.counted.setText("5")
    page.record()
    idle(qtbot, window)
    assert page.model.cell(0, "差异") == "5"
    page.post()
    idle(qtbot, window)
    with db.read() as session:
        deltas = list(session.scalars(select(StockMove.delta).where(StockMove.reason == "count")))
    assert deltas == [5] and "PD000001" in page.message.text()


def test_product_price_edit_is_saved_and_queues_a_label(qtbot: QtBot, db: Database) -> None:
    """A scanned product opens in the form; a new price is saved and a label waits."""
    window = open_window(qtbot, db, MANAGER)
    page = window.products
    window.show_page(page)
    window.on_scan(COLA)
    idle(qtbot, window)
    assert page.fields.name.text() == "可口可乐 330ml"
    page.fields.price.setText("3.80")
    page.save()
    idle(qtbot, window)
    with db.read() as session:
        price = session.scalar(select(Product.price_fen).where(Product.sku == "1001"))
    assert price == 380 and page.labels_button.text() == "打印价签 (1)"


def test_a_cashier_sees_the_figures_but_every_change_is_disabled(
    qtbot: QtBot, db: Database
) -> None:
    """Read-only for cashiers: post, save and stocktake buttons are off."""
    window = open_window(qtbot, db, CASHIER)
    assert not window.receiving.post_button.isEnabled()
    assert not any(b.isEnabled() for b in window.products.writes)
    window.show_page(window.stocktake)
    idle(qtbot, window)
    assert not any(b.isEnabled() for b in window.stocktake.writes)


def test_capture_renders_every_screen_at_1024_by_768(qtbot: QtBot, tmp_path: Path) -> None:
    """Dashboard, a chart per report, receiving, stocktake, stock, product, members: a PNG each,
    each page within 1024×768 with no text cut short."""
    path = tmp_path / "demo.db"
    upgrade(path)
    db = Database(path)
    seed_demo_store(db)
    generate_demo_catalog(db, 200, seed=2)
    first = shop_today() - timedelta(days=20)
    generate_sales(db, SalesPlan(first_day=first, days=20, sales_per_day=15))
    texts: Texts = {}
    shots = capture_backoffice(db, tmp_path / "shots", texts)
    db.dispose()
    assert len(shots) == len(REPORTS) + 7
    assert all(Image.open(shot).size == (1024, 768) for shot in shots)
    problems = {shot: found for shot, found in texts.items() if shot.startswith("fit:") and found}
    assert problems == {}  # nothing outside the window, no text cut short (打印日结 included)


def test_print_daily_summary_queues_a_report_job(qtbot: QtBot, db: Database, sold: int) -> None:
    """打印日结 queues the day's summary for the receipt printer and says so."""
    window = open_window(qtbot, db, MANAGER)
    window.period_bar.set_period(Period(shop_today(), shop_today()))
    idle(qtbot, window)
    window.dashboard.print_button.click()
    idle(qtbot, window)
    assert "日结已送往" in window.dashboard.message.text()
    with db.read() as session:
        kinds = list(session.scalars(select(PrintJob.kind)))
    assert kinds == ["report"]
