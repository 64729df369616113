"""Fixtures for driving the real main window: a fake key clock for the scanner, a logged-in
window on the test database, and helpers that scan, pay and wait without sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import pytest
from pytestqt.qtbot import QtBot

from pos_app.services.mall_payments import MallPaymentGateway
from pos_app.services.payments import PaymentGateway, UnavailableGateway
from pos_app.services.permissions import Need
from pos_app.services.till_start import till_start
from pos_app.services.writer import Writer
from pos_app.store.db import Database
from pos_app.store.settings import set_setting
from pos_app.ui.close_guard import CloseChoice, CloseWithCartDialog
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import set_language
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ops import OpRunner
from pos_app.ui.override_dialog import Approval, OverrideDialog
from pos_app.ui.payment_upkeep import PaymentUpkeep
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.qt import QApplication, QDialog, QKeyEvent, Qt, QTest, QWidget
from pos_app.ui.sync_bridge import SyncBridge
from pos_app.ui.till import Till
from tests.conftest import CASHIER_PIN, MANAGER_ID
from tests.hardware.fake_printer import FakePrinter

D = TypeVar("D", bound=QDialog)
ASK_ON_CLOSE = CloseWithCartDialog.ask.__func__  # type: ignore[attr-defined]
SCANNER_KEY_MS = 10  # a keyboard-wedge scanner
HUMAN_KEY_MS = 200  # a person typing


class FakeClock:
    """The scanner's key clock under the test's control: time moves only when told to."""

    def __init__(self) -> None:
        self.now_ms = 1_000_000.0

    def __call__(self, _event: QKeyEvent) -> float:
        return self.now_ms

    def advance(self, ms: float) -> None:
        self.now_ms += ms


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


_writers: list[Writer] = []  # the writers of the tills the running test made


def new_writer() -> Writer:
    """A till's writer for this test, closed when the test's database fixture ends."""
    writer = Writer()
    _writers.append(writer)
    return writer


@pytest.fixture
def db(db: Database) -> Iterator[Database]:
    """The test database (tests/conftest.py); when the test ends, the writers of the tills made
    on it are closed before it is disposed, so their threads do not pile up over the suite.
    By then pytest-qt has closed and deleted the windows (closeEvent waits for the operations
    their runner queued) and the fixtures that opened one have let the writer finish
    (finish_background_work); close() finishes whatever is left, then ends the thread."""
    yield db
    while _writers:
        _writers.pop().close()


def make_till(
    db: Database,
    clock: FakeClock,
    *,
    gateway: PaymentGateway | None = None,
    printer: bool = False,
    sync: SyncBridge | None = None,
) -> Till:
    """The till of a test on db with its own writer (new_writer); a receipt printer when asked,
    sync when given, the payment upkeep when payments go through the mall. Nothing is started:
    a test starts the parts it needs when its scene is set."""
    writer = new_writer()
    ops = OpRunner(writer=writer)
    gateway = gateway or UnavailableGateway()
    return Till(
        db,
        writer,
        ops,
        till_start(db),
        gateway=gateway,
        printer=PrinterBridge(db, ops) if printer else None,
        sync=sync,
        upkeep=PaymentUpkeep(gateway) if isinstance(gateway, MallPaymentGateway) else None,
        clock=clock,
    )


def open_window(
    qtbot: QtBot,
    db: Database,
    clock: FakeClock,
    *,
    gateway: PaymentGateway | None = None,
    printer: bool = False,
    sync: SyncBridge | None = None,
) -> MainWindow:
    """A shown main window on db whose scanner uses clock (make_till says what it has)."""
    set_language("zh_CN")
    window = MainWindow(make_till(db, clock, gateway=gateway, printer=printer, sync=sync))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def log_in(qtbot: QtBot, window: MainWindow, code: str = "1001", pin: str = CASHIER_PIN) -> None:
    """Log in through the log-in page and wait for the sale screen."""
    window.login.code.setText(code)
    window.login.pin.setText(pin)
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sale)


def open_synced_window(
    qtbot: QtBot, db: Database, clock: FakeClock, sync: SyncBridge
) -> MainWindow:
    """A paired till's window, logged in, its sync worker running."""
    window = open_window(qtbot, db, clock, sync=sync)
    log_in(qtbot, window)
    sync.start()
    return window


