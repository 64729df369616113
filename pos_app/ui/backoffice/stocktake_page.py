"""Stocktake (盘点) shelf by shelf: open a count, scan each product and enter what is on the
shelf; the variance view shows book stock at the moment of each count, what moved since, the
variance and its value at cost, before anything is posted. Runs on the GUI thread.
"""

from __future__ import annotations

from pos_app.services.database import Database
from pos_app.services.report_table import grouped_fen
from pos_app.services.stock_views import StocktakeView, find_code, stocktake_view
from pos_app.services.stocktake import (
    CountRecorded,
    PostedStocktake,
    VarianceLine,
    cancel_stocktake,
    open_stocktake,
    post_stocktake,
    record_count,
)
from pos_app.ui.backoffice.texts import bt
from pos_app.ui.backoffice.widgets import (
    Page,
    RowsModel,
    Shared,
    button,
    parse_count,
    qty_str,
    table_view,
)
from pos_app.ui.qt import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

HEADERS = (
    "col_shelf",
    "col_sku",
    "col_name",
    "col_counted",
    "col_at_count",
    "col_moved_since",
    "col_variance",
    "col_variance_cost",
    "col_after",
)


def record_scanned(
    db: Database, stocktake_id: int, code: str, counted_text: str, shelf: str, actor: int
) -> CountRecorded:
    """Look the product up (to read kg or units), then record its count (in the background)."""
    weighed = find_code(db, code).info.weighed
    counted = parse_count(counted_text, weighed=weighed)
    return record_count(
        db, stocktake_id=stocktake_id, code=code, counted_qty=counted, actor_id=actor, shelf=shelf
    )


def variance_row(line: VarianceLine) -> list[str]:
    def qty(value: int) -> str:
        return qty_str(value, weighed=line.weighed)

    value = "—" if line.variance_cost_fen is None else grouped_fen(line.variance_cost_fen)
    return [
        line.shelf,
        line.sku,
        line.name,
        qty(line.counted),
        qty(line.on_hand_at_count),
        qty(line.moved_since),
        qty(line.variance),
        value,
        qty(line.on_hand_after),
    ]


class StocktakePage(Page):
    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.view_data = StocktakeView(None, [])
        self.status = QLabel(objectName="stocktake_status")
        self.shelf = QLineEdit(objectName="shelf", placeholderText=bt("shelf"))
        self.code = QLineEdit(objectName="code", placeholderText=bt("count_hint"))
        self.counted = QLineEdit(objectName="counted", placeholderText=bt("counted"))
        self.code.returnPressed.connect(self.counted.setFocus)
        self.counted.returnPressed.connect(self.record)
        numeric = [False, False, False, *([True] * 6)]
        self.model = RowsModel([bt(h) for h in HEADERS], numeric)
        self.table = table_view(self.model, "variance_table")
        self.summary = QLabel(objectName="variance_summary")
        self.writes = [
            button(bt("open_stocktake"), "open_stocktake", self.open),
            button(bt("record_count"), "record_count", self.record),
            button(bt("cancel_stocktake"), "cancel_stocktake", self.cancel),
            button(bt("post_stocktake"), "post_stocktake", self.post),
        ]
        self._layout()

    def _layout(self) -> None:
        open_button, record_button, cancel_button, post_button = self.writes
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(open_button)
        top.addWidget(cancel_button)
        entry = QHBoxLayout()
        entry.addWidget(self.shelf, 1)
        entry.addWidget(self.code, 3)
        entry.addWidget(self.counted, 1)
        entry.addWidget(record_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(post_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(entry)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        db = self.db
        self.run(lambda: stocktake_view(db), self._show)

    def _show(self, data: StocktakeView) -> None:
        self.view_data = data
        info = data.info
        self.status.setText(
            bt("stocktake_open", doc=info.doc_no, n=info.counts) if info else bt("no_stocktake")
        )
        open_button, record_button, cancel_button, post_button = self.writes
        writable = self.viewer.can_write
        open_button.setEnabled(writable and info is None)
        for widget in (record_button, cancel_button, post_button):
            widget.setEnabled(writable and info is not None)
        self.model.set_rows([variance_row(line) for line in data.lines])
        differing = [line for line in data.lines if line.variance]
        value = sum(line.variance_cost_fen or 0 for line in differing)
        self.summary.setText(bt("variance_summary", n=len(differing), amount=grouped_fen(value)))

    def on_scan(self, code: str) -> None:
        self.code.setText(code.strip())
        self.counted.setFocus()

    def open(self) -> None:
        db, actor = self.db, self.viewer.staff_id
        self.run(lambda: open_stocktake(db, actor_id=actor), lambda _info: self.refresh())

    def record(self) -> None:
        info = self.view_data.info
        if info is None:
            return
        db, actor, stocktake_id = self.db, self.viewer.staff_id, info.stocktake_id
        code, counted, shelf = self.code.text().strip(), self.counted.text(), self.shelf.text()
        self.run(
            lambda: record_scanned(db, stocktake_id, code, counted, shelf, actor), self._recorded
        )

    def _recorded(self, recorded: CountRecorded) -> None:
        self.code.clear()
        self.counted.clear()
        self.code.setFocus()
        self.say(f"{recorded.name}: {recorded.counted_qty}")
        self.refresh()

    def cancel(self) -> None:
        info = self.view_data.info
        if info is not None:
            db, actor = self.db, self.viewer.staff_id
            self.run(
                lambda: cancel_stocktake(db, stocktake_id=info.stocktake_id, actor_id=actor),
                lambda _none: self.refresh(),
            )

    def post(self) -> None:
        info = self.view_data.info
        if info is not None:
            db, actor = self.db, self.viewer.staff_id
            self.run(
                lambda: post_stocktake(db, stocktake_id=info.stocktake_id, actor_id=actor),
                self._posted,
            )

    def _posted(self, posted: PostedStocktake) -> None:
        self.say(bt("stocktake_posted", doc=posted.doc_no, n=len(posted.adjustments)))
        self.refresh()
