"""Counter-scale serial protocols as byte-fed state machines (no I/O here).

Each protocol is a frame grammar plus the commands the till sends:

- Mettler Toledo 8217 (the "ECR" protocol of POS scales and scanner-scales). The till sends `W`;
  the scale answers STX `WW.WWW` CR (kg, a trailing `N` when tared) while stable, or
  STX `?` <status byte> CR while in motion, under zero or over capacity. Status bits: 0 motion,
  1 over capacity, 2 under zero, 3 outside zero range, 4 centre of zero, 5 net, 6 always 1,
  7 parity. `Z` zeroes, `T` CR tares, `C` clears the tare.
- SMA (Scale Manufacturers Association serial protocol, level 1). The till sends LF `W` CR;
  the scale answers LF <s><r><n><m><f> <10-char weight> <3-char unit> CR, where s is the status
  (Z centre of zero, O over, U under, E/I/T errors), n gross/net (G, N, T, g, n), m `M` in motion.
  LF `Z` CR zeroes, LF `T` CR tares, LF `C` CR clears the tare.
- Continuous ASCII, the output of most domestic counter scales (顶尖, 大华, 寺冈 China models):
  `ST,GS,+  1.234kg` CR LF sent on their own several times a second; ST stable, US unstable,
  OL overload; GS gross, NT net. These scales take no commands: zero and tare are done by the till.

The parser hunts for a frame start, collects up to the frame end and decodes it. A frame that is
too long, is cut by a new start byte, or does not decode is dropped and its bytes counted as
garbage; so noise, partial frames and a cable pulled mid-frame never produce a weight.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "PROTOCOLS",
    "FrameParser",
    "Reading",
    "ScaleFault",
    "ScaleProtocol",
    "parser_for",
]

STX, LF, CR = 0x02, 0x0A, 0x0D
MAX_FRAME_BYTES = 40
GRAMS_PER_KG = 1000


class ScaleFault(StrEnum):
    """Why a reading carries no usable weight."""

    OVERLOAD = "overload"
    UNDERLOAD = "underload"  # below zero
    ZERO_ERROR = "zero_error"
    WRONG_UNIT = "wrong_unit"  # set to pounds or ounces


@dataclass(frozen=True)
class Reading:
    """One frame from the scale. weight_g is what the scale shows (net when tared), None when
    the frame carries only status (8217 in motion) or a fault."""

    weight_g: int | None
    stable: bool
    net: bool = False
    fault: ScaleFault | None = None

    @property
    def usable(self) -> bool:
        """A stable, positive weight that may be booked."""
        return (
            self.stable and self.fault is None and self.weight_g is not None and self.weight_g > 0
        )


def grams(text: str, unit: str) -> int | None:
    """'1.234' kg -> 1234; '250' g -> 250; None for text that is not a number."""
    text = text.strip().replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        return None
    whole, _, frac = text.lstrip("+-").partition(".")
    sign = -1 if text.startswith("-") else 1
    if unit == "g":
        return sign * int(whole)
    frac = (frac + "000")[:3]
    return sign * (int(whole) * GRAMS_PER_KG + int(frac))


def _decode_8217(body: bytes) -> Reading | None:
    if body[:1] == b"?" and len(body) == 2:
        status = body[1] & 0x7F
        if not status & 0x40:
            return None
        fault = None
        if status & 0x02:
            fault = ScaleFault.OVERLOAD
        elif status & 0x04:
            fault = ScaleFault.UNDERLOAD
        elif status & 0x08:
            fault = ScaleFault.ZERO_ERROR
        weight = 0 if status & 0x10 and not status & 0x01 else None
        return Reading(weight, stable=not status & 0x01, net=bool(status & 0x20), fault=fault)
    match = re.fullmatch(rb"(\d{2,3}\.\d{2,3})(N?)", body)
    if match is None:
        return None
    number, net = match.group(1).decode(), bool(match.group(2))
    if len(number.partition(".")[2]) != 3:  # 0WW.WW is pounds
        return Reading(None, stable=True, net=net, fault=ScaleFault.WRONG_UNIT)
    return Reading(grams(number, "kg"), stable=True, net=net)


_SMA_FAULTS = {"O": ScaleFault.OVERLOAD, "U": ScaleFault.UNDERLOAD}


def _decode_sma(body: bytes) -> Reading | None:
    text = body.decode("ascii", errors="replace")
    if len(text) != 18 or text[2] not in "GNTgn" or text[3] not in "M ":
        return None
    status, mode, motion = text[0], text[2], text[3]
    weight_text, unit = text[5:15], text[15:18].strip()
    stable, net = motion == " ", mode in "Nn"
    if status in "EIT" or "-" * 3 in weight_text:
        return Reading(None, stable, net, ScaleFault.ZERO_ERROR)
    if status in _SMA_FAULTS:
        return Reading(None, stable, net, _SMA_FAULTS[status])
    if status not in "Z ":
        return None
    if unit not in ("kg", "g"):
        return Reading(None, stable, net, ScaleFault.WRONG_UNIT)
    weight = grams(weight_text, unit)
    return None if weight is None else Reading(weight, stable, net)


# searched at the end of the line: noise or a cut frame before it on the same line is skipped
_ASCII_FRAME = re.compile(rb"(ST|US|OL),(GS|NT|TR),([+-]) *([\d. ]+?) *(kg|g|lb)\r?\Z")


def _decode_ascii(body: bytes) -> Reading | None:
    match = _ASCII_FRAME.search(body)
    if match is None:
        return None
    state, mode, sign, number, unit = (part.decode() for part in match.groups())
    net, stable = mode == "NT", state == "ST"
    if state == "OL":
        return Reading(None, stable=False, net=net, fault=ScaleFault.OVERLOAD)
    if unit == "lb":
        return Reading(None, stable, net, ScaleFault.WRONG_UNIT)
    weight = grams(sign + number, unit)
    return None if weight is None else Reading(weight, stable, net)


@dataclass(frozen=True)
class ScaleProtocol:
    """A frame grammar and the commands the till sends (None: the scale takes no commands)."""

    name: str
    start: int | None  # the frame start byte; None: a frame is everything up to `end`
    end: int
    decode: Callable[[bytes], Reading | None]
    poll: bytes | None
    zero: bytes | None
    tare: bytes | None
    clear_tare: bytes | None


PROTOCOLS = {
    "toledo8217": ScaleProtocol("toledo8217", STX, CR, _decode_8217, b"W", b"Z", b"T\r", b"C"),
    "sma": ScaleProtocol("sma", LF, CR, _decode_sma, b"\nW\r", b"\nZ\r", b"\nT\r", b"\nC\r"),
    "ascii": ScaleProtocol("ascii", None, LF, _decode_ascii, None, None, None, None),
}


class FrameParser:
    """Bytes in, readings out. Keeps at most one partial frame; `garbage_bytes` counts what was
    thrown away since the last good frame (a wrong protocol or baud rate shows up there)."""

    def __init__(self, protocol: ScaleProtocol) -> None:
        self.protocol = protocol
        self.garbage_bytes = 0
        self._frame = bytearray()
        self._in_frame = protocol.start is None

    def reset(self) -> None:
        """Forget a partial frame (the port was closed or reopened)."""
        self.garbage_bytes += len(self._frame)
        self._frame.clear()
        self._in_frame = self.protocol.start is None

    def feed(self, data: bytes) -> list[Reading]:
        readings = []
        for byte in data:
            reading = self._step(byte)
            if reading is not None:
                readings.append(reading)
        return readings

    def _step(self, byte: int) -> Reading | None:
        start, end = self.protocol.start, self.protocol.end
        if byte == start:
            self.reset()  # a new frame cuts any partial one
            self._in_frame = True
            return None
        if not self._in_frame:
            self.garbage_bytes += 1
            return None
        if byte == end:
            body = bytes(self._frame)
            self._frame.clear()
            self._in_frame = start is None
            reading = self.protocol.decode(body)
            if reading is None:
                self.garbage_bytes += len(body) + 1
                return None
            self.garbage_bytes = 0
            return reading
        self._frame.append(byte)
        if len(self._frame) > MAX_FRAME_BYTES:
            self.reset()
        return None


def parser_for(protocol_name: str) -> FrameParser:
    """A fresh parser; KeyError names an unknown protocol."""
    return FrameParser(PROTOCOLS[protocol_name])
