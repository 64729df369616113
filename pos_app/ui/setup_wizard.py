"""The first-run setup wizard (开店向导) a shop owner follows without a manual: the store and this
till's number, the owner's manager log-in, the receipt printer with a test page, pairing with
the mall (optional) and the product list (optional, with a template to fill in).

Everything works from the keyboard: each page opens with focus in its first field, Tab moves
on, Enter goes to the next page. Work that touches the disk, the network or a printer (the
setup itself, the test page, pairing, the import) runs on the background runner; the page
waits for its answer and says what happened, in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pos_app.services.catalog_file import CatalogFileError, write_template
from pos_app.services.catalog_import import ImportReport, import_catalog
from pos_app.services.database import Database
from pos_app.services.printing import print_test_page_now
from pos_app.services.till_setup import (
    SetupError,
    TillSetup,
    apply_setup,
    pair_till,
    validate,
)
from pos_app.services.writer import Writer
from pos_app.ui.i18n import error_text
from pos_app.ui.ops import OpRunner
from pos_app.ui.printer_box import PrinterBox
from pos_app.ui.qt import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTimer,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

TEMPLATE_NAME = "商品导入模板.xlsx"


W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """The widget with its object name (tests and style sheets find it by that name)."""
    widget.setObjectName(name)
    return widget


class BusyPage(QWizardPage):
    """A page whose Next may start background work: Next stays on the page until the work
    reports; `done` then decides whether the wizard moves on."""

    def __init__(self, wizard: SetupWizard, title: str) -> None:
        super().__init__()
        self.setup_wizard = wizard
        self.setTitle(title)
        self.message = named(QLabel(), "message")
        self.message.setWordWrap(True)
        self.progress = named(QProgressBar(), "progress")
        self.progress.setRange(0, 0)  # busy
        self.progress.hide()
        self._passed = False
        self._working = False

    def first_field(self) -> QWidget:
        raise NotImplementedError

    def initializePage(self) -> None:
        QTimer.singleShot(0, self.first_field().setFocus)

    def start(self) -> bool:
        """Begin this page's work on Next; True moves on at once (nothing to do)."""
        return True

    def validatePage(self) -> bool:
        if self._passed:
            self._passed = False
            return True
        if self._working:
            return False
        try:
            return self.start()
        except SetupError as error:
            self.say(str(error))
            return False

    def run(self, work: Callable[[], Any], done: Callable[[Any], str | None], busy: str) -> None:
        """work() in the background; done(result) returns an error to show, or None to go on."""
        self._working = True
        self.progress.show()
        self.say(busy)
        self.setup_wizard.ops.run(
            work,
            success=lambda result: self._finished(done(result)),
            failure=lambda error: self._finished(error_text(error)),
            owner=self,
        )

    def _finished(self, error: str | None) -> None:
        self._working = False
        self.progress.hide()
        if error is not None:
            self.say(error)
            self.first_field().setFocus()
            return
        self._passed = True
        self.setup_wizard.next()

    def say(self, text: str) -> None:
        self.message.setText(text)


class StorePage(BusyPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "门店和收银台")
        self.store_name = named(QLineEdit(), "store_name")
        self.address = named(QLineEdit(), "store_address")
        self.till = named(QSpinBox(minimum=1, maximum=99), "till_number")
        form = QFormLayout(self)
        form.addRow("门店名称", self.store_name)
        form.addRow("门店地址", self.address)
        form.addRow("本机收银台编号", self.till)
        form.addRow(QLabel("同一门店的每台收银机用不同编号（1 号、2 号……），小票号各自连续。"))
        form.addRow(self.message)

    def first_field(self) -> QWidget:
        return self.store_name

    def start(self) -> bool:
        if not self.store_name.text().strip():
            raise SetupError("请填写门店名称。")
        return True


class ManagerPage(BusyPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "店长账号")
        self.code = named(QLineEdit("2001"), "manager_code")
        self.name = named(QLineEdit(), "manager_name")
        self.pin = named(QLineEdit(echoMode=QLineEdit.EchoMode.Password), "manager_pin")
        self.again = named(QLineEdit(echoMode=QLineEdit.EchoMode.Password), "manager_pin_again")
        form = QFormLayout(self)
        form.addRow("店长工号", self.code)
        form.addRow("店长姓名", self.name)
        form.addRow("密码（4–8 位数字）", self.pin)
        form.addRow("再输一次密码", self.again)
        form.addRow(self.message)

    def first_field(self) -> QWidget:
        return self.code

    def initializePage(self) -> None:
        super().initializePage()
        QTimer.singleShot(0, self.code.selectAll)  # typing replaces the suggested number

    def start(self) -> bool:
        if self.pin.text() != self.again.text():
            self.pin.clear()
            self.again.clear()
            self.pin.setFocus()
            raise SetupError("两次输入的密码不一样，请重新输入。")
        validate(self.setup_wizard.collect())
        return True


