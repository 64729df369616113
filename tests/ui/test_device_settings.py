"""外设 in 设置 (F10): each device's test button over a real pty, a wrong address refused in
Chinese, and saved devices opened at once (the status bar shows the scale ready)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pos_app.hardware.pole_display import Light
from pos_app.services.device_settings import (
    DeviceSettings,
    read_device_settings,
    save_device_settings,
)
from pos_app.store.db import Database
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QPushButton, Qt
from tests.conftest import CASHIER_ID, MANAGER_ID
from tests.hardware.pole_decode import Shown, decode_pole
from tests.hardware.pty_peer import ContinuousScale, PtyPeer
from tests.ui.conftest import FakeClock
from tests.ui.test_settings_layouts import open_settings, press_ok, type_into


@pytest.fixture
def peer() -> Iterator[PtyPeer]:
    pty = PtyPeer()
    yield pty
    pty.close()


def click(qtbot: QtBot, dialog: object, name: str) -> None:
    button = dialog.findChild(QPushButton, name)  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_scale_test_button_shows_the_live_weight(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, manager_approves: list[str], peer: PtyPeer
) -> None:
    """A continuous-output scale on the typed port: the test shows 1.234 kg."""
    sender = ContinuousScale(peer, b"ST,GS,+  1.234kg\r\n")
    try:
        dialog = open_settings(qtbot, window)
        type_into(dialog.devices.scale_uri, peer.uri, clock)
        click(qtbot, dialog, "test_scale_uri")
        result = dialog.devices.result
        qtbot.waitUntil(lambda: result.text() == "电子秤正常：1.234 kg", timeout=5000)
    finally:
        sender.stop()


def test_a_silent_port_is_reported_in_words(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, manager_approves: list[str], peer: PtyPeer
) -> None:
    """Nothing sends on the port: the test says so instead of hanging."""
    dialog = open_settings(qtbot, window)
    type_into(dialog.devices.scale_uri, peer.uri, clock)
    click(qtbot, dialog, "test_scale_uri")
    result = dialog.devices.result
    qtbot.waitUntil(lambda: result.text().startswith("电子秤没有数据"), timeout=6000)


def test_the_pole_test_lights_every_lamp(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, manager_approves: list[str], peer: PtyPeer
) -> None:
    """单价, 总计, 收款, 找零 in turn over 888888.88, decoded from the port's bytes."""
    dialog = open_settings(qtbot, window)
    type_into(dialog.devices.pole_uri, peer.uri, clock)
    click(qtbot, dialog, "test_pole_uri")
    qtbot.waitUntil(lambda: dialog.devices.result.text().startswith("已发送"), timeout=5000)
    peer.read_for(0.1)
    shown = [s for s in decode_pole(bytes(peer.received)) if s.digits]
    lights = [Light.PRICE, Light.TOTAL, Light.PAID, Light.CHANGE]
    assert shown == [Shown(light, "888888.88") for light in lights]


def test_a_wrong_address_is_refused_in_chinese_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, manager_approves: list[str], db: Database
) -> None:
    """COM3 without serial:// cannot be saved; the message says how to write it."""
    dialog = open_settings(qtbot, window)
    type_into(dialog.devices.scale_uri, "COM3", clock)
    press_ok(dialog)
    assert dialog.isVisible()
    assert "电子秤地址应以 serial:// / tcp:// 开头：COM3" in dialog.error.text()
    assert read_device_settings(db).scale_uri == ""


def test_saved_devices_are_opened_and_shown_in_the_status_bar(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    manager_approves: list[str],
    db: Database,
    peer: PtyPeer,
) -> None:
    """OK stores the scale; the till opens it and the status bar reads 秤 正常."""
    sender = ContinuousScale(peer, b"ST,GS,+  0.500kg\r\n")
    try:
        dialog = open_settings(qtbot, window)
        type_into(dialog.devices.scale_uri, peer.uri, clock)
        press_ok(dialog)
        qtbot.waitUntil(lambda: not window.sale.open_dialogs())
        assert read_device_settings(db).scale_uri == peer.uri
        status = window.status_labels["devices"]
        qtbot.waitUntil(lambda: (window.refresh_status(), status.text())[1].startswith("秤 正常"))
        assert window.ctx.scale is not None
    finally:
        window.devices.stop()
        sender.stop()


def test_testing_the_tills_own_scale_reads_it_instead_of_finding_its_port_busy(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    manager_approves: list[str],
    db: Database,
    peer: PtyPeer,
) -> None:
    """The scale in use holds its port; its test button shows its weight, not 被其他程序占用."""
    sender = ContinuousScale(peer, b"ST,GS,+  0.750kg\r\n")
    settings = DeviceSettings(peer.uri, "ascii", 5, "", "", "40x30")
    save_device_settings(db, settings, actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    window.devices.start()
    try:
        dialog = open_settings(qtbot, window)
        click(qtbot, dialog, "test_scale_uri")
        result = dialog.devices.result
        qtbot.waitUntil(lambda: result.text() == "电子秤正常：0.750 kg", timeout=5000)
        assert window.ctx.scale is not None and window.ctx.scale.state().reading is not None
    finally:
        window.devices.stop()
        sender.stop()
