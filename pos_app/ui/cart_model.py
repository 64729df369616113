"""The cart as a Qt table model (one model, many views: the sale screen and the customer display).

The model reads the domain Cart directly; after changing the cart the screen calls sync(), which
inserts an appended row (the common case: one scan) or resets the view for other changes.
Runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartLine
from pos_app.domain.money import BASIS_POINTS, format_fen
from pos_app.domain.zhe import zhe_text
from pos_app.ui.i18n import tr
from pos_app.ui.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from pos_app.ui.widgets import qty_text

COLUMNS = ("col_no", "col_name", "col_qty", "col_price", "col_discount", "col_amount")
NAME_COLUMN, QTY_COLUMN, AMOUNT_COLUMN = 1, 2, 5
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
AnyIndex: TypeAlias = QModelIndex | QPersistentModelIndex


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


class CartModel(QAbstractTableModel):
    """Rows are the cart's lines in order."""

    def __init__(self, cart: Cart) -> None:
        super().__init__()
        self.cart = cart
        self._rows = len(cart.lines)

    def set_cart(self, cart: Cart) -> None:
        self.beginResetModel()
        self.cart = cart
        self._rows = len(cart.lines)
        self.endResetModel()

    def sync(self) -> None:
        """Tell the views what changed in the cart since the last sync."""
        rows = len(self.cart.lines)
        if rows == self._rows + 1:
            self.beginInsertRows(QModelIndex(), self._rows, self._rows)
            self._rows = rows
            self.endInsertRows()
            if self.cart.pricing is not None and rows > 1:  # a 满减 share may have moved
                self.dataChanged.emit(self.index(0, 0), self.index(rows - 2, len(COLUMNS) - 1))
        elif rows == self._rows and rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, len(COLUMNS) - 1))
        else:
            self.set_cart(self.cart)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _CELLS[index.column()](self.cart.lines[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= QTY_COLUMN:
            return _RIGHT
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return None

    def line_at(self, row: int) -> CartLine:
        return self.cart.lines[row]