class PrinterPage(BusyPage):
    """The printer and paper (rows shared with 设置); Next stores the whole setup (store,
    manager, printer)."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "小票打印机")
        db = wizard.db
        self.box = PrinterBox(self, lambda uri: print_test_page_now(db, uri), wizard.ops)
        self.box.kind.setCurrentIndex(0)  # a network printer: what most shops have
        form = QFormLayout(self)
        self.box.add_rows(form)
        form.addRow(self.progress)
        form.addRow(self.message)

    def first_field(self) -> QWidget:
        return self.box.kind

    def start(self) -> bool:
        setup = self.setup_wizard.collect()
        validate(setup)
        db = self.setup_wizard.db
        self.run(lambda: apply_setup(db, setup), lambda _till: None, "正在保存设置……")
        return False


class MallPage(BusyPage):
    """Pairing with the mall by the one-time code its store admin shows; may be skipped."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "连接线上商城（可跳过）")
        self.url = named(QLineEdit(placeholderText="https://mall.example.cn"), "mall_url")
        self.code = named(QLineEdit(placeholderText="XXXXX-XXXXX"), "pairing_code")
        form = QFormLayout(self)
        form.addRow("商城地址", self.url)
        form.addRow("配对码", self.code)
        form.addRow(QLabel("配对码由商城后台生成（门店 → 收银台配对）。不连接商城也能收银。"))
        form.addRow(self.progress)
        form.addRow(self.message)

    def first_field(self) -> QWidget:
        return self.url

    def start(self) -> bool:
        url, code = self.url.text().strip(), self.code.text().strip()
        if not url and not code:
            return True
        if not (url and code):
            raise SetupError("请同时填写商城地址和配对码，或都留空跳过。")
        db = self.setup_wizard.db
        self.run(lambda: pair_till(db, url, code), lambda name: None, "正在与商城配对……")
        return False


class ProductsPage(BusyPage):
    """The shop's product list from a CSV/XLSX file; nothing is stored unless every row is
    good, and every bad row is reported in Chinese."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "导入商品（可跳过）")
        self.path = named(
            QLineEdit(placeholderText="商品表的文件路径（.xlsx 或 .csv）"), "import_path"
        )
        self.template_button = named(QPushButton("生成导入模板(&D)"), "template")
        self.template_button.clicked.connect(self.make_template)
        self.report = named(QPlainTextEdit(readOnly=True), "import_report")
        form = QFormLayout(self)
        form.addRow("商品表", self.path)
        form.addRow(self.template_button)
        form.addRow(self.progress)
        form.addRow(self.message)
        form.addRow(self.report)

    def first_field(self) -> QWidget:
        return self.path

    def make_template(self) -> None:
        target = self.setup_wizard.db.path.parent / TEMPLATE_NAME
        self.setup_wizard.ops.run(
            lambda: write_template(target),
            success=lambda path: self.say(f"模板已保存：{path}（填好后在上面填写它的路径）"),
            failure=lambda error: self.say(f"模板没有保存：{error_text(error)}"),
            owner=self,
        )
        self.path.setText(str(target))

    def start(self) -> bool:
        text = self.path.text().strip()
        if not text:
            return True
        path, db = Path(text), self.setup_wizard.db
        self.report.clear()
        self.run(lambda: import_file(db, path), self._imported, "正在导入商品……")
        return False

    def _imported(self, report: ImportReport) -> str | None:
        if report.written:
            self.report.setPlainText(f"已导入 {report.inserted + report.updated} 个商品。")
            return None
        self.report.setPlainText("\n".join(row_report(report)))
        return f"有 {report.bad_rows} 行需要修改，商品都没有导入。改好文件后再按“下一步”。"


def import_file(db: Database, path: Path) -> ImportReport:
    try:
        return import_catalog(db, path)
    except CatalogFileError as error:
        raise SetupError(f"无法读取 {path.name}：{error}") from error
    except OSError as error:
        raise SetupError(f"无法打开 {path}：{error.strerror}") from error


def row_report(report: ImportReport) -> list[str]:
    return [f"第 {e.row} 行，{e.column}：{e.message}" for e in report.errors]


class DonePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("设置完成")
        self.summary = named(QLabel(), "summary")
        self.summary.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.summary)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        setup = wizard.collect()
        self.summary.setText(
            f"{setup.store_name} {setup.till_number} 号收银台已设置好。\n"
            f"用店长工号 {setup.manager_code} 和刚才的密码登录，按 F9 开班后即可收银。\n"
            "这些设置以后可按 F10 在“设置”中修改（需要店长密码）。"
        )


class SetupWizard(QWizard):
    def __init__(self, db: Database, writer: Writer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.ops = OpRunner(self, writer=writer)  # the till's one writer
        self.setWindowTitle("门店通 POS 开店向导")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.store = StorePage(self)
        self.manager = ManagerPage(self)
        self.printer = PrinterPage(self)
        self.mall = MallPage(self)
        self.products = ProductsPage(self)
        for page in (self.store, self.manager, self.printer, self.mall, self.products):
            self.addPage(page)
        self.addPage(DonePage())
        self.resize(640, 480)

    def collect(self) -> TillSetup:
        return TillSetup(
            store_name=self.store.store_name.text().strip(),
            store_address=self.store.address.text().strip(),
            till_number=self.store.till.value(),
            manager_code=self.manager.code.text().strip(),
            manager_name=self.manager.name.text().strip(),
            manager_pin=self.manager.pin.text(),
            receipt_width_mm=self.printer.box.paper_mm,
            printer_uri=self.printer.box.uri,
        )

    def done(self, result: int) -> None:
        self.ops.shutdown()
        super().done(result)
