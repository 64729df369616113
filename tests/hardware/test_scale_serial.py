"""The serial scale driver over a real pty pair: polls, frames, noise, unplug, zero and tare."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from pos_app.hardware.devices import DeviceStatus
from pos_app.hardware.scale import ScaleKey, ScaleState, SerialScale
from pos_app.hardware.scale_protocols import PROTOCOLS
from tests.hardware.pty_peer import AnsweringScale, PtyPeer
from tests.hardware.test_scale_protocols import (
    ASCII_MOTION,
    ASCII_STABLE,
    NOISE,
    SMA_MOTION,
    SMA_STABLE,
    TOLEDO_MOTION,
    TOLEDO_STABLE,
)

FRAMES = {
    "toledo8217": (TOLEDO_MOTION, TOLEDO_STABLE),
    "sma": (SMA_MOTION, SMA_STABLE),
    "ascii": (ASCII_MOTION, ASCII_STABLE),
}


@pytest.fixture
def peer() -> Iterator[PtyPeer]:
    pty = PtyPeer()
    yield pty
    pty.close()


def wait_for(scale: SerialScale, check: Callable[[ScaleState], bool]) -> ScaleState:
    deadline = time.monotonic() + 5
    while not check(state := scale.state()):
        assert time.monotonic() < deadline, f"scale never got there: {state}"
        time.sleep(0.01)
    return state


def send_until(
    peer: PtyPeer, scale: SerialScale, frame: bytes, check: Callable[[ScaleState], bool]
) -> ScaleState:
    """Send the frame every 50 ms, as a continuously sending scale does, until check holds
    (frames sent before the driver opened the port are flushed by the open)."""
    deadline = time.monotonic() + 5
    while not check(state := scale.state()):
        assert time.monotonic() < deadline, f"scale never got there: {state}"
        peer.write(frame)
        time.sleep(0.05)
    return state


def open_scale(peer: PtyPeer, protocol: str) -> SerialScale:
    return SerialScale(peer.uri, protocol, poll_s=0.05, silent_after_s=0.5, retry_s=0.1)


@pytest.mark.parametrize("protocol", sorted(FRAMES))
def test_the_stable_weight_sent_is_the_weight_read(peer: PtyPeer, protocol: str) -> None:
    """In motion first (no usable weight), then the stable 1.234 kg; polled scales are asked."""
    motion, stable = FRAMES[protocol]
    poll = PROTOCOLS[protocol].poll
    answering = AnsweringScale(peer, poll, motion) if poll else None
    scale = open_scale(peer, protocol)
    try:
        if answering is None:
            state = send_until(peer, scale, motion, lambda s: s.reading is not None)
        state = wait_for(scale, lambda s: s.reading is not None)
        assert state.status is DeviceStatus.READY and not state.reading.usable  # type: ignore[union-attr]
        if answering is None:
            peer.write(stable)
        else:
            answering.frame = stable
        state = wait_for(scale, lambda s: s.reading is not None and s.reading.usable)
        assert state.reading is not None and state.reading.weight_g == 1234
    finally:
        scale.close()
        if answering:
            answering.stop()


def test_noise_on_the_line_does_not_disturb_the_weight(peer: PtyPeer) -> None:
    """Noise bytes before and between frames: the weight read is still the one sent."""
    scale = open_scale(peer, "ascii")
    try:
        stream = NOISE + b"\r\n" + ASCII_MOTION + NOISE + b"\n" + ASCII_STABLE
        state = send_until(
            peer, scale, stream, lambda s: s.reading is not None and s.reading.usable
        )
        assert state.reading is not None and state.reading.weight_g == 1234
    finally:
        scale.close()


def test_a_half_frame_then_silence_shows_no_weight_then_recovers(peer: PtyPeer) -> None:
    """The scale stops mid-frame: no weight is made up, the status says silent; whole frames
    afterwards are read correctly (the half frame is not glued onto them)."""
    scale = open_scale(peer, "toledo8217")
    try:
        send_until(peer, scale, TOLEDO_STABLE, lambda s: s.reading is not None)
        peer.write(b"\x0202.5")
        state = wait_for(scale, lambda s: s.status is DeviceStatus.SILENT)
        assert state.reading is None
        peer.write(b"\x0200.480\r")
        state = wait_for(scale, lambda s: s.reading is not None)
        assert state.reading is not None and state.reading.weight_g == 480
    finally:
        scale.close()


def test_a_cable_pulled_mid_frame_is_reported_and_no_weight_remains(peer: PtyPeer) -> None:
    """Unplugged mid-frame: status missing, the last weight is gone (never booked stale)."""
    scale = open_scale(peer, "ascii")
    try:
        send_until(peer, scale, ASCII_STABLE, lambda s: s.reading is not None)
        peer.write(ASCII_STABLE[:9])
        peer.unplug()
        state = wait_for(scale, lambda s: s.status is DeviceStatus.MISSING)
        assert state.reading is None
        assert state.detail
    finally:
        scale.close()


def test_a_scale_speaking_another_protocol_is_reported_as_garbage(peer: PtyPeer) -> None:
    """An ASCII scale on a till set to Toledo 8217: the status says garbage, never a weight."""
    scale = open_scale(peer, "toledo8217")
    try:
        garbage = lambda s: s.status is DeviceStatus.GARBAGE  # noqa: E731
        state = send_until(peer, scale, ASCII_STABLE, garbage)
        assert state.reading is None and state.seq == 0
    finally:
        scale.close()


def test_a_missing_port_and_a_port_in_use(peer: PtyPeer) -> None:
    """No such port: missing. A port another program holds: busy."""
    gone = SerialScale("serial:///dev/does-not-exist", "ascii", retry_s=0.1)
    first = open_scale(peer, "ascii")
    second = open_scale(peer, "ascii")
    try:
        assert wait_for(gone, lambda s: s.status is DeviceStatus.MISSING).reading is None
        # Either may win the port (both open on their own threads): wait until one is busy.
        deadline = time.monotonic() + 5
        while not any(s.state().status is DeviceStatus.BUSY for s in (first, second)):
            assert time.monotonic() < deadline, (first.state(), second.state())
            time.sleep(0.01)
        assert [s.state().status is DeviceStatus.BUSY for s in (first, second)].count(True) == 1
    finally:
        for scale in (gone, first, second):
            scale.close()


def test_zero_and_tare_keys_send_the_protocol_commands(peer: PtyPeer) -> None:
    """Toledo 8217: Z zeroes, T CR tares, C clears the tare once the tared platter is empty."""
    answering = AnsweringScale(peer, b"W", TOLEDO_STABLE)
    scale = open_scale(peer, "toledo8217")
    try:
        wait_for(scale, lambda s: s.reading is not None)
        scale.press(ScaleKey.ZERO)
        scale.press(ScaleKey.TARE)
        answering.frame = b"\x0200.000N\r"
        wait_for(scale, lambda s: s.reading is not None and s.reading.net)
        scale.press(ScaleKey.TARE)
        deadline = time.monotonic() + 5
        while b"C" not in answering.requests:
            assert time.monotonic() < deadline, bytes(answering.requests)
            time.sleep(0.01)
        commands = bytes(answering.requests).replace(b"W", b"")
        assert commands == b"ZT\rC"
    finally:
        scale.close()
        answering.stop()


def test_a_scale_that_takes_no_commands_is_tared_by_the_till(peer: PtyPeer) -> None:
    """Continuous ASCII: tare with the box on the platter, then the goods weigh net of it."""
    scale = open_scale(peer, "ascii")
    try:
        send_until(peer, scale, b"ST,GS,+  0.120kg\r\n", lambda s: s.reading is not None)
        scale.press(ScaleKey.TARE)
        peer.write(b"ST,GS,+  0.120kg\r\n")
        state = wait_for(scale, lambda s: s.reading is not None and s.reading.net)
        assert state.reading is not None and state.reading.weight_g == 0
        peer.write(b"ST,GS,+  1.620kg\r\n")
        state = wait_for(scale, lambda s: s.reading is not None and s.reading.weight_g != 0)
        assert state.reading is not None
        assert (state.reading.weight_g, state.reading.net) == (1500, True)
    finally:
        scale.close()