@pytest.fixture
def window(
    request: pytest.FixtureRequest, qtbot: QtBot, db: Database, clock: FakeClock
) -> Iterator[MainWindow]:
    """The main window, logged in as the cashier, showing the sale screen; with the receipt
    printer when the test uses `bridge`."""
    main = open_window(qtbot, db, clock, printer="bridge" in request.fixturenames)
    log_in(qtbot, main)
    yield main
    finish_background_work(main)


def type_keys(target: QWidget, text: str, clock: FakeClock, *, interval_ms: float) -> None:
    """Key presses into target, interval_ms apart on the scanner's clock, then Enter."""
    for char in text:
        clock.advance(interval_ms)
        QTest.keyClick(target, char)
    clock.advance(interval_ms)
    QTest.keyClick(target, Qt.Key.Key_Return)


def scan(window: MainWindow, code: str, clock: FakeClock, target: QWidget | None = None) -> None:
    """A scanner burst into target (default: the widget with focus, else the cart table)."""
    focus = QApplication.focusWidget()
    type_keys(target or focus or window.sale.table, code, clock, interval_ms=SCANNER_KEY_MS)


def find_open(window: MainWindow, kind: type[D]) -> D:
    """The open (visible) dialog of this type on the sale screen."""
    [dialog] = [d for d in window.sale.open_dialogs() if isinstance(d, kind)]
    return dialog


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until every background operation has delivered its result."""
    qtbot.waitUntil(lambda: not window.ops.busy)


def finish_background_work(window: MainWindow) -> None:
    """A fixture's teardown: pytest-qt has closed (and deleted) the window by then, so the
    results of operations still queued will not be delivered (test_zhe_discount ended with its
    journal write queued, and waiting for the delivery waited for ever). Let the writer finish
    them instead, so none writes after the test's database is disposed."""
    window.ops.shutdown()


@pytest.fixture
def manager_approves(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """OverrideDialog.ask answers as if the manager typed their PIN; returns the reasons asked."""
    reasons: list[str] = []

    def ask(parent: QWidget | None, ctx: TillContext, reason: str, need: Need) -> Approval:
        reasons.append(reason)
        return Approval(MANAGER_ID, "李经理", "manager")

    monkeypatch.setattr(OverrideDialog, "ask", ask)
    return reasons


@pytest.fixture(autouse=True)
def close_keeps_the_cart(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window closed when a test ends keeps its cart (the answer 返回收银) instead of waiting
    on the question; tests of that question use `ask_on_close` to get the real dialog."""
    monkeypatch.setattr(
        CloseWithCartDialog, "ask", classmethod(lambda cls, parent, cart: CloseChoice.STAY)
    )


@pytest.fixture
def ask_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the window asks its real question (answered by the test's keys)."""
    monkeypatch.setattr(CloseWithCartDialog, "ask", classmethod(ASK_ON_CLOSE))


@pytest.fixture
def printer(db: Database) -> Iterator[FakePrinter]:
    """The till's receipt printer: a TCP endpoint recording every job."""
    endpoint = FakePrinter()
    with db.write() as session:
        set_setting(session, "printer_uri", endpoint.uri)
    yield endpoint
    endpoint.close()


@pytest.fixture
def bridge(window: MainWindow, printer: FakePrinter) -> Iterator[PrinterBridge]:
    """The window's print worker, not yet started: a test starts it when its scene is set."""
    bridge = window.till.printer
    assert bridge is not None
    yield bridge
    bridge.stop()


@pytest.fixture
def printing(bridge: PrinterBridge) -> PrinterBridge:
    """The window's print worker, running."""
    bridge.start()
    return bridge
