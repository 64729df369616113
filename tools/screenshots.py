"""Every screen of the till rendered to PNG at 1024×768 (offscreen works), for review without a
display: log-in, sale, search, payment, refund, shift close, settings, customer display.

capture_all() rings up and commits sales, refunds and a Z close in the database it is given:
hand it a scratch demo database (capture_demo() makes one in a temporary folder).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pos_app.demo.data import (
    generate_demo_catalog,
    sample_barcodes,
    sample_scale_barcodes,
    seed_demo_store,
)
from pos_app.demo.staff import DEMO_CASHIER, DEMO_STAFF
from pos_app.domain.cart import Cart
from pos_app.domain.money import format_fen
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.permissions import Action, Need
from pos_app.services.shift import open_shift, x_report
from pos_app.services.till_views import till_status
from pos_app.services.writer import Writer
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.ui.app import make_application
from pos_app.ui.first_screen import WINDOW_SIZE
from pos_app.ui.i18n import tr
from pos_app.ui.main_window import MainWindow
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import (
    QApplication,
    QColor,
    QDialog,
    QMessageBox,
    QPainter,
    QRect,
    Qt,
    QWidget,
)
from pos_app.ui.refund_dialog import RefundDialog
from pos_app.ui.search_dialog import SearchDialog
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.shift_dialog import ShiftDialog
from pos_app.ui.till import bootstrap
from pos_app.ui.till_window import build_window
from pos_app.ui.widgets import wait_until
from tools.screen_fit import fit_problems
from tools.screen_texts import Texts, visible_texts

DEMO_SKUS = 3000
SEARCH_TEXT = "kkkl"  # pinyin initials of 可口可乐
TITLE_BAR_PX = 30
COUNTED_SHORT_FEN = 100  # the demo drawer is ¥1 short at the Z close
FRAME_COLOR = "#37474f"


def _shot(window: QWidget, dialog: QDialog | None, path: Path, texts: Texts | None = None) -> Path:
    """The window with the dialog drawn centred over it in a titled frame, saved as PNG;
    texts (when given) gets what the screen shows in words, under the shot's name, and what
    does not fit 1024×768 under "fit:<name>"."""
    QApplication.processEvents()
    if texts is not None:
        shown = visible_texts(window) + (visible_texts(dialog) if dialog is not None else [])
        texts[path.stem] = shown
        problems = fit_problems(window) + (fit_problems(dialog, titled=True) if dialog else [])
        texts[f"fit:{path.stem}"] = problems
    pixmap = window.grab()
    if dialog is not None:
        layer = dialog.grab()
        x = (pixmap.width() - layer.width()) // 2
        y = (pixmap.height() - layer.height() + TITLE_BAR_PX) // 2
        painter = QPainter(pixmap)
        title = QRect(x, y - TITLE_BAR_PX, layer.width(), TITLE_BAR_PX)
        painter.fillRect(title, QColor(FRAME_COLOR))
        painter.setPen(QColor("white"))
        painter.drawText(
            title.adjusted(10, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, dialog.windowTitle()
        )
        painter.drawPixmap(x, y, layer)
        painter.setPen(QColor(FRAME_COLOR))
        painter.drawRect(
            QRect(x - 1, y - TITLE_BAR_PX, layer.width() + 1, layer.height() + TITLE_BAR_PX)
        )
        painter.end()
    pixmap.save(str(path), "PNG")
    return path


def _log_in(window: MainWindow) -> None:
    window.login.code.setText(DEMO_CASHIER[0])
    window.login.pin.setText(DEMO_CASHIER[1])
    window.login.submit()
    wait_until(lambda: window.ctx.staff is not None)


def _ring_up(window: MainWindow, db: Database) -> None:
    with db.read() as session:
        codes = sample_barcodes(session, 4) + sample_scale_barcodes(session, 1)
    for code in [*codes[:2], codes[0], *codes[2:]]:
        window.sale.on_scan(code)


def _dialog(window: MainWindow, kind: type[QDialog]) -> QDialog:
    [dialog] = [d for d in window.sale.open_dialogs() if isinstance(d, kind)]
    return dialog


def _commit_cart(window: MainWindow) -> str:
    """Commit the cart on screen as a cash sale (for the refund screen) and start a new one."""
    cart = Cart.from_dict(window.sale.cart.to_dict())
    due = cart.payable_fen(window.ctx.rounding)
    result = checkout(
        window.ctx.db,
        cart=cart,
        tenders=[Tender(TenderKind.CASH, due)],
        cashier_id=window.ctx.staff_id,
    )
    window.sale.sale_done(result)
    return result.sale_no


def capture_all(db: Database, out_dir: Path, texts: Texts | None = None) -> list[Path]:
    """Render each screen of the till on db into out_dir as NN-name.png; returns the paths.
    texts, when given, gets the words each screen shows (see tools.screen_texts)."""
    make_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    window = build_window(bootstrap(db, Writer(), demo=True))
    window.resize(*WINDOW_SIZE)
    window.show()
    shots = [_shot(window, None, out_dir / "01-login.png", texts)]
    _log_in(window)
    with db.read() as session:
        has_shift = till_status(session).shift_id is not None
    if not has_shift:  # log-in opened the open-shift form: open it as the cashier would
        open_shift(db, staff_id=window.ctx.staff_id, float_fen=50000)
        _dialog(window, ShiftDialog).accept()
    window.reload_status()
    _ring_up(window, db)
    shots.append(_shot(window, None, out_dir / "02-sale.png", texts))
    # the customer's screen while the cart is on it (the sale is paid and the shift closed below)
    display_shot = _customer_display_shot(window, out_dir / "10-customer-display.png", texts)

    window.sale.open_search()
    search = _dialog(window, SearchDialog)
    assert isinstance(search, SearchDialog)
    search.query.setText(SEARCH_TEXT)
    search.run_query()
    wait_until(lambda: search.results.rowCount() > 0 or bool(search.status.text()))
    shots.append(_shot(window, search, out_dir / "03-search.png", texts))
    search.reject()

    window.sale.open_payment()
    payment = _dialog(window, PaymentDialog)
    assert isinstance(payment, PaymentDialog)
    payment.amount.setText("50")
    payment.add_cash(2000)
    shots.append(_shot(window, payment, out_dir / "04-payment.png", texts))
    payment.reject()

    sale_no = _commit_cart(window)
    window.sale.open_refund()
    refund = _dialog(window, RefundDialog)
    assert isinstance(refund, RefundDialog)
    refund.number.setText(sale_no)
    refund.look_up()
    refund.set_refund_qty(1, "1")
    shots.append(_shot(window, refund, out_dir / "05-refund.png", texts))
    refund.reject()

    window.sale.open_shift()
    shift = _dialog(window, ShiftDialog)
    assert isinstance(shift, ShiftDialog)
    expected_fen = x_report(db).expected_cash_fen
    shift.counted.setText(format_fen(expected_fen - COUNTED_SHORT_FEN, symbol=False))
    shift.z_close()
    wait_until(lambda: shift.findChild(QMessageBox, "z_confirm") is not None)
    confirm = shift.findChild(QMessageBox, "z_confirm")
    assert confirm is not None
    next(b for b in confirm.buttons() if b.text() == tr("z_confirm_yes")).click()
    wait_until(lambda: bool(shift.report_values()))
    shots.append(_shot(window, shift, out_dir / "06-shift-close.png", texts))
    shift.accept()

    settings = SettingsDialog(window, window.ctx, window.ctx.staff_id)
    settings.show()
    shots.append(_shot(window, settings, out_dir / "07-settings.png", texts))
    permissions = settings.open_permissions()
    shots.append(_shot(window, permissions, out_dir / "08-permissions.png", texts))
    permissions.reject()
    settings.reject()
    shots.append(_refused_approval(window, out_dir / "09-approval.png", texts))

    shots.append(display_shot)
    window.dispose()
    return shots


def _customer_display_shot(window: MainWindow, path: Path, texts: Texts | None) -> Path:
    display = window.customer_display or _customer_display(window)
    display.show()
    shot = _shot(display, None, path, texts)
    display.close()
    return shot


def _refused_approval(window: MainWindow, path: Path, texts: Texts | None) -> Path:
    """The approver dialog for a ¥268.00 refund after the supervisor's number and PIN: refused,
    above the supervisor's limit, saying who may."""
    need = Need(Action.REFUND_RECEIPT, 26800)
    dialog = OverrideDialog(window, window.ctx, tr("reason_refund", amount="¥268.00"), need)
    dialog.show()
    code, _name, _role, pin = DEMO_STAFF[2]
    dialog.code.setText(code)
    dialog.pin.setText(pin)
    dialog.buttons.accepted.emit()
    wait_until(lambda: dialog.buttons.isEnabled())
    shot = _shot(window, dialog, path, texts)
    dialog.reject()
    return shot


def _customer_display(window: MainWindow) -> QWidget:
    from pos_app.ui.customer_display import CustomerDisplay

    with window.ctx.db.read() as session:
        name = till_status(session).store_name
    display = CustomerDisplay(window.sale.model, name)
    display.show_total(window.sale.cart.payable_fen(window.ctx.rounding))
    return display


def capture_demo(out_dir: Path, *, skus: int = DEMO_SKUS, texts: Texts | None = None) -> list[Path]:
    """capture_all() on a fresh demo store made in a temporary folder (nothing else touched)."""
    with tempfile.TemporaryDirectory(prefix="pos-screens-") as scratch:
        path = Path(scratch) / "demo.db"
        upgrade(path)
        db = Database(path)
        try:
            seed_demo_store(db)
            generate_demo_catalog(db, skus)
            return capture_all(db, out_dir, texts)
        finally:
            db.dispose()
