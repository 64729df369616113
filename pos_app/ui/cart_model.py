"""The cart as a Qt table model (one model, many views: the sale screen and the customer display).

The model holds the texts of the domain Cart's lines; after changing the cart the screen calls
sync(), which appends a scanned line's row (the common case) or sets the texts that changed.
Runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartLine
from pos_app.domain.money import BASIS_POINTS, format_fen
from pos_app.domain.zhe import zhe_text
from pos_app.ui.i18n import tr
from pos_app.ui.qt import QStandardItem, QStandardItemModel, Qt
from pos_app.ui.widgets import qty_text

COLUMNS = ("col_no", "col_name", "col_qty", "col_price", "col_discount", "col_amount")
NAME_COLUMN, QTY_COLUMN, AMOUNT_COLUMN = 1, 2, 5
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _price(line: CartLine) -> str:
    price = format_fen(line.unit_price_fen, symbol=False)
    return f"{price}/kg" if line.product.weighed else price


def _discount(line: CartLine) -> str:
    """A 折 as the shop says it (八五折), else the amount taken off (promotions included)."""
    if line.line_discount_bp and not line.promo_discount_fen:
        return zhe_text(BASIS_POINTS - line.line_discount_bp)
    off = line.line_discount_fen + line.promo_discount_fen
    return format_fen(off, symbol=False) if off else ""


def _name(line: CartLine) -> str:
    """The product, and the promotions on the line by name: 可口可乐〔第二件半价〕."""
    if not line.promotions:
        return line.product.name
    return f"{line.product.name}〔{'、'.join(a.name for a in line.promotions)}〕"


# One function per column, so painting a cell computes only that cell's text.
_CELLS: tuple[Callable[[CartLine], str], ...] = (
    lambda line: str(line.line_no),
    _name,
    lambda line: qty_text(line.qty, weighed=line.product.weighed),
    _price,
    _discount,
    lambda line: format_fen(line.net_fen, symbol=False),
)


class CartModel(QStandardItemModel):
    """Rows are the cart's lines in order, their cells' texts kept in Qt's own items: painting
    the table asks the model for ~7 roles of every visible cell, and a model written in Python
    answered each through a Python call (~850 a repaint, most of a scan's time on screen)."""

    def __init__(self, cart: Cart) -> None:
        super().__init__(0, len(COLUMNS))
        self.setHorizontalHeaderLabels([tr(column) for column in COLUMNS])
        self.set_cart(cart)

    def set_cart(self, cart: Cart) -> None:
        self.cart = cart
        self.setRowCount(0)
        for line in cart.lines:
            self.appendRow(_row(line))

    def sync(self) -> None:
        """Bring the rows in line with the cart after a change: an appended line (the common
        case: one scan) is one inserted row; texts are set where they changed (Qt ignores a
        text set to what it already is)."""
        rows, shown = len(self.cart.lines), self.rowCount()
        if rows == shown + 1:
            self.appendRow(_row(self.cart.lines[-1]))
            if self.cart.pricing is not None:  # a 满减 share may have moved
                self._update(shown)
        elif rows == shown:
            self._update(rows)
        else:
            self.set_cart(self.cart)

    def _update(self, rows: int) -> None:
        for row, line in enumerate(self.cart.lines[:rows]):
            for column, cell in enumerate(_CELLS):
                self.item(row, column).setText(cell(line))

    def line_at(self, row: int) -> CartLine:
        return self.cart.lines[row]


def _row(line: CartLine) -> list[QStandardItem]:
    items = [QStandardItem(cell(line)) for cell in _CELLS]
    for item in items[QTY_COLUMN:]:
        item.setTextAlignment(_RIGHT)
    return items
