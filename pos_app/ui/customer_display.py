"""The customer-facing display for a second screen: the items, the total, and room for the
receipt/member QR code that comes later. It shares the sale screen's cart model."""

from __future__ import annotations

from pos_app.domain.money import format_fen
from pos_app.ui.cart_model import AMOUNT_COLUMN, NAME_COLUMN, QTY_COLUMN, CartModel
from pos_app.ui.i18n import tr
from pos_app.ui.qt import QFrame, QHBoxLayout, QHeaderView, QTableView, QVBoxLayout, QWidget
from pos_app.ui.widgets import center_text, label


class CustomerDisplay(QWidget):
    """A window that mirrors the cart; call show_total() when the totals change."""

    def __init__(self, model: CartModel, store_name: str) -> None:
        super().__init__()
        self.setWindowTitle(tr("cd_title"))
        self.items = QTableView(objectName="cd_items")
        self.items.setModel(model)
        for column in range(model.columnCount()):
            self.items.setColumnHidden(
                column, column not in (NAME_COLUMN, QTY_COLUMN, AMOUNT_COLUMN)
            )
        self.items.verticalHeader().hide()
        self.items.horizontalHeader().setSectionResizeMode(
            NAME_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        font = self.items.font()
        font.setPointSize(16)
        self.items.setFont(font)
        self.total = center_text(label("¥0.00", point_size=48, bold=True, name="cd_total"))
        self.qr = center_text(label(tr("cd_qr"), point_size=14, name="cd_qr"))
        self.qr.setFrameShape(QFrame.Shape.Box)
        self.qr.setFixedSize(260, 260)
        side = QVBoxLayout()
        side.addWidget(center_text(label(tr("cd_welcome"), point_size=22)))
        side.addWidget(center_text(label(store_name, point_size=16)))
        side.addWidget(label(tr("payable"), point_size=18))
        side.addWidget(self.total)
        side.addStretch(1)
        side.addWidget(self.qr)
        layout = QHBoxLayout(self)
        layout.addWidget(self.items, 3)
        layout.addLayout(side, 2)
        self.resize(1024, 600)

    def show_total(self, payable_fen: int) -> None:
        self.total.setText(format_fen(payable_fen))
