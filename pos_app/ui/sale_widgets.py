"""The sale screen's widgets: the cart table, a titled side panel, and the last sale as the
customer saw it (cash handed over and change)."""

from __future__ import annotations

from pos_app.domain.money import format_fen
from pos_app.services.checkout import CheckoutResult
from pos_app.ui.cart_model import NAME_COLUMN, CartModel
from pos_app.ui.i18n import tr
from pos_app.ui.qt import QAbstractItemView, QFrame, QHeaderView, QTableView, QVBoxLayout, QWidget
from pos_app.ui.widgets import label

CHANGE_POINT_SIZE = 26  # change due, read from a step away
CHANGE_COLOR = "#2e7d32"
COLUMN_WIDTHS = {0: 40, 2: 96, 3: 104, 4: 70, 5: 96}  # all but the name, which stretches


def cart_table(model: CartModel) -> QTableView:
    """The cart's lines: whole rows selected, nothing edited in place, fixed column widths."""
    table = QTableView(objectName="cart_table")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(34)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no re-measuring per scan
    header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
    for column, width in COLUMN_WIDTHS.items():
        header.resizeSection(column, width)
    font = table.font()
    font.setPointSize(13)
    table.setFont(font)
    return table


def panel(title: str, *widgets: QWidget) -> QFrame:
    """A framed box of the side column with its title in bold."""
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    layout.addWidget(label(title, bold=True))
    for widget in widgets:
        layout.addWidget(widget)
    return frame


def last_sale_text(result: CheckoutResult) -> str:
    """The last sale as the customer saw it: the cash handed over and the change (收 ¥20.00 找
    ¥11.00), and what other tenders paid; without cash, the total paid."""
    if not result.cash_fen:
        return tr("last_sale", sale_no=result.sale_no, total=format_fen(result.total_fen))
    text = tr(
        "last_sale_cash",
        sale_no=result.sale_no,
        cash=format_fen(result.cash_fen),
        change=format_fen(result.change_fen),
    )
    other = result.total_fen - (result.cash_fen - result.change_fen)
    return text + (tr("last_sale_more", other=format_fen(other)) if other > 0 else "")
