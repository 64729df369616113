"""Weighing at the counter, keys only: a weighed item sold from the live reading of a scale on a
pty, tare and settling, with the pole display's bytes (another pty) decoded back to the amounts
the screen showed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.hardware.pole_display import Light
from pos_app.services.device_settings import DeviceSettings, save_device_settings
from pos_app.services.printing import send_job
from pos_app.store.db import Database
from pos_app.store.models import PrintJob, Sale
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QApplication, Qt
from pos_app.ui.weigh_dialog import WeighDialog
from tests.conftest import CASHIER_ID, MANAGER_ID
from tests.hardware.pole_decode import Shown, decode_pole
from tests.hardware.pty_peer import ContinuousScale, PtyPeer
from tests.hardware.tspl_decode import parse_tspl
from tests.ui.conftest import FakeClock, find_open, wait_idle
from tests.ui.keys import ENTER, press, scan_code, type_text

APPLES_PLU = "00042"  # 散装苹果, ¥12.90/kg, no barcode of its own
SETTLE_S = 1


@pytest.fixture
def scale_pty() -> Iterator[PtyPeer]:
    peer = PtyPeer()
    yield peer
    peer.close()


@pytest.fixture
def pole_pty() -> Iterator[PtyPeer]:
    peer = PtyPeer()
    yield peer
    peer.close()


@pytest.fixture
def scale(scale_pty: PtyPeer) -> Iterator[ContinuousScale]:
    """A domestic counter scale sending continuous ASCII; starts with 0.480 kg still moving."""
    sender = ContinuousScale(scale_pty, b"US,GS,+  0.480kg\r\n")
    yield sender
    sender.stop()


@pytest.fixture
def counter(
    window: MainWindow, db: Database, scale: ContinuousScale, scale_pty: PtyPeer, pole_pty: PtyPeer
) -> Iterator[MainWindow]:
    """The till with its scale and pole display set up (as 设置 would save them)."""
    settings = DeviceSettings(scale_pty.uri, "ascii", SETTLE_S, pole_pty.uri, "", "40x30")
    save_device_settings(db, settings, actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    window.devices.start()
    yield window
    window.devices.stop()


def pole_shows(pole: PtyPeer, shown: Shown) -> bool:
    """Whether the pole display shows `shown` now (reads without blocking the Qt loop long)."""
    pole.read_for(0.01)
    return bool(pole.received) and decode_pole(bytes(pole.received))[-1:] == [shown]


def open_weighing(qtbot: QtBot, window: MainWindow, clock: FakeClock) -> WeighDialog:
    scan_code(clock, APPLES_PLU)
    dialog = find_open(window, WeighDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog)
    return dialog


def test_a_weighed_item_is_sold_from_the_live_scale_reading(
    qtbot: QtBot,
    counter: MainWindow,
    clock: FakeClock,
    db: Database,
    scale: ContinuousScale,
    pole_pty: PtyPeer,
) -> None:
    """Scan apples: the live weight shows while it moves; Enter waits for it to settle, books
    1.234 kg at ¥12.90/kg = ¥15.92; F12, ¥20 cash. The pole display showed the unit price, the
    total, the cash and the change that the screen showed."""
    sale = counter.sale
    dialog = open_weighing(qtbot, counter, clock)
    qtbot.waitUntil(lambda: dialog.weight.text() == "0.480 kg")
    assert "称重中" in dialog.state_text.text()
    press(clock, ENTER)
    qtbot.waitUntil(lambda: "等待重量稳定" in dialog.message.text())
    assert sale.cart.is_empty  # nothing booked while the weight moves
    scale.frame = b"ST,GS,+  1.234kg\r\n"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is sale.table)  # the keys are back
    [line] = sale.cart.lines
    assert (line.qty, line.net_fen) == (1234, 1592)
    assert "1.234 kg" in sale.last_item.text() and "¥12.90" in sale.last_item.text()
    assert sale.total.text() == "¥15.92"

    press(clock, Qt.Key.Key_F12)
    payment = find_open(counter, PaymentDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is payment.amount)
    type_text(clock, "20")
    press(clock, ENTER)
    wait_idle(qtbot, counter)
    qtbot.waitUntil(lambda: "收 ¥20.00 找 ¥4.08" in sale.last_sale.text())

    with db.read() as session:
        [stored] = session.scalars(select(Sale)).all()
        assert (stored.total_fen, [(ln.sku, ln.qty, ln.net_fen) for ln in stored.lines]) == (
            1592,
            [("2001", 1234, 1592)],
        )
    change = Shown(Light.CHANGE, "4.08")
    qtbot.waitUntil(lambda: pole_shows(pole_pty, change))
    shown = [s for s in decode_pole(bytes(pole_pty.received)) if s.digits]
    assert shown == [
        Shown(Light.PRICE, "12.90"),
        Shown(Light.TOTAL, "15.92"),
        Shown(Light.PAID, "20.00"),
        change,
    ]


def test_a_weight_that_never_settles_is_refused_not_guessed(
    qtbot: QtBot, counter: MainWindow, clock: FakeClock
) -> None:
    """The scale keeps moving: after the store's settling time the cashier is told why, and
    the cart stays empty; Esc leaves the dialog."""
    dialog = open_weighing(qtbot, counter, clock)
    qtbot.waitUntil(lambda: dialog.weight.text() == "0.480 kg")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: f"{SETTLE_S} 秒内重量没有稳定" in dialog.message.text(), timeout=5000)
    assert counter.sale.cart.is_empty
    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not counter.sale.open_dialogs())
    assert counter.sale.cart.is_empty


def test_the_tare_key_books_the_goods_without_the_box(
    qtbot: QtBot, counter: MainWindow, clock: FakeClock, scale: ContinuousScale
) -> None:
    """A 120 g box on the scale, T tares it; 1.620 kg gross books 1.500 kg net."""
    scale.frame = b"ST,GS,+  0.120kg\r\n"
    dialog = open_weighing(qtbot, counter, clock)
    qtbot.waitUntil(lambda: dialog.weight.text() == "0.120 kg")
    type_text(clock, "t")
    qtbot.waitUntil(lambda: dialog.weight.text() == "0.000 kg")
    assert "净重" in dialog.state_text.text()
    scale.frame = b"ST,GS,+  1.620kg\r\n"
    qtbot.waitUntil(lambda: dialog.weight.text() == "1.500 kg")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: not counter.sale.open_dialogs())
    [line] = counter.sale.cart.lines
    assert (line.qty, line.net_fen) == (1500, 1935)


def test_a_weighing_counter_prints_a_label_that_any_till_reads_back(
    qtbot: QtBot,
    counter: MainWindow,
    clock: FakeClock,
    db: Database,
    scale: ContinuousScale,
    scale_pty: PtyPeer,
    pole_pty: PtyPeer,
    tmp_path: Path,
) -> None:
    """P instead of Enter: 0.850 kg of apples goes on a TSPL label (¥10.97, not into this cart);
    the label's EAN-13, scanned at the till, books apples at exactly ¥10.97."""
    printer = tmp_path / "label-printer.bin"
    settings = DeviceSettings(
        scale_pty.uri, "ascii", SETTLE_S, pole_pty.uri, f"file://{printer}", "40x30"
    )
    save_device_settings(db, settings, actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    scale.frame = b"ST,GS,+  0.850kg\r\n"
    dialog = open_weighing(qtbot, counter, clock)
    qtbot.waitUntil(lambda: dialog.weight.text() == "0.850 kg")
    type_text(clock, "p")
    qtbot.waitUntil(lambda: "称重标签已送到标签打印机" in counter.sale.message.text())
    assert counter.sale.cart.is_empty
    with db.read() as session:
        [job_id] = session.scalars(select(PrintJob.id)).all()
    send_job(db, job_id)
    [label] = parse_tspl(printer.read_bytes()).labels
    [code] = [c.text for c in zxingcpp.read_barcodes(label.image.convert("L"))]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is counter.sale.table)
    clock.advance(5000)  # the bag is labelled and carried to the till
    scan_code(clock, code)
    [line] = counter.sale.cart.lines
    assert (line.product.sku, line.net_fen, line.barcode) == ("2001", 1097, code)
