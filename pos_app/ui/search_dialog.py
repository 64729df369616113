"""Product search (F2): results as the cashier types, by name, pinyin, initials, barcode or code.

Each keystroke restarts a short timer; the query then runs on the background runner (a search
over 1,000,000 SKUs must never freeze the screen). Answers to an older query than the newest are
dropped, so results never jump back to what was typed before. The first page shows as soon as
it is found; when more products match than it holds, a second query counts them (thousands of
matches take longer to count than to page) and the status line then shows how many match in
all. Moving past the last row shown (Down, PageDown, End) fetches the next page. Runs on the GUI
thread except the query functions.
"""

from __future__ import annotations

from pos_app.domain.money import format_fen
from pos_app.services.search import ProductHit, SearchPage
from pos_app.services.till_views import find_page
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QKeyEvent,
    QLineEdit,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import label, show_message

TYPING_PAUSE_MS = 120
RESULT_LIMIT = 50
PAGE_STEP = 10
COLUMNS = ("col_sku", "col_name", "col_price", "col_member_price", "col_unit", "col_barcode")


def _cells(hit: ProductHit) -> tuple[str, ...]:
    member = hit.member_price_fen
    return (
        hit.sku,
        hit.name,
        format_fen(hit.price_fen, symbol=False),
        "" if member is None else format_fen(member, symbol=False),
        "kg" if hit.weighed else hit.unit,
        hit.barcode or "",
    )


class SearchDialog(QDialog):
    """Emits picked(product_id) when the cashier takes a result (Enter or double click); the
    dialog stays open so several items can be added. Scans still go to the cart meanwhile."""

    picked = Signal(int)
    results_shown = Signal(str)  # the query whose results are on screen

    def __init__(self, parent: QWidget | None, ctx: TillContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("search_title"))
        self._generation = 0
        self._hits: list[ProductHit] = []
        self._total: int | None = 0  # None: more than shown, not counted yet
        self._text = ""
        self._loading_more = False
        self.query = QLineEdit(objectName="query")
        self.query.setPlaceholderText(tr("search_hint"))
        self.query.setClearButtonEnabled(True)
        self.results = QTableWidget(0, len(COLUMNS), objectName="results")
        self.results.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.status = label(name="status")
        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run_query)
        self.query.textChanged.connect(lambda _: self._timer.start())
        self.query.returnPressed.connect(self.pick_current)
        self.results.doubleClicked.connect(lambda _: self.pick_current())
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.resize(900, 560)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up/Down/PageUp/PageDown in the query box move through the results; going past the
        last row shown fetches more."""
        steps = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_PageUp: -PAGE_STEP,
            Qt.Key.Key_PageDown: PAGE_STEP,
        }
        step = steps.get(Qt.Key(event.key()))
        if step is not None and self.results.rowCount():
            wanted = self.results.currentRow() + step
            if wanted >= self.results.rowCount():
                self.load_more()
            row = min(max(wanted, 0), self.results.rowCount() - 1)
            self.results.selectRow(row)
            return
        super().keyPressEvent(event)

    def load_more(self) -> None:
        """Fetch the next page of the query on screen, if there is more than is shown."""
        if self._loading_more or (self._total is not None and len(self._hits) >= self._total):
            return
        self._loading_more = True
        generation, text, db, offset = self._generation, self._text, self.ctx.db, len(self._hits)
        self.ctx.ops.run(
            lambda: find_page(db, text, limit=RESULT_LIMIT, offset=offset, count=False),
            success=lambda page: self._more(generation, page),
            failure=lambda error: self._failed(generation, error),
            owner=self,
        )

    def _more(self, generation: int, page: SearchPage) -> None:
        self._loading_more = False
        if generation != self._generation:
            return
        row = self.results.currentRow()
        self._fill([*self._hits, *page.hits], self._total if page.total is None else page.total)
        self.results.selectRow(min(row + 1, self.results.rowCount() - 1))

    def run_query(self) -> None:
        """Start a search for the text in the box; older answers will be dropped."""
        self._generation += 1
        generation, text, db = self._generation, self.query.text().strip(), self.ctx.db
        if not text:
            self._show(generation, text, SearchPage([], 0))
            return
        self.ctx.ops.run(
            lambda: find_page(db, text, limit=RESULT_LIMIT, count=False),
            success=lambda page: self._show(generation, text, page),
            failure=lambda error: self._failed(generation, error),
            owner=self,
        )

    def _count(self, generation: int, text: str) -> None:
        """Count every match of the query on screen, after its first page is shown."""
        db = self.ctx.db
        self.ctx.ops.run(
            lambda: find_page(db, text, limit=RESULT_LIMIT).total,
            success=lambda total: self._counted(generation, total),
            failure=lambda error: self._failed(generation, error),
            owner=self,
        )

    def _counted(self, generation: int, total: int | None) -> None:
        if generation == self._generation and total is not None:
            self._total = total
            self._show_count()

    def _show(self, generation: int, text: str, page: SearchPage) -> None:
        if generation != self._generation:
            return  # a newer query was typed meanwhile
        self._text, self._loading_more = text, False
        self._fill(page.hits, page.total)
        if page.hits:
            self.results.selectRow(0)
        self.results_shown.emit(text)
        if page.total is None:
            self._count(generation, text)

    def _fill(self, hits: list[ProductHit], total: int | None) -> None:
        self._hits, self._total = hits, total
        self.results.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            for column, text_cell in enumerate(_cells(hit)):
                self.results.setItem(row, column, QTableWidgetItem(text_cell))
        self._show_count()

    def _show_count(self) -> None:
        hits, total = self._hits, self._total
        if not self._text:
            count_text = ""
        elif not hits:
            count_text = tr("search_none")
        elif total is None:
            count_text = tr("search_counting", shown=len(hits))
        elif total > len(hits):
            count_text = tr("search_count_more", n=total, shown=len(hits))
        else:
            count_text = tr("search_count", n=total)
        show_message(self.status, count_text, error=False)

    def _failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            show_message(self.status, error_text(error), error=True)

    def pick_current(self) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self._hits):
            self.picked.emit(self._hits[row].product_id)
            self.query.selectAll()
