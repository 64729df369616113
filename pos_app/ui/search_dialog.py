"""Product search (F2): results as the cashier types, by name, pinyin, initials, barcode or code.

Each keystroke restarts a short timer; the query then runs on the background runner (a search
over 1,000,000 SKUs must never freeze the screen). Answers to an older query than the newest are
dropped, so results never jump back to what was typed before. Runs on the GUI thread except the
query function.
"""

from __future__ import annotations

from pos_app.domain.money import format_fen
from pos_app.services.search import ProductHit, search_products
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
        """Up/Down in the query box move through the results."""
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.results.rowCount():
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            row = min(max(self.results.currentRow() + step, 0), self.results.rowCount() - 1)
            self.results.selectRow(row)
            return
        super().keyPressEvent(event)

    def run_query(self) -> None:
        """Start a search for the text in the box; older answers will be dropped."""
        self._generation += 1
        generation, text, db = self._generation, self.query.text().strip(), self.ctx.db
        if not text:
            self._show(generation, text, [])
            return

        def search() -> list[ProductHit]:
            # This runs on the worker thread.
            with db.read() as session:
                return search_products(session, text, limit=RESULT_LIMIT)

        self.ctx.ops.run(
            search,
            success=lambda hits: self._show(generation, text, hits),
            failure=lambda error: self._failed(generation, error),
            owner=self,
        )

    def _show(self, generation: int, text: str, hits: list[ProductHit]) -> None:
        if generation != self._generation:
            return  # a newer query was typed meanwhile
        self._hits = hits
        self.results.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            for column, text_cell in enumerate(_cells(hit)):
                self.results.setItem(row, column, QTableWidgetItem(text_cell))
        if hits:
            self.results.selectRow(0)
        count_text = tr("search_count", n=len(hits)) if hits else tr("search_none")
        show_message(self.status, count_text if text else "", error=False)
        self.results_shown.emit(text)

    def _failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            show_message(self.status, error_text(error), error=True)

    def pick_current(self) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self._hits):
            self.picked.emit(self._hits[row].product_id)
            self.query.selectAll()
