"""The three counter-scale protocols as state machines: frames, chunking, noise and cut frames."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.hardware.scale_protocols import Reading, ScaleFault, parser_for

TOLEDO_STABLE = b"\x0201.234\r"
TOLEDO_NET = b"\x0200.850N\r"
TOLEDO_MOTION = b"\x02?\x41\r"  # bit 6 always set, bit 0 motion
TOLEDO_OVER = b"\x02?\x42\r"
TOLEDO_POUNDS = b"\x02002.72\r"


def sma(status: str, mode: str, motion: str, weight: str, unit: str) -> bytes:
    """An SMA reply: LF, status, range 1, gross/net, motion, reserved, 10-char weight, unit, CR."""
    return f"\n{status}1{mode}{motion} {weight:>10}{unit:<3}\r".encode()


SMA_STABLE = sma(" ", "G", " ", "1.234", "kg")
SMA_MOTION = sma(" ", "G", "M", "1.100", "kg")
SMA_NET = sma(" ", "N", " ", "0.500", "kg")
SMA_OVER = sma("O", "G", " ", "30.200", "kg")
SMA_GRAMS = sma(" ", "G", " ", "250", "g")
ASCII_STABLE = b"ST,GS,+  1.234kg\r\n"
ASCII_MOTION = b"US,GS,+  1.180kg\r\n"
ASCII_NET = b"ST,NT,+  0.750kg\r\n"
ASCII_OVER = b"OL,GS,+  0.000kg\r\n"
ASCII_NEGATIVE = b"ST,GS,-  0.012kg\r\n"

CASES = [
    ("toledo8217", TOLEDO_STABLE, Reading(1234, stable=True)),
    ("toledo8217", TOLEDO_NET, Reading(850, stable=True, net=True)),
    ("toledo8217", TOLEDO_MOTION, Reading(None, stable=False)),
    ("toledo8217", TOLEDO_OVER, Reading(None, stable=True, fault=ScaleFault.OVERLOAD)),
    ("toledo8217", TOLEDO_POUNDS, Reading(None, stable=True, fault=ScaleFault.WRONG_UNIT)),
    ("sma", SMA_STABLE, Reading(1234, stable=True)),
    ("sma", SMA_MOTION, Reading(1100, stable=False)),
    ("sma", SMA_NET, Reading(500, stable=True, net=True)),
    ("sma", SMA_OVER, Reading(None, stable=True, fault=ScaleFault.OVERLOAD)),
    ("sma", SMA_GRAMS, Reading(250, stable=True)),
    ("ascii", ASCII_STABLE, Reading(1234, stable=True)),
    ("ascii", ASCII_MOTION, Reading(1180, stable=False)),
    ("ascii", ASCII_NET, Reading(750, stable=True, net=True)),
    ("ascii", ASCII_OVER, Reading(None, stable=False, fault=ScaleFault.OVERLOAD)),
    ("ascii", ASCII_NEGATIVE, Reading(-12, stable=True)),
]
STREAMS = {
    "toledo8217": [TOLEDO_MOTION, TOLEDO_STABLE, TOLEDO_NET],
    "sma": [SMA_MOTION, SMA_STABLE, SMA_NET],
    "ascii": [ASCII_MOTION, ASCII_STABLE, ASCII_NET],
}
NOISE = b"\x00\xff\x13garbage\x7f"


@pytest.mark.parametrize(("protocol", "frame", "reading"), CASES)
def test_each_frame_decodes_to_what_the_scale_displays(
    protocol: str, frame: bytes, reading: Reading
) -> None:
    """Weight in grams, stable/in motion, net when tared, faults instead of weights."""
    assert parser_for(protocol).feed(frame) == [reading]


@pytest.mark.parametrize("protocol", sorted(STREAMS))
@given(cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=12))
def test_frames_split_anywhere_give_the_same_readings(protocol: str, cuts: list[int]) -> None:
    """A serial port hands over bytes in any chunks; the readings do not depend on them."""
    stream = b"".join(STREAMS[protocol])
    expected = parser_for(protocol).feed(stream)
    parser, got, last = parser_for(protocol), [], 0
    for cut in sorted({min(cut, len(stream)) for cut in cuts} | {len(stream)}):
        got += parser.feed(stream[last:cut])
        last = cut
    assert got == expected
    assert len(got) == 3


@pytest.mark.parametrize("protocol", sorted(STREAMS))
def test_noise_between_frames_is_skipped_and_counted(protocol: str) -> None:
    """Line noise yields nothing and shows up as garbage; the frames around it still decode."""
    first, second, _ = STREAMS[protocol]
    newline = b"\n" if protocol == "ascii" else b""
    parser = parser_for(protocol)
    readings = parser.feed(first + NOISE + newline + second)
    assert [r.weight_g for r in readings] == [
        parser_for(protocol).feed(f)[0].weight_g for f in (first, second)
    ]
    assert parser.feed(NOISE + newline) == []
    assert parser.garbage_bytes >= len(NOISE)


@pytest.mark.parametrize("protocol", sorted(STREAMS))
def test_a_frame_cut_short_never_becomes_a_weight(protocol: str) -> None:
    """A cable pulled mid-frame leaves half a frame; the next whole frame is read on its own."""
    parser = parser_for(protocol)
    assert parser.feed(ASCII_STABLE[:11] if protocol == "ascii" else STREAMS[protocol][1][:5]) == []
    assert parser.feed(STREAMS[protocol][2]) == parser_for(protocol).feed(STREAMS[protocol][2])


def test_the_wrong_protocol_reads_nothing_but_garbage() -> None:
    """An ASCII scale on a till set to Toledo 8217: no weights, every byte counted as garbage."""
    parser = parser_for("toledo8217")
    assert parser.feed(ASCII_STABLE * 5) == []
    assert parser.garbage_bytes == len(ASCII_STABLE) * 5


def test_a_runaway_frame_is_dropped_at_the_length_limit() -> None:
    """A start byte followed by endless digits never grows the buffer without bound."""
    parser = parser_for("toledo8217")
    assert parser.feed(b"\x02" + b"1" * 500 + b"\r") == []
    assert parser.feed(TOLEDO_STABLE) == [Reading(1234, stable=True)]
