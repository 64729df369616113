"""Building blocks of the back-office pages: a table model of ready-made text rows, a table
view, the date range bar with presets and previous-period comparison, and the page base class
that runs its database work in the background. Runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias, TypeVar

from pos_app.services.database import Database
from pos_app.services.report_period import Period, shop_today
from pos_app.services.report_table import Kind, figure_text
from pos_app.services.report_worker import ReportRunner
from pos_app.ui.backoffice.qt_extra import QCheckBox, QDate, QDateEdit, QResizeEvent, QSplitter
from pos_app.ui.backoffice.texts import bt, problem_text
from pos_app.ui.i18n import InputError
from pos_app.ui.ops import OpRunner
from pos_app.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import GRAMS_PER_KG, show_message

T = TypeVar("T")
Index: TypeAlias = QModelIndex | QPersistentModelIndex
MAX_COLUMN_PX = 180
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class RowsModel(QAbstractTableModel):
    """Rows of text already formatted for the screen; numeric columns right-aligned."""

    def __init__(self, headers: Sequence[str] = (), numeric: Sequence[bool] = ()) -> None:
        super().__init__()
        self.headers = list(headers)
        self.numeric = list(numeric)
        self.rows: list[list[str]] = []

    def set_rows(
        self, rows: list[list[str]], headers: Sequence[str] = (), numeric: Sequence[bool] = ()
    ) -> None:
        self.beginResetModel()
        self.rows = rows
        if headers:
            self.headers, self.numeric = list(headers), list(numeric)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = index.column() < len(self.numeric) and self.numeric[index.column()]
            return int((RIGHT if numeric else LEFT).value)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def cell(self, row: int, column: str) -> str:
        return self.rows[row][self.headers.index(column)]


def table_view(model: RowsModel, name: str) -> QTableView:
    """A read-only, row-selecting table that fits its columns to the text."""
    view = QTableView(objectName=name)
    _read_only_rows(view, model)
    return view


def _read_only_rows(view: QTableView, model: RowsModel) -> None:
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMaximumSectionSize(MAX_COLUMN_PX)  # long product names elide; figures stay seen
    header.setStretchLastSection(True)


class FrozenFirstColumn(QTableView):
    """A report table whose first column (the day, product, tender …) stays in place while the
    figures scroll sideways, when the pane is narrower than the table: Qt's frozen-column
    pattern, a second view over the left edge that shows column 0 only, sharing the model, the
    selection and the vertical scrolling."""

    def __init__(self, model: RowsModel, name: str) -> None:
        super().__init__(objectName=name)
        _read_only_rows(self, model)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)  # reach all
        self.frozen = QTableView(self, objectName=f"{name}_frozen")
        _read_only_rows(self.frozen, model)
        self.frozen.setSelectionModel(self.selectionModel())
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.horizontalHeader().setStretchLastSection(False)
        for bar in ("Horizontal", "Vertical"):
            getattr(self.frozen, f"set{bar}ScrollBarPolicy")(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setFrameShape(QFrame.Shape.NoFrame)  # the table's own frame stays seen
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._resized)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        model.modelReset.connect(self._columns_changed)

    def _columns_changed(self) -> None:
        for column in range(self.model().columnCount()):
            self.frozen.setColumnHidden(column, column != 0)
        self._resized(0, 0, self.columnWidth(0))

    def _resized(self, column: int, _old: int, width: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, width)
            self._place()

    def _place(self) -> None:
        frame = self.frameWidth()
        height = self.viewport().height() + self.horizontalHeader().height()
        self.frozen.setGeometry(frame, frame, self.columnWidth(0), height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def scrollTo(
        self,
        index: Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        """Selecting a row does not scroll the figures back under the frozen column."""
        if index.column() > 0:
            super().scrollTo(index, hint)


@dataclass(frozen=True)
class Viewer:
    """Who opened the back office; only a manager may change data."""

    staff_id: int
    name: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role == "manager"

    @classmethod
    def of(cls, staff: Any) -> Viewer:
        """From a Staff row (id) or the till's StaffInfo (staff_id)."""
        staff_id = getattr(staff, "staff_id", None) or staff.id
        return cls(int(staff_id), str(staff.name), str(staff.role))


@dataclass(frozen=True)
class Shared:
    """What every back-office page works with: the database, the background runner, who is
    signed in, the period on show and where report figures are computed."""

    db: Database
    ops: OpRunner
    viewer: Viewer
    period_bar: PeriodBar
    reports: ReportRunner
    zone: tzinfo  # the store's time zone: every time on the pages is shown in it


