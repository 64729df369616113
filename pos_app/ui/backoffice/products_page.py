"""Catalog upkeep: find a product (scan, code or pinyin initials), edit it or add a new one, and
print the shelf labels of what changed. The service checks every field; its refusal is shown
field by field. Runs on the GUI thread.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pos_app.domain.money import format_fen, parse_yuan
from pos_app.services.catalog import FoundProduct
from pos_app.services.catalog_admin import (
    VAT_RATES_BP,
    ProductForm,
    SavedProduct,
    save_product,
)
from pos_app.services.product_views import (
    CatalogSide,
    Editing,
    catalog_side,
    find_any,
    find_products,
    product_editing,
)
from pos_app.services.search import ProductHit
from pos_app.services.shelf_labels import print_pending_labels, save_pending_labels_pdf
from pos_app.ui.backoffice.qt_extra import QCheckBox, QFileDialog
from pos_app.ui.backoffice.texts import bt
from pos_app.ui.backoffice.widgets import Page, Shared, button, parse_count, side_by_side
from pos_app.ui.i18n import InputError
from pos_app.ui.qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)


def _money(text: str) -> int | None:
    return parse_yuan(text) if text.strip() else None


def _yuan(fen: int | None) -> str:
    return "" if fen is None else format_fen(fen, symbol=False)


class ProductFields(QWidget):
    """The product form's fields, read into and out of a ProductForm."""

    def __init__(self) -> None:
        super().__init__()
        self.sku = QLineEdit(objectName="sku")
        self.name = QLineEdit(objectName="name")
        self.price = QLineEdit(objectName="price")
        self.member_price = QLineEdit(objectName="member_price")
        self.cost = QLineEdit(objectName="cost")
        self.unit = QLineEdit(objectName="unit")
        self.category = QComboBox(objectName="category", editable=True)
        self.weighed = QCheckBox(bt("field_weighed"), objectName="weighed")
        self.plu = QLineEdit(objectName="plu")
        self.tax = QComboBox(objectName="tax")
        for rate in VAT_RATES_BP:
            self.tax.addItem(f"{rate // 100} %", rate)
        self.barcodes = QPlainTextEdit(objectName="barcodes")
        self.barcodes.setMaximumHeight(64)
        self.on_sale = QCheckBox(bt("field_status"), objectName="on_sale")
        self.reorder = QLineEdit(objectName="reorder_level")
        form = QFormLayout(self)
        for key, widget in (
            ("field_sku", self.sku),
            ("field_name", self.name),
            ("field_price_fen", self.price),
            ("field_member_price_fen", self.member_price),
            ("field_cost_fen", self.cost),
            ("field_unit", self.unit),
            ("field_category", self.category),
            ("field_plu_code", self.plu),
            ("field_tax_rate_bp", self.tax),
            ("field_barcodes", self.barcodes),
            ("field_reorder_level", self.reorder),
        ):
            form.addRow(bt(key), widget)
        form.addRow("", self.weighed)
        form.addRow("", self.on_sale)

    def fill(self, form: ProductForm) -> None:
        self.sku.setText(form.sku)
        self.name.setText(form.name)
        self.price.setText(_yuan(form.price_fen) if form.price_fen else "")
        self.member_price.setText(_yuan(form.member_price_fen))
        self.cost.setText(_yuan(form.cost_fen))
        self.unit.setText(form.unit)
        self.category.setEditText(form.category)
        self.weighed.setChecked(form.weighed)
        self.plu.setText(form.plu_code or "")
        self.tax.setCurrentIndex(max(0, self.tax.findData(form.tax_rate_bp)))
        self.barcodes.setPlainText("\n".join(form.barcodes))
        self.on_sale.setChecked(form.status == "active")
        level = form.reorder_level
        scale = 1000 if form.weighed else 1
        self.reorder.setText("" if level is None else str(Decimal(level) / scale))

    def read(self) -> ProductForm:
        """The form as typed; InputError when a number cannot be read."""
        try:
            price = _money(self.price.text()) or 0
            member, cost = _money(self.member_price.text()), _money(self.cost.text())
        except ValueError:
            raise InputError(bt("bad_number")) from None
        weighed = self.weighed.isChecked()
        reorder = self.reorder.text().strip()
        return ProductForm(
            sku=self.sku.text(),
            name=self.name.text(),
            price_fen=price,
            member_price_fen=member,
            cost_fen=cost,
            unit=self.unit.text(),
            category=self.category.currentText(),
            weighed=weighed,
            plu_code=self.plu.text().strip() or None,
            tax_rate_bp=int(self.tax.currentData()),
            barcodes=tuple(self.barcodes.toPlainText().split()),
            status="active" if self.on_sale.isChecked() else "inactive",
            reorder_level=parse_count(reorder, weighed=weighed) if reorder else None,
        )


