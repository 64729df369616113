"""Settings (F10, behind the permission table's 门店设置): store name and contacts, scale
barcode layouts (with a preview of how a sample label is read), ¥0 labels, 抹零 rounding, the
screen language, the receipt printer and paper with a test page (ui/printer_box.py, the setup
wizard's rows), the counter devices (ui/device_settings_box.py) and, by F6, who may do what
(ui/permissions_dialog.py). Saved by the settings services."""

from __future__ import annotations

from pos_app.domain.money import RoundingMode
from pos_app.services.printing import print_test_page_now
from pos_app.services.till_settings import (
    LANGUAGES,
    TillSettings,
    read_settings,
    save_settings,
)
from pos_app.ui.context import TillContext
from pos_app.ui.device_settings_box import DeviceSettingsBox
from pos_app.ui.i18n import tr
from pos_app.ui.language import use_language
from pos_app.ui.permissions_dialog import PermissionsDialog
from pos_app.ui.printer_box import PrinterBox
from pos_app.ui.qt import (
    QFormLayout,
    QHBoxLayout,
    QKeySequence,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.settings_preview import checked_layouts, preview
from pos_app.ui.widgets import FormDialog, combo, label, show_message

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}
DIALOG_WIDTH_PX = 960  # two columns within a 1024-wide screen
COLUMN_GAP_PX = 16


class SettingsDialog(FormDialog):
    """Edits the store settings; OK validates and saves them (approved by approver_id)."""

    def __init__(self, parent: QWidget | None, ctx: TillContext, approver_id: int) -> None:
        super().__init__(parent, tr("settings_title"))
        self.ctx, self.approver_id = ctx, approver_id
        current = read_settings(ctx.db)
        self.store_name = QLineEdit(current.store_name, objectName="store_name")
        self.address = QLineEdit(current.store_address, objectName="address")
        self.phone = QLineEdit(current.store_phone, objectName="phone")
        db = ctx.db
        self.printer = PrinterBox(
            self,
            lambda uri: print_test_page_now(db, uri),
            ctx.ops,
            uri=current.printer_uri,
            paper_mm=current.receipt_width_mm,
        )
        self.layouts = QPlainTextEdit("\n".join(current.scale_layouts), objectName="layouts")
        self.layouts.setFixedHeight(80)
        self.zero_price = combo(
            "zero_price",
            [(tr("settings_zero_refused"), False), (tr("settings_zero_allowed"), True)],
            current.scale_zero_price_allowed,
        )
        self.sample = QLineEdit()
        self.sample.setObjectName("sample")
        self.sample.setPlaceholderText("2100777012348")
        self.preview = label(name="preview")
        self.preview.setWordWrap(True)
        self.layouts.textChanged.connect(self.update_preview)
        self.sample.textChanged.connect(self.update_preview)
        self.zero_price.currentIndexChanged.connect(self.update_preview)
        ctx.router.push(self.on_scan)  # a label scanned while this is open is the sample
        self.finished.connect(lambda _: ctx.router.remove(self.on_scan))
        self.rounding = combo(
            "rounding",
            [(tr(f"rounding_{mode.value}"), mode.value) for mode in RoundingMode],
            current.rounding_mode,
        )
        self.language = combo(
            "language", [(LANGUAGE_NAMES[code], code) for code in LANGUAGES], current.language
        )
        for key, widget in (
            ("settings_store_name", self.store_name),
            ("settings_address", self.address),
            ("settings_phone", self.phone),
            ("settings_layouts", self.layouts),
            ("settings_sample", self.sample),
            ("", self.preview),
            ("settings_zero_price", self.zero_price),
            ("settings_rounding", self.rounding),
            ("settings_language", self.language),
        ):
            self.form.addRow(tr(key) if key else "", widget)
        self.permissions = QPushButton(f"F6 {tr('perm_button')}", objectName="permissions")
        self.permissions.clicked.connect(self.open_permissions)
        QShortcut(QKeySequence("F6"), self).activated.connect(self.open_permissions)
        self.form.addRow("", self.permissions)
        self.devices = DeviceSettingsBox(ctx)
        self._beside_form(self.devices)
        self.finished.connect(lambda _: self.devices.stop_tests())
        self.update_preview()

    def _beside_form(self, devices: DeviceSettingsBox) -> None:
        """The device rows in a second column, so the dialog fits a 1024×768 screen."""
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.removeItem(self.form)
        column = QFormLayout()
        self.printer.add_rows(column, heading=True)
        devices.add_rows(column)
        columns = QHBoxLayout()
        columns.addLayout(self.form, 1)
        columns.addSpacing(COLUMN_GAP_PX)
        columns.addLayout(column, 1)
        outer.insertLayout(0, columns)
        self.setMinimumWidth(DIALOG_WIDTH_PX)

    def open_permissions(self) -> PermissionsDialog:
        """F6: who may do what, saved on its own OK (the settings approval covers it)."""
        dialog = PermissionsDialog(self, self.ctx, self.approver_id)
        dialog.accepted.connect(lambda: show_message(self.error, tr("perm_saved"), error=False))
        dialog.finished.connect(lambda _: self._take_keyboard())
        dialog.open()
        return dialog

    def _take_keyboard(self) -> None:
        """Back from 权限: the keyboard returns here, on the key that opened it."""
        self.activateWindow()
        self.permissions.setFocus()

    def layout_specs(self) -> tuple[str, ...]:
        lines = self.layouts.toPlainText().splitlines()
        return tuple(line.strip() for line in lines if line.strip())

    def on_scan(self, code: str) -> None:
        self.sample.setText(code)

    def update_preview(self) -> None:
        """Show how the sample label reads with the layouts as typed (or why they are refused)."""
        allow_zero = bool(self.zero_price.currentData())
        self.preview.setText(
            preview(self.layout_specs(), self.sample.text(), allow_zero_price=allow_zero)
        )

    def values(self) -> TillSettings:
        return TillSettings(
            store_name=self.store_name.text().strip(),
            store_address=self.address.text().strip(),
            store_phone=self.phone.text().strip(),
            receipt_width_mm=self.printer.paper_mm,
            printer_uri=self.printer.uri,
            scale_layouts=self.layout_specs(),
            rounding_mode=str(self.rounding.currentData()),
            language=str(self.language.currentData()),
            scale_zero_price_allowed=bool(self.zero_price.currentData()),
        )

    def apply(self) -> None:
        """A few rows in one quick transaction; done here so errors show in the dialog."""
        settings = self.values()
        checked_layouts(settings.scale_layouts)  # refused here in the screen language
        self.devices.values()  # a wrong device address is refused before anything is saved
        db, actor, approver = self.ctx.db, self.ctx.staff_id, self.approver_id
        self.ctx.write(lambda: save_settings(db, settings, actor_id=actor, approver_id=approver))
        self.devices.save(approver_id=self.approver_id)
        self.ctx.reload_settings()
        use_language(settings.language)
