"""The pole display: ESC s / ESC Q A bytes decoded back, written from a worker over a real pty."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from pos_app.hardware.devices import DeviceStatus
from pos_app.hardware.pole_display import Light, PoleDisplay, PoleView, encode_view
from tests.hardware.pole_decode import Shown, decode_pole
from tests.hardware.pty_peer import PtyPeer


@pytest.fixture
def peer() -> Iterator[PtyPeer]:
    pty = PtyPeer()
    yield pty
    pty.close()


@pytest.mark.parametrize(
    ("amount_fen", "digits"),
    [
        (0, "0.00"),
        (1250, "12.50"),
        (-300, "-3.00"),
        (99_999_999, "999999.99"),
        (100_000_000, "--------"),
    ],
)
def test_amounts_are_shown_as_yuan_digits_and_never_cut(amount_fen: int, digits: str) -> None:
    """Eight digits at most; a larger amount shows dashes instead of a wrong number."""
    shown = decode_pole(encode_view(PoleView(Light.TOTAL, amount_fen)))
    assert shown[-1] == Shown(Light.TOTAL, digits)


def test_idle_blanks_the_digits_and_the_lights() -> None:
    assert decode_pole(encode_view(PoleView()))[-1] == Shown(Light.NONE, "")


def test_the_display_follows_a_sale_over_a_serial_port(peer: PtyPeer) -> None:
    """Price, total, paid and change arrive in order under their four lights."""
    display = PoleDisplay(peer.uri)
    views = [
        PoleView(Light.PRICE, 1580),
        PoleView(Light.TOTAL, 3780),
        PoleView(Light.PAID, 5000),
        PoleView(Light.CHANGE, 1220),
    ]
    try:
        for view in views:
            display.show(view)
            peer.read_until(lambda data, v=view: data.endswith(encode_view(v)))
        assert display.status()[0] is DeviceStatus.READY
    finally:
        display.close()
    shown = decode_pole(bytes(peer.received))
    assert shown[0] == Shown(Light.NONE, "")  # initialised blank
    assert shown[-1] == Shown(Light.CHANGE, "12.20")
    lit = [s for s in shown if s.digits]
    assert [(s.light, s.digits) for s in lit] == [
        (Light.PRICE, "15.80"),
        (Light.TOTAL, "37.80"),
        (Light.PAID, "50.00"),
        (Light.CHANGE, "12.20"),
    ]


def test_a_missing_display_never_slows_the_sale() -> None:
    """No such port: show() returns at once every time, and the status says missing."""
    display = PoleDisplay("serial:///dev/no-pole-display", retry_s=0.05)
    try:
        started = time.perf_counter()
        for amount in range(200):
            display.show(PoleView(Light.TOTAL, amount))
        assert time.perf_counter() - started < 0.05
        deadline = time.monotonic() + 5
        while display.status()[0] is not DeviceStatus.MISSING:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        display.close()


def test_a_display_unplugged_mid_sale_drops_views_and_says_so(peer: PtyPeer) -> None:
    """Cable pulled: later views are dropped without an error reaching the cashier."""
    display = PoleDisplay(peer.uri, retry_s=60)
    try:
        display.show(PoleView(Light.PRICE, 100))
        peer.read_until(lambda data: data.endswith(encode_view(PoleView(Light.PRICE, 100))))
        peer.unplug()
        display.show(PoleView(Light.TOTAL, 200))
        deadline = time.monotonic() + 5
        while display.status()[0] is not DeviceStatus.MISSING:
            assert time.monotonic() < deadline
            display.show(PoleView(Light.TOTAL, 200))
            time.sleep(0.01)
        assert display.status()[1]
    finally:
        display.close()
