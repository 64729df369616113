"""The dashboard: the period's key figures beside the previous period's, net sales per day,
the best sellers and the payment mix. Runs on the GUI thread; figures load in the background.
"""

from __future__ import annotations

from decimal import Decimal

from pos_app.services.daily_summary import print_daily_summary
from pos_app.services.report_kpis import Kpi
from pos_app.services.report_table import figure_text
from pos_app.services.report_worker import DashboardFigures, dashboard_figures
from pos_app.ui.backoffice.charts import chart_view, show_chart
from pos_app.ui.backoffice.reports_page import fill_model, readable
from pos_app.ui.backoffice.texts import TEXTS, bt
from pos_app.ui.backoffice.widgets import (
    FrozenFirstColumn,
    Page,
    RowsModel,
    Shared,
    button,
    side_by_side,
)
from pos_app.ui.qt import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

TILES = (
    "net_fen",
    "receipts",
    "avg_basket_fen",
    "member_share_bp",
    "margin_fen",
    "margin_bp",
    "refunds_fen",
    "void_lines",
    "qr_claim_share_bp",
)
TILE_COLUMNS = 3
GOOD, BAD, FLAT = "#2e7d32", "#c62828", "#607d8b"
LOWER_IS_BETTER = frozenset({"void_lines", "void_sales", "refund_receipts", "refunds_fen"})


def change_text(kpi: Kpi) -> tuple[str, str]:
    """(text, colour) of a figure's change against the previous period."""
    change = kpi.change_bp
    if kpi.current is None:
        return bt("not_synced"), FLAT
    if change is None:
        return bt("no_previous"), FLAT
    better = -change if kpi.key in LOWER_IS_BETTER else change
    colour = GOOD if better > 0 else BAD if better < 0 else FLAT
    amount = Decimal(change) / 100
    if kpi.in_points:
        return bt("change_points", change=f"{amount:+.2f}"), colour
    if kpi.more_or_less:
        return bt(f"change_{kpi.more_or_less}", change=f"{abs(amount):.2f}"), colour
    return bt("change", change=f"{amount:+.2f} %"), colour


class Tile(QFrame):
    """One key figure: its name, the value large, the change below."""

    def __init__(self, key: str) -> None:
        super().__init__(objectName=f"tile_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#tile_{key} {{ background: #fafafa; border-radius: 6px; }}")
        self.value = QLabel("—", objectName="value")
        self.change = QLabel(objectName="change")
        self.change.setWordWrap(True)
        font = self.value.font()
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.value.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(QLabel(bt(f"kpi_{key}")))
        if f"tip_{key}" in TEXTS:
            self.setToolTip(bt(f"tip_{key}"))
        layout.addWidget(self.value)
        layout.addWidget(self.change)

    def show_kpi(self, kpi: Kpi) -> None:
        value = figure_text(kpi.kind, kpi.current)
        self.value.setText(value or bt("not_available"))
        text, colour = change_text(kpi)
        self.change.setText(text)
        self.change.setStyleSheet(f"color: {colour};")


class Dashboard(Page):
    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.tiles = {key: Tile(key) for key in TILES}
        tiles = QWidget()
        grid = QGridLayout(tiles)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, n // TILE_COLUMNS, n % TILE_COLUMNS)
        self.trend = chart_view("trend_chart")
        self.mix = chart_view("mix_chart")
        self.top_model = RowsModel()
        self.top = FrozenFirstColumn(self.top_model, "top_table")
        upper = side_by_side(tiles, self.trend, (600, 400))
        lower = side_by_side(self._titled(bt("dash_top"), self.top), self.mix)
        self.print_button = button(bt("print_daily"), "print_daily", self.print_daily_summary)
        footer = QHBoxLayout()
        footer.addWidget(self.message, 1)
        footer.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(upper, 3)
        layout.addWidget(lower, 2)
        layout.addLayout(footer)

    def print_daily_summary(self) -> None:
        """The last day of the period, summarised on the receipt printer (queued, not waited)."""
        db, day = self.db, self.period_bar.period().last
        self.run(lambda: print_daily_summary(db, day), lambda _job: self.say(bt("printed_daily")))

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(title))
        layout.addWidget(widget)
        return box

    def refresh(self) -> None:
        reports, period = self.reports, self.period_bar.period()
        compare = self.period_bar.compare.isChecked()
        self.say(bt("working"))
        self.run(lambda: reports.call(dashboard_figures, period, compare), self._show)

    def _show(self, data: DashboardFigures) -> None:
        self.say("")
        for key, tile in self.tiles.items():
            tile.show_kpi(data.kpis[key])
        fill_model(self.top_model, readable(data.top))
        show_chart(self.trend, readable(data.trend), bt("dash_trend"))
        show_chart(self.mix, readable(data.mix), bt("report_payment_mix"))
