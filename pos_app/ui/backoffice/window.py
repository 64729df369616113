"""The back office (后台管理) the shop owner opens on the till after closing: dashboard, reports,
receiving, stocktake, stock lists and history, products, members, exports and backups, and the
cost method (设置). Made for a manager; anyone else sees the figures but every button that
changes data is disabled (the services refuse them anyway).

Database work runs on a background runner (its own by default, or the till's when given), never
on the GUI thread; report figures are computed in a separate process (ReportProcess) so the
sale screen keeps its speed while they are summed. Scans reach the page on show through
on_scan(): the main window pushes it on its ScanRouter while the back office is open. Runs on
the GUI thread.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pos_app.services.database import Database
from pos_app.services.report_worker import ReportProcess, ReportRunner
from pos_app.services.till import store_time_zone
from pos_app.ui.backoffice.dashboard import Dashboard
from pos_app.ui.backoffice.data_page import DataPage
from pos_app.ui.backoffice.members_page import MembersPage
from pos_app.ui.backoffice.products_page import ProductsPage
from pos_app.ui.backoffice.qt_extra import QTabWidget
from pos_app.ui.backoffice.receiving_page import ReceivingPage
from pos_app.ui.backoffice.reports_page import ReportsPage
from pos_app.ui.backoffice.settings_page import SettingsPage
from pos_app.ui.backoffice.stock_page import StockListsPage
from pos_app.ui.backoffice.stocktake_page import StocktakePage
from pos_app.ui.backoffice.texts import bt
from pos_app.ui.backoffice.widgets import Page, PeriodBar, Shared, Viewer
from pos_app.ui.ops import OpRunner
from pos_app.ui.qt import QCloseEvent, QHBoxLayout, QLabel, QVBoxLayout, QWidget

WINDOW_SIZE = (1024, 768)


class BackOfficeWindow(QWidget):
    """The back office on one database, for one signed-in staff member (a Staff row or the
    till's StaffInfo; writing needs a manager)."""

    def __init__(
        self,
        db: Database,
        manager: Any,
        *,
        ops: OpRunner | None = None,
        reports: ReportRunner | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(bt("title"))
        self.resize(*WINDOW_SIZE)
        self.viewer = Viewer.of(manager)
        self.owns_ops = ops is None
        self.ops = ops or OpRunner(self)
        self.figures = reports or ReportProcess(db.path)
        self.owns_figures = reports is None
        self.period_bar = PeriodBar(today)
        zone = store_time_zone(db)
        shared = Shared(db, self.ops, self.viewer, self.period_bar, self.figures, zone)
        self.dashboard = Dashboard(shared)
        self.reports = ReportsPage(shared)
        self.receiving = ReceivingPage(shared)
        self.stocktake = StocktakePage(shared)
        self.stock = StockListsPage(shared)
        self.products = ProductsPage(shared)
        self.members = MembersPage(shared)
        self.data = DataPage(shared)
        self.settings = SettingsPage(shared)
        self.tabs = QTabWidget(objectName="backoffice_tabs")
        for key, page in (
            ("nav_dashboard", self.dashboard),
            ("nav_reports", self.reports),
            ("nav_receiving", self.receiving),
            ("nav_stocktake", self.stocktake),
            ("nav_stock", self.stock),
            ("nav_products", self.products),
            ("nav_members", self.members),
            ("nav_data", self.data),
            ("nav_settings", self.settings),
        ):
            self.tabs.addTab(page, bt(key))
        self._layout()
        self.tabs.currentChanged.connect(self._tab_changed)
        self.period_bar.changed.connect(self._period_changed)
        self._tab_changed()

    def _layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.period_bar, 1)
        who = bt("user", name=self.viewer.name)
        if not self.viewer.can_write:
            who += f"  ({bt('read_only')})"
        header.addWidget(QLabel(who, objectName="viewer"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

    @property
    def page(self) -> Page:
        page = self.tabs.currentWidget()
        assert isinstance(page, Page)
        return page

    def show_page(self, page: Page) -> None:
        self.tabs.setCurrentWidget(page)

    def _uses_period(self) -> bool:
        return self.page in (self.dashboard, self.reports, self.data)

    def _tab_changed(self) -> None:
        self.period_bar.setEnabled(self._uses_period())
        self.page.refresh()

    def _period_changed(self) -> None:
        if self._uses_period():
            self.page.refresh()

    def on_scan(self, code: str) -> None:
        """A scanned code goes to the page on show (receiving, stocktake, stock, products)."""
        self.page.on_scan(code)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.owns_ops:
            self.ops.shutdown()
        if self.owns_figures:
            self.figures.shutdown()
        super().closeEvent(event)
