"""The reports: pick one, see its chart with the table beside it for the chosen period (and the
previous period when comparing), export it to CSV, or every report to one Excel workbook.
Runs on the GUI thread; the figures are computed on the runner's worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from pos_app.services.report_kpis import Kpi
from pos_app.services.report_table import (
    Column,
    Kind,
    ReportTable,
    cell_text,
    export_csv,
    export_xlsx,
)
from pos_app.services.report_worker import every_report, report_figures
from pos_app.services.reports import REPORTS, REPORTS_BY_KEY
from pos_app.ui.backoffice.charts import chart_view, show_chart
from pos_app.ui.backoffice.qt_extra import QFileDialog, QSplitter
from pos_app.ui.backoffice.texts import bt, value_text
from pos_app.ui.backoffice.widgets import (
    MAX_COLUMN_PX,
    FrozenFirstColumn,
    Page,
    RowsModel,
    Shared,
    button,
    side_by_side,
)
from pos_app.ui.qt import QComboBox, QHBoxLayout, QTableView, QVBoxLayout

KEY_COLUMNS = frozenset({"tender", "kind", "segment", "category"})
NUMERIC_KINDS = frozenset({Kind.COUNT, Kind.FEN, Kind.BP, Kind.QTY})


def readable(table: ReportTable) -> ReportTable:
    """The table with key-like values named for people (wechat → 微信支付, "" → 未分类)."""
    keyed = [i for i, c in enumerate(table.columns) if c.key in KEY_COLUMNS]
    rows = tuple(
        tuple(value_text(v) if i in keyed else v for i, v in enumerate(row)) for row in table.rows
    )
    return replace(table, rows=rows)


def headers(table: ReportTable) -> dict[str, str]:
    return {c.key: bt(f"col_{c.key}") for c in table.visible_columns()}


def worded_change(table: ReportTable, row: Sequence[object]) -> str | None:
    """The 变化 cell of a row whose figure is below zero in both periods (refunds, the 抹零, a
    product refunded more than sold), worded as more or less (多 / 少) of it; None where the
    signed change reads right."""
    spec = REPORTS_BY_KEY.get(table.report)
    if spec is None or "previous" not in {c.key for c in table.columns}:
        return None
    value, previous = row[table.index(spec.value)], row[table.index("previous")]
    if not isinstance(value, int) or not isinstance(previous, int):
        return None
    kpi = Kpi(spec.value, table.columns[table.index(spec.value)].kind, value, previous)
    if kpi.more_or_less is None or kpi.change_bp is None:
        return None
    return bt(f"cell_{kpi.more_or_less}", change=f"{Decimal(abs(kpi.change_bp)) / 100:.2f}")


def _cell(table: ReportTable, row: Sequence[object], column: Column) -> str:
    if column.key == "change_bp":
        worded = worded_change(table, row)
        if worded:
            return worded
    return cell_text(table, row, column) or "—"


def fill_model(model: RowsModel, table: ReportTable) -> None:
    """Show a (readable) report table in a RowsModel."""
    columns = table.visible_columns()
    rows = [[_cell(table, row, c) for c in columns] for row in table.rows]
    names = headers(table)
    model.set_rows(
        rows, [names[c.key] for c in columns], [c.kind in NUMERIC_KINDS for c in columns]
    )


TABLE_SHARE_MAX = 0.62  # the chart keeps at least 38 % of the width
FIT_SLACK_PX = 8  # the header's measure can be a few pixels short of the columns drawn


def fit_table(panes: QSplitter, view: QTableView) -> None:
    """Give the table pane the width of its columns (up to TABLE_SHARE_MAX of the page), so at
    1024 px 上期 and 变化 are seen without scrolling; the chart takes the rest."""
    header = view.horizontalHeader()
    wanted = sum(
        min(MAX_COLUMN_PX, max(view.sizeHintForColumn(i), header.sectionSizeHint(i)))
        for i in range(header.count())
    )
    wanted += 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width() + FIT_SLACK_PX
    total = sum(panes.sizes())
    table = min(wanted, int(total * TABLE_SHARE_MAX))
    panes.setSizes([total - table, table])


class ReportsPage(Page):
    """One report at a time: chart on the left, its table on the right."""

    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.table: ReportTable | None = None
        self.choice = QComboBox(objectName="report_choice")
        for spec in REPORTS:
            self.choice.addItem(bt(f"report_{spec.key}"), spec.key)
        self.choice.currentIndexChanged.connect(lambda _i: self.refresh())
        self.chart = chart_view("report_chart")
        self.model = RowsModel()
        self.view = FrozenFirstColumn(self.model, "report_table")
        top = QHBoxLayout()
        top.addWidget(self.choice, 1)
        top.addWidget(button(bt("export_csv"), "export_csv", self.export_csv))
        top.addWidget(button(bt("export_xlsx"), "export_xlsx", self.export_xlsx))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.panes = side_by_side(self.chart, self.view)
        layout.addWidget(self.panes, 1)
        layout.addWidget(self.message)

    @property
    def report_key(self) -> str:
        return str(self.choice.currentData())

    def show_report(self, key: str) -> None:
        self.choice.setCurrentIndex(self.choice.findData(key))

    def refresh(self) -> None:
        reports, key = self.reports, self.report_key
        period, compare = self.period_bar.period(), self.period_bar.compare.isChecked()
        self.say(bt("working"))
        self.run(lambda: reports.call(report_figures, key, period, compare), self._show)

    def _show(self, figures: ReportTable) -> None:
        self.table = table = readable(figures)
        self.say("")
        fill_model(self.model, table)
        fit_table(self.panes, self.view)  # first: the chart's labels follow its width
        show_chart(self.chart, table)

    def ask_save_path(self, suggested: str, pattern: str) -> Path | None:
        """Where to save an export; tests replace this to avoid the modal file dialog."""
        path, _ = QFileDialog.getSaveFileName(self, bt("export_xlsx"), suggested, pattern)
        return Path(path) if path else None

    def _suggested(self, suffix: str) -> str:
        period = self.period_bar.period()
        return str(Path.home() / f"{self.report_key}_{period.first}_{period.last}.{suffix}")

    def export_csv(self) -> None:
        table, path = self.table, self.ask_save_path(self._suggested("csv"), "CSV (*.csv)")
        if table is None or path is None:
            return
        self.run(lambda: export_csv(table, path, headers(table)), self._exported)

    def export_xlsx(self) -> None:
        path = self.ask_save_path(self._suggested("xlsx"), "Excel (*.xlsx)")
        if path is None:
            return
        reports, period = self.reports, self.period_bar.period()
        compare = self.period_bar.compare.isChecked()

        def export() -> Path:
            tables = [readable(t) for t in reports.call(every_report, period, compare)]
            names = {k: v for t in tables for k, v in headers(t).items()}
            return export_xlsx([(bt(f"report_{t.report}"), t) for t in tables], path, names)

        self.run(export, self._exported)

    def _exported(self, path: Path) -> None:
        self.say(bt("exported", path=path))
