"""The payment dialog with a real mall behind the gateway: the customer confirming on the phone is
shown live with a countdown, the cashier can cancel it, and code payments the sale does not use
are given back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mall.payment_models import PaymentRow
from mall.payments.sandbox import sandbox_books_fen
from pos_app.services.mall_payments import MallPaymentGateway
from pos_app.store.db import Database
from pos_app.store.models import Payment, Sale
from pos_app.ui import code_payment
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QApplication, Qt
from sync.credentials import pair
from tests.conftest import barcode_of
from tests.mall.payment_support import FAST_PAYMENTS, payment_code
from tests.sync.conftest import Mall, open_mall
from tests.ui.conftest import (
    FakeClock,
    find_open,
    finish_background_work,
    log_in,
    open_window,
    scan,
    wait_idle,
)
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text

WAIT_MS = 10_000


@pytest.fixture
def pay_mall(tmp_path: Path) -> Iterator[Mall]:
    """A mall whose customers confirm in 0.3 s and that waits 30 s before reversing."""
    payments = replace(FAST_PAYMENTS, deadline_s=30.0)
    yield from open_mall(f"sqlite:///{tmp_path / 'mall.db'}", payments=payments)  # type: ignore[arg-type]


@pytest.fixture
def till(
    qtbot: QtBot, db: Database, clock: FakeClock, pay_mall: Mall, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """The main window of a till paired with the mall, logged in, polling every 0.1 s."""
    monkeypatch.setattr(code_payment, "POLL_INTERVAL_MS", 100)
    pair(pay_mall.base_url, pay_mall.pair_code("S001"), db.path.parent, till_id="T01")
    gateway = MallPaymentGateway.paired(db)
    window = open_window(qtbot, db, clock)
    window.ctx.gateway = gateway
    log_in(qtbot, window)
    yield window
    finish_background_work(window)
    gateway.client.close()


def pay_by_code(window: MainWindow, clock: FakeClock, code: str) -> PaymentDialog:
    scan(window, barcode_of("1001"), clock, target=window.sale.table)
    window.sale.open_payment()
    dialog = find_open(window, PaymentDialog)
    scan(window, code, clock, target=dialog.amount)
    return dialog


def books(mall: Mall) -> int:
    with mall.db.read() as session:
        return sandbox_books_fen(session, "S001")


def test_the_pending_payment_shows_a_countdown_and_the_cashier_can_cancel_it(
    qtbot: QtBot, till: MainWindow, clock: FakeClock, db: Database, pay_mall: Mall
) -> None:
    """ "等待顾客输入密码… 剩余 N 秒" with a cancel button; cancelling reverses it at the mall."""
    dialog = pay_by_code(till, clock, payment_code("03"))  # the customer never confirms
    qtbot.waitUntil(lambda: dialog.pending.isVisible(), timeout=WAIT_MS)
    text = dialog.pending.text()
    assert text.startswith("等待顾客输入密码… 剩余 ") and text.endswith(" 秒")
    assert 25 <= int(text.split()[-2]) <= 30
    assert dialog.cancel_code.isVisible()
    qtbot.mouseClick(dialog.cancel_code, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.pending.isVisible(), timeout=WAIT_MS)
    wait_idle(qtbot, till)
    assert dialog.message.text() == "已撤销" and dialog.tenders == []
    with pay_mall.db.read() as session:
        assert session.scalar(select(PaymentRow.status)) == "cancelled"
    assert books(pay_mall) == 0
    dialog.reject()


def test_a_customer_who_confirms_on_the_phone_completes_the_sale(
    qtbot: QtBot, till: MainWindow, clock: FakeClock, db: Database, pay_mall: Mall
) -> None:
    """Pending, then paid: the sale commits with the mall payment as its WeChat tender."""
    dialog = pay_by_code(till, clock, payment_code("01"))
    qtbot.waitUntil(lambda: dialog.pending.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: till.sale.open_dialogs() == [], timeout=WAIT_MS)
    with db.read() as session:
        [tender] = session.execute(select(Payment.kind, Payment.amount_fen, Payment.reference))
    with pay_mall.db.read() as session:
        assert tender == ("wechat", 350, session.scalar(select(PaymentRow.id)))
    assert books(pay_mall) == 350


def test_closing_the_dialog_gives_back_a_code_payment_the_sale_did_not_use(
    qtbot: QtBot, till: MainWindow, clock: FakeClock, db: Database, pay_mall: Mall
) -> None:
    """Part paid by code, then the payment is abandoned: the mall reverses the code payment."""
    scan(till, barcode_of("1001"), clock, target=till.sale.table)
    till.sale.open_payment()
    dialog = find_open(till, PaymentDialog)
    dialog.amount.setText("1.00")
    scan(till, payment_code(), clock, target=dialog.code)
    qtbot.waitUntil(lambda: len(dialog.tenders) == 1, timeout=WAIT_MS)
    assert books(pay_mall) == 100
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    press(clock, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "再按一次 Esc" in dialog.message.text()
    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: till.sale.open_dialogs() == [])
    wait_idle(qtbot, till)
    with pay_mall.db.read() as session:
        assert session.scalar(select(PaymentRow.status)) == "cancelled"
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Sale)) == 0
    assert books(pay_mall) == 0


def open_payment_by_keys(qtbot: QtBot, till: MainWindow, clock: FakeClock) -> PaymentDialog:
    """Scan one cola (¥3.50) and press F12: the payment dialog with the keyboard."""
    scan_code(clock, barcode_of("1001"))
    return open_by_key(qtbot, clock, till, Qt.Key.Key_F12, PaymentDialog)


def test_enter_a_scan_or_one_esc_while_the_customer_confirms_takes_no_money(
    qtbot: QtBot, till: MainWindow, clock: FakeClock, db: Database, pay_mall: Mall
) -> None:
    """Case 2: pending WeChat payment; Enter, another code and a single Esc change nothing;
    Esc twice reverses it at the mall; then cash + Enter pays the sale with cash alone."""
    dialog = open_payment_by_keys(qtbot, till, clock)
    scan_code(clock, payment_code("03"))  # the customer never confirms
    qtbot.waitUntil(lambda: dialog.pending.isVisible(), timeout=WAIT_MS)
    press(clock, ENTER)
    scan_code(clock, payment_code())
    press(clock, Qt.Key.Key_Escape)
    wait_idle(qtbot, till)
    assert dialog.isVisible() and dialog.pending.isVisible() and dialog.tenders == []
    assert "再按一次 Esc" in dialog.message.text()
    with pay_mall.db.read() as session:
        assert session.scalars(select(PaymentRow.status)).all() == ["pending"]
    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.pending.isVisible(), timeout=WAIT_MS)
    wait_idle(qtbot, till)
    with pay_mall.db.read() as session:
        assert session.scalars(select(PaymentRow.status)).all() == ["cancelled"]
    assert dialog.isVisible() and focused() is dialog.amount
    press(clock, ENTER)  # the prefilled ¥3.50 in cash
    qtbot.waitUntil(lambda: till.sale.open_dialogs() == [], timeout=WAIT_MS)
    wait_idle(qtbot, till)
    with db.read() as session:
        assert session.execute(select(Payment.kind, Payment.amount_fen)).all() == [("cash", 350)]
    assert books(pay_mall) == 0


def test_a_confirmed_code_payment_completes_the_sale_however_often_enter_is_pressed(
    qtbot: QtBot, till: MainWindow, clock: FakeClock, db: Database, pay_mall: Mall
) -> None:
    """Enter pressed while the customer confirms: one sale, paid by WeChat, never cash too."""
    dialog = open_payment_by_keys(qtbot, till, clock)
    scan_code(clock, payment_code("01"))
    qtbot.waitUntil(lambda: dialog.pending.isVisible(), timeout=WAIT_MS)
    press(clock, ENTER)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: till.sale.open_dialogs() == [], timeout=WAIT_MS)
    wait_idle(qtbot, till)
    with db.read() as session:
        assert session.execute(select(Payment.kind, Payment.amount_fen)).all() == [("wechat", 350)]
        assert session.scalar(select(func.count()).select_from(Sale)) == 1
    assert books(pay_mall) == 350


def test_cash_and_wechat_split_by_keys(
    qtbot: QtBot, till: MainWindow, clock: FakeClock, db: Database, pay_mall: Mall
) -> None:
    """¥3.50 due: 1 + Enter in cash, then the WeChat code takes the ¥2.50 left."""
    dialog = open_payment_by_keys(qtbot, till, clock)
    type_text(clock, "1")
    press(clock, ENTER)
    assert [(t.kind.value, t.amount_fen) for t in dialog.tenders] == [("cash", 100)]
    scan_code(clock, payment_code())
    qtbot.waitUntil(lambda: till.sale.open_dialogs() == [], timeout=WAIT_MS)
    wait_idle(qtbot, till)
    with db.read() as session:
        rows = session.execute(select(Payment.kind, Payment.amount_fen).order_by(Payment.id))
        assert rows.all() == [("cash", 100), ("wechat", 250)]
    assert books(pay_mall) == 250