class Page(QWidget):
    """A back-office page: its database work runs on the runner's worker thread; the results
    and errors come back here on the GUI thread. `message` shows the last outcome."""

    def __init__(self, shared: Shared) -> None:
        super().__init__()
        self.db, self.ops, self.viewer = shared.db, shared.ops, shared.viewer
        self.period_bar, self.reports = shared.period_bar, shared.reports
        self.zone = shared.zone
        self.message = QLabel(objectName="message")
        self.message.setWordWrap(True)

    def run(self, op: Callable[[], T], done: Callable[[T], None]) -> None:
        """op runs in the background (no widgets!); done(result) back on the GUI thread."""
        self.ops.run(op, success=done, failure=self.fail, owner=self)

    def fail(self, error: Exception) -> None:
        show_message(self.message, problem_text(error), error=True)

    def say(self, text: str) -> None:
        show_message(self.message, text, error=False)

    def on_scan(self, code: str) -> None:
        """A scanned code while this page is shown; pages that take scans override it."""

    def refresh(self) -> None:
        """Load what the page shows (called when it is shown or the period changes)."""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


PRESETS: dict[str, Callable[[date], Period]] = {
    "preset_today": lambda today: Period(today, today),
    "preset_last7": lambda today: Period.ending(today, 7),
    "preset_last30": lambda today: Period.ending(today, 30),
    "preset_last90": lambda today: Period.ending(today, 90),
    "preset_month": lambda today: Period(today.replace(day=1), today),
    "preset_year": lambda today: Period(
        today.replace(year=today.year - 1) + timedelta(days=1), today
    ),
}


class PeriodBar(QWidget):
    """From/to dates, presets and the compare switch; `changed` fires with the new period."""

    changed = Signal()

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or shop_today()
        self.first = QDateEdit(objectName="period_first", calendarPopup=True)
        self.last = QDateEdit(objectName="period_last", calendarPopup=True)
        for edit in (self.first, self.last):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.presets = QComboBox(objectName="period_preset")
        for key in (*PRESETS, "preset_custom"):
            self.presets.addItem(bt(key), key)
        self.compare = QCheckBox(bt("compare"), objectName="compare")
        self.compare.setChecked(True)
        self.previous = QLabel(objectName="previous_period")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel(bt("from")), self.first, QLabel(bt("to")), self.last, self.presets):
            layout.addWidget(widget)
        layout.addWidget(self.compare)
        layout.addWidget(self.previous, 1)
        self.set_period(PRESETS["preset_last30"](self.today))
        self.presets.activated.connect(self._preset)
        self.first.dateChanged.connect(self._edited)
        self.last.dateChanged.connect(self._edited)
        self.compare.toggled.connect(lambda _on: self.changed.emit())

    def period(self) -> Period:
        first, last = _pydate(self.first.date()), _pydate(self.last.date())
        return Period(min(first, last), max(first, last))

    def set_period(self, period: Period) -> None:
        for edit, day in ((self.first, period.first), (self.last, period.last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self._edited()

    def _preset(self, index: int) -> None:
        preset = PRESETS.get(self.presets.itemData(index))
        if preset is not None:
            self.set_period(preset(self.today))

    def _edited(self) -> None:
        period = self.period()
        matching = [key for key, preset in PRESETS.items() if preset(self.today) == period]
        self.presets.setCurrentIndex(self.presets.findData(next(iter(matching), "preset_custom")))
        before = period.previous()
        self.previous.setText(bt("previous_period", first=before.first, last=before.last))
        self.changed.emit()


def parse_count(text: str, *, weighed: bool) -> int:
    """A typed count: whole units, or kilograms (→ grams); zero is a count too."""
    try:
        value = Decimal(text.strip()) * (GRAMS_PER_KG if weighed else 1)
    except InvalidOperation:
        raise InputError(bt("bad_number")) from None
    if value < 0 or value != value.to_integral_value():
        raise InputError(bt("bad_number"))
    return int(value)


def qty_str(qty: int, *, weighed: bool) -> str:
    """Units, or grams as signed kilograms (-350 → "-0.350 kg")."""
    return figure_text(Kind.QTY, qty, weighed=weighed)


def button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    widget = QPushButton(text, objectName=name)
    widget.clicked.connect(lambda _checked=False: slot())
    return widget


PANE_SIZES = (560, 440)  # two panes across the 1024 px window, the left a little wider


def side_by_side(left: QWidget, right: QWidget, sizes: Sequence[int] = PANE_SIZES) -> QSplitter:
    """Two panes the user can resize (a list and its detail, a chart and its table)."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setSizes(list(sizes))
    return splitter


def column(*widgets: QWidget) -> QWidget:
    """Widgets stacked with no margin; the last one takes the spare height."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets[:-1]:
        layout.addWidget(widget)
    layout.addWidget(widgets[-1], 1)
    return box
