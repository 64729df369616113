"""Stock lists and history: products at or below their reorder level, products below zero (a
page at a time, however large the catalog), and the stock history of one product, every delta
with its source document and the balance after it. Runs on the GUI thread.
"""

from __future__ import annotations

from pos_app.services.catalog import FoundProduct
from pos_app.services.errors import UnknownBarcode
from pos_app.services.product_views import find_any
from pos_app.services.stock import StockKey, StockPage
from pos_app.services.stock_views import STOCK_LISTS, History, product_history, stock_list
from pos_app.ui.backoffice.texts import bt, value_text
from pos_app.ui.backoffice.widgets import (
    Page,
    RowsModel,
    Shared,
    button,
    qty_str,
    side_by_side,
    table_view,
)
from pos_app.ui.qt import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

LIST_HEADERS = ("col_sku", "col_name", "col_on_hand", "col_reorder_level")
HISTORY_HEADERS = ("col_time", "col_reason", "col_ref", "col_delta", "col_balance")


class StockListsPage(Page):
    """Low or negative stock on the left; the chosen product's history on the right."""

    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.pages: list[StockKey | None] = [None]  # where each shown page starts
        self.list_page: StockPage | None = None
        self.history: History | None = None
        self.choice = QComboBox(objectName="stock_list")
        for key in STOCK_LISTS:
            self.choice.addItem(bt(key), key)
        self.choice.currentIndexChanged.connect(lambda _i: self.refresh())
        self.list_model = RowsModel([bt(h) for h in LIST_HEADERS], [False, False, True, True])
        self.list_view = table_view(self.list_model, "stock_rows")
        self.list_view.doubleClicked.connect(self._open_row)
        self.next_button = button(bt("next_page"), "next_page", self.next_page)
        self.find_box = QLineEdit(objectName="find", placeholderText=bt("find_hint"))
        self.find_box.returnPressed.connect(lambda: self.on_scan(self.find_box.text()))
        self.title = QLabel(objectName="history_title")
        self.history_model = RowsModel(
            [bt(h) for h in HISTORY_HEADERS], [False, False, False, True, True]
        )
        self.history_view = table_view(self.history_model, "history_rows")
        self.older_button = button(bt("more"), "older", self.older)
        self._layout()

    def _layout(self) -> None:
        left = QWidget()
        lists = QVBoxLayout(left)
        lists.setContentsMargins(0, 0, 0, 0)
        lists.addWidget(self.choice)
        lists.addWidget(self.list_view, 1)
        paging = QHBoxLayout()
        paging.addWidget(button(bt("first_page"), "first_page", self.refresh))
        paging.addWidget(self.next_button)
        lists.addLayout(paging)
        right = QWidget()
        history = QVBoxLayout(right)
        history.setContentsMargins(0, 0, 0, 0)
        history.addWidget(QLabel(bt("history")))
        history.addWidget(self.find_box)
        history.addWidget(self.title)
        history.addWidget(self.history_view, 1)
        history.addWidget(self.older_button)
        layout = QVBoxLayout(self)
        layout.addWidget(side_by_side(left, right), 1)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        self.pages = [None]
        self._load_list()

    def next_page(self) -> None:
        if self.list_page is not None and self.list_page.next_after is not None:
            self.pages.append(self.list_page.next_after)
            self._load_list()

    def _load_list(self) -> None:
        db, after, name = self.db, self.pages[-1], str(self.choice.currentData())
        self.run(lambda: stock_list(db, name, after=after), self._show_list)

    def _show_list(self, page: StockPage) -> None:
        self.list_page = page
        self.next_button.setEnabled(page.next_after is not None)
        self.list_model.set_rows(
            [
                [
                    row.sku,
                    row.name,
                    qty_str(row.on_hand, weighed=row.weighed),
                    ""
                    if row.reorder_level is None
                    else qty_str(row.reorder_level, weighed=row.weighed),
                ]
                for row in page.rows
            ]
        )

    def _open_row(self) -> None:
        rows = self.list_view.selectionModel().selectedRows()
        if rows:
            self.on_scan(self.list_model.cell(rows[0].row(), bt("col_sku")))

    def on_scan(self, code: str) -> None:
        """Show the stock history of the product a code (or search text) stands for."""
        db, text = self.db, code.strip()
        self.find_box.setText(text)
        self.run(lambda: find_any(db, text), self._found)

    def _found(self, found: FoundProduct | None) -> None:
        if found is None:
            self.fail(UnknownBarcode(self.find_box.text()))
            return
        db = self.db
        self.run(lambda: product_history(db, found), self._show_history)

    def older(self) -> None:
        history = self.history
        if history is not None and history.page.next_before is not None:
            db, before = self.db, history.page.next_before
            self.run(lambda: product_history(db, history.info, before=before), self._show_history)

    def _show_history(self, history: History) -> None:
        self.history = history
        weighed = history.info.info.weighed
        self.title.setText(
            bt(
                "history_of",
                name=history.info.info.name,
                on_hand=qty_str(history.on_hand, weighed=weighed),
            )
        )
        self.older_button.setEnabled(history.page.next_before is not None)
        self.history_model.set_rows(
            [
                [
                    row.created_at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M"),
                    value_text(row.reason),
                    row.ref,
                    qty_str(row.delta, weighed=weighed),
                    qty_str(row.balance, weighed=weighed),
                ]
                for row in history.page.rows
            ]
        )