class ProductsPage(Page):
    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.editing = Editing(None, ProductForm(sku="", name="", price_fen=0))
        self.find_box = QLineEdit(objectName="find", placeholderText=bt("find_hint"))
        self.find_box.returnPressed.connect(self.search)
        self.hits = QListWidget(objectName="hits")
        self.hits.itemActivated.connect(self._open_hit)
        self.hits.itemClicked.connect(self._open_hit)
        self.fields = ProductFields()
        self.labels_button = button(bt("print_labels", n=0), "print_labels", self.print_labels)
        self.writes = [
            button(bt("new_product"), "new_product", self.new_product),
            button(bt("save"), "save", self.save),
            self.labels_button,
            button(bt("labels_pdf"), "labels_pdf", self.labels_pdf),
        ]
        for widget in self.writes:
            widget.setEnabled(self.viewer.can_write)
        self._layout()

    def _layout(self) -> None:
        left = QWidget()
        finder = QVBoxLayout(left)
        finder.setContentsMargins(0, 0, 0, 0)
        finder.addWidget(self.find_box)
        finder.addWidget(self.hits, 1)
        right = QWidget()
        editor = QVBoxLayout(right)
        editor.setContentsMargins(0, 0, 0, 0)
        editor.addWidget(self.fields)
        buttons = QHBoxLayout()
        for widget in self.writes:
            buttons.addWidget(widget)
        editor.addLayout(buttons)
        editor.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(side_by_side(left, right, (360, 640)), 1)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        db = self.db
        self.run(lambda: catalog_side(db), self._side_data)

    def _side_data(self, side: CatalogSide) -> None:
        typed = self.fields.category.currentText()
        self.fields.category.clear()
        self.fields.category.addItems(list(side.categories))
        self.fields.category.setEditText(typed)
        self.labels_button.setText(bt("print_labels", n=side.labels_waiting))

    def search(self) -> None:
        db, text = self.db, self.find_box.text().strip()
        self.run(lambda: find_products(db, text), self._show_hits)

    def _show_hits(self, hits: list[ProductHit]) -> None:
        self.hits.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.sku}  {hit.name}  {format_fen(hit.price_fen)}")
            item.setData(Qt.ItemDataRole.UserRole, hit.product_id)
            self.hits.addItem(item)

    def _open_hit(self, item: QListWidgetItem) -> None:
        self.open_product(int(item.data(Qt.ItemDataRole.UserRole)))

    def open_product(self, product_id: int) -> None:
        db = self.db
        self.run(lambda: product_editing(db, product_id), self._edit)

    def on_scan(self, code: str) -> None:
        db, text = self.db, code.strip()
        self.find_box.setText(text)
        self.search()
        self.run(lambda: find_any(db, text), self._scanned)

    def _scanned(self, found: FoundProduct | None) -> None:
        """A known product opens; an unknown code starts a new product with that barcode."""
        if found is not None:
            self.open_product(found.product_id)
            return
        self.new_product()
        self.fields.barcodes.setPlainText(self.find_box.text())

    def _edit(self, editing: Editing) -> None:
        self.editing = editing
        self.fields.fill(editing.form)
        self.say("")

    def new_product(self) -> None:
        self._edit(Editing(None, ProductForm(sku="", name="", price_fen=0)))

    def save(self) -> None:
        try:
            form = self.fields.read()
        except InputError as error:
            self.fail(error)
            return
        db, actor, product_id = self.db, self.viewer.staff_id, self.editing.product_id
        self.run(lambda: save_product(db, form, actor_id=actor, product_id=product_id), self._saved)

    def _saved(self, saved: SavedProduct) -> None:
        self.say(bt("saved", sku=self.fields.sku.text().strip()))
        self.open_product(saved.product_id)
        self.refresh()

    def print_labels(self) -> None:
        db = self.db
        self.run(lambda: print_pending_labels(db), self._labels_sent)

    def ask_pdf_path(self) -> Path | None:
        """Where to save the label sheet; tests replace this to avoid the modal dialog."""
        path, _ = QFileDialog.getSaveFileName(self, bt("labels_pdf"), "labels.pdf", "PDF (*.pdf)")
        return Path(path) if path else None

    def labels_pdf(self) -> None:
        path, db = self.ask_pdf_path(), self.db
        if path is not None:
            self.run(lambda: save_pending_labels_pdf(db, path), self._labels_sent)

    def _labels_sent(self, count: int) -> None:
        self.say(bt("labels_sent", n=count))
        self.refresh()
