"""导出与备份 (back office): products, members and the period's sales exported to Excel, the
product import template, a product list imported (manager only; every bad row reported in
Chinese, nothing half-imported), and (manager only) the till's backups with a restore.

Every export runs on the background runner and reports its progress here through a signal
(rows done of all), so the screen stays live for a million products.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pos_app.config import load_config
from pos_app.services.backups import BackupInfo, back_up_now, check_backup, till_backups
from pos_app.services.catalog_file import write_template
from pos_app.services.catalog_import import ImportReport
from pos_app.services.xlsx_export import (
    Exported,
    Progress,
    export_members,
    export_products,
    export_sales,
)
from pos_app.ui.backoffice.qt_extra import QFileDialog
from pos_app.ui.backoffice.texts import TEXTS, bt
from pos_app.ui.backoffice.widgets import Page, RowsModel, Shared, button, table_view
from pos_app.ui.qt import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QObject,
    QPlainTextEdit,
    QProgressBar,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.restart import request_restore
from pos_app.ui.setup_wizard import import_file, row_report
from pos_app.ui.widgets import label, show_message

TEMPLATE_NAME = "商品导入模板.xlsx"


class ProgressSignal(QObject):
    """Progress reported from the worker thread, delivered on the GUI thread (queued)."""

    moved = Signal(int, int)

    def report(self, done: int, total: int) -> None:
        self.moved.emit(done, total)


BACKUP_HEADERS = (
    "col_backup_time",
    "col_backup_kind",
    "col_backup_size",
    "col_backup_till",
    "col_backup_store",
    "col_backup_sales",
)
BACKUP_NUMERIC = (False, False, True, False, False, True)
BYTES_PER_MB = 1024 * 1024


def backup_row(info: BackupInfo) -> list[str]:
    readable = bool(info.till_id)
    return [
        info.made_at.strftime("%Y-%m-%d %H:%M:%S"),
        bt(f"backup_{info.reason}") if f"backup_{info.reason}" in TEXTS else info.reason,
        f"{info.size_bytes / BYTES_PER_MB:.1f} MB",
        info.till_id if readable else bt("backup_unreadable"),
        info.store_name,
        str(info.sales) if readable else "",
    ]


def ask_restore(parent: QWidget, info: BackupInfo) -> bool:
    """The Chinese question before a restore; 取消 is the default, Esc cancels."""
    box = QMessageBox(parent, objectName="restore_confirm")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(bt("restore_title"))
    when = info.made_at.strftime("%Y-%m-%d %H:%M")
    box.setText(bt("restore_question", time=when, till=info.till_id, sales=info.sales))
    no = box.addButton(bt("restore_no"), QMessageBox.ButtonRole.RejectRole)
    yes = box.addButton(bt("restore_yes"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    QTimer.singleShot(0, no.setFocus)  # the keyboard on 取消: Enter never restores by chance
    box.exec()
    return box.clickedButton() is yes


class DataPage(Page):
    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.progress = QProgressBar(objectName="export_progress")
        self.progress.hide()
        self._progress = ProgressSignal(self)
        self._progress.moved.connect(self._moved)
        self.buttons = [
            button(bt("export_products"), "export_products", self.export_products),
            button(bt("export_members"), "export_members", self.export_members),
            button(bt("export_sales"), "export_sales", self.export_sales),
            button(bt("export_template"), "export_template", self.save_template),
            button(bt("import_products"), "import_products", self.import_products),
        ]
        self.buttons[-1].setEnabled(self.viewer.can_write)
        self.report = QPlainTextEdit(readOnly=True, objectName="import_report")
        self.report.hide()
        row = QHBoxLayout()
        for widget in self.buttons:
            row.addWidget(widget)
        row.addStretch(1)
        hint = QLabel(bt("data_export_hint"), wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(label(bt("data_export"), bold=True))
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.report)
        self.backups: list[BackupInfo] = []
        self.backup_model = RowsModel([bt(key) for key in BACKUP_HEADERS], BACKUP_NUMERIC)
        self.backup_view = table_view(self.backup_model, "backups")
        self.backup_now = button(bt("backup_now"), "backup_now", self.make_backup)
        self.restore_button = button(bt("restore"), "restore", self.restore_chosen)
        self.restart: Callable[[Path], None] = request_restore  # tests may stand in
        if self.viewer.can_write:
            self._backup_rows(layout)
        else:
            layout.addStretch(1)
        layout.addWidget(self.message)

    def _backup_rows(self, layout: QVBoxLayout) -> None:
        layout.addSpacing(12)
        layout.addWidget(label(bt("data_backups"), bold=True))
        kept = load_config().backups_kept
        layout.addWidget(QLabel(bt("backup_hint", kept=kept), wordWrap=True))
        layout.addWidget(self.backup_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.backup_now)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addLayout(row)

    # -- backups -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.viewer.can_write:
            path = self.db.path
            self.run(lambda: till_backups(path), self._show_backups)

    def _show_backups(self, backups: list[BackupInfo]) -> None:
        self.backups = backups
        self.backup_model.set_rows([backup_row(info) for info in backups])
        if backups:
            self.backup_view.selectRow(0)

    def make_backup(self) -> None:
        path = self.db.path
        self.say(bt("backing_up"))
        self.run(lambda: back_up_now(path), self._backed_up)

    def _backed_up(self, path: Path) -> None:
        self.say(bt("backed_up", path=path))
        self.refresh()

    def chosen_backup(self) -> BackupInfo | None:
        rows = self.backup_view.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def restore_chosen(self) -> None:
        """Check the chosen backup in the background, then ask; yes restarts into it."""
        info = self.chosen_backup()
        if info is None:
            show_message(self.message, bt("restore_pick"), error=True)
            return
        self.say(bt("restore_checking"))
        self.run(lambda: check_backup(info.path), lambda _: self._confirm_restore(info))

    def _confirm_restore(self, info: BackupInfo) -> None:
        self.say("")
        if ask_restore(self, info):
            self.restart(info.path)

    def ask_save_path(self, suggested: str) -> Path | None:
        """Where to save an export; tests replace this to avoid the modal file dialog."""
        path, _ = QFileDialog.getSaveFileName(self, bt("export_xlsx"), suggested, "Excel (*.xlsx)")
        return Path(path) if path else None

    def _suggested(self, name: str) -> str:
        return str(Path.home() / name)

    def _export(self, name: str, work: Callable[[Path, Progress], Exported]) -> None:
        path = self.ask_save_path(self._suggested(name))
        if path is None:
            return
        report = self._progress.report
        self._busy(True)
        self.say(bt("exporting"))
        self.ops.run(
            lambda: work(path, report),
            success=self._exported,
            failure=self._failed,
            owner=self,
        )

    def export_products(self) -> None:
        db = self.db
        self._export("商品.xlsx", lambda path, report: export_products(db, path, report))

    def export_members(self) -> None:
        db = self.db
        self._export("会员.xlsx", lambda path, report: export_members(db, path, report))

    def export_sales(self) -> None:
        db, period = self.db, self.period_bar.period()
        name = f"销售_{period.first}_{period.last}.xlsx"
        self._export(
            name, lambda path, report: export_sales(db, path, period.first, period.last, report)
        )

    def save_template(self) -> None:
        path = self.ask_save_path(self._suggested(TEMPLATE_NAME))
        if path is None:
            return
        self.run(lambda: write_template(path), lambda p: self.say(bt("template_saved", path=p)))

    def ask_open_path(self) -> Path | None:
        """The product list to import; tests replace this to avoid the modal file dialog."""
        pattern = "Excel / CSV (*.xlsx *.csv)"
        path, _ = QFileDialog.getOpenFileName(
            self, bt("import_products"), str(Path.home()), pattern
        )
        return Path(path) if path else None

    def import_products(self) -> None:
        path = self.ask_open_path()
        if path is None:
            return
        db = self.db
        self._busy(True)
        self.report.hide()
        self.say(bt("importing"))
        self.ops.run(
            lambda: import_file(db, path), success=self._imported, failure=self._failed, owner=self
        )

    def _imported(self, report: ImportReport) -> None:
        self._busy(False)
        if report.written:
            self.say(bt("imported", count=report.inserted + report.updated))
            return
        self.report.setPlainText("\n".join(row_report(report)))
        self.report.show()
        show_message(self.message, bt("import_refused", rows=report.bad_rows), error=True)

    def _busy(self, busy: bool) -> None:
        for widget in self.buttons:
            widget.setEnabled(not busy)
        self.buttons[-1].setEnabled(not busy and self.viewer.can_write)
        self.progress.setRange(0, 0)  # busy until the first batch reports
        self.progress.setVisible(busy)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _exported(self, exported: Exported) -> None:
        self._busy(False)
        self.say(bt("exported_rows", rows=exported.rows, path=exported.path))

    def _failed(self, error: Exception) -> None:
        self._busy(False)
        self.fail(error)
