"""The customer pole display (客显): the 8-digit LED/VFD price display on a serial port.

Command set (the ESC s / ESC Q A family of Chinese counter displays, e.g. the LED8N type):
    ESC @            initialise
    FF (0x0C)        clear the digits
    ESC s n          light one indicator: '0' none, '1' 单价, '2' 总计, '3' 收款, '4' 找零
    ESC Q A d.. CR   show the digits d.. ('0'-'9', '.', '-'; up to 8 digits)

`PoleDisplay.show()` returns at once and a worker thread writes the view; a few views wait in
order (paid then change both reach the customer), older ones are dropped if the display lags.
A display that is gone (unplugged, never set up) costs the sale nothing: the view is dropped,
the status says so, and the port is tried again for a later view.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from pos_app.hardware.devices import DeviceError, DeviceStatus, open_port

__all__ = ["DIGITS", "Light", "PoleDisplay", "PoleView", "encode_view"]

ESC, FF, CR = b"\x1b", b"\x0c", b"\r"
INIT = ESC + b"@"
DIGITS = 8
WRITE_TIMEOUT_S = 0.5
QUEUED_VIEWS = 4


class Light(IntEnum):
    """The indicator lights printed on the display's glass."""

    NONE = 0
    PRICE = 1  # 单价
    TOTAL = 2  # 总计
    PAID = 3  # 收款
    CHANGE = 4  # 找零


@dataclass(frozen=True)
class PoleView:
    """What the customer should see: an amount under one light, or nothing (amount None)."""

    light: Light = Light.NONE
    amount_fen: int | None = None


IDLE = PoleView()


def amount_digits(amount_fen: int) -> str:
    """'12.50' for 1250; amounts with more than 8 digits show as dashes, never cut."""
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(amount_fen), 100)
    text = f"{sign}{yuan}.{fen:02d}"
    return text if sum(ch.isdigit() for ch in text) <= DIGITS else "-" * DIGITS


def encode_view(view: PoleView) -> bytes:
    """The bytes that put `view` on the display (idle: lights off, digits cleared)."""
    light = ESC + b"s" + str(int(view.light)).encode()
    if view.amount_fen is None:
        return FF + light
    return light + ESC + b"QA" + amount_digits(view.amount_fen).encode() + CR


class PoleDisplay:
    """One pole display on a serial:// or tcp:// URI, written from its own thread."""

    def __init__(self, uri: str, *, retry_s: float = 5.0) -> None:
        self.uri = uri
        self._retry_s = retry_s
        self._wake = threading.Condition()
        self._pending: deque[PoleView] = deque([IDLE], maxlen=QUEUED_VIEWS)  # starts blank
        self._stopping = False
        self._status = DeviceStatus.SILENT
        self._detail = ""
        self._thread = threading.Thread(target=self._run, name=f"pole {uri}", daemon=True)
        self._thread.start()

    def show(self, view: PoleView) -> None:
        """Queue the view (GUI thread; returns at once)."""
        with self._wake:
            self._pending.append(view)
            self._wake.notify()

    def status(self) -> tuple[DeviceStatus, str]:
        with self._wake:
            return self._status, self._detail

    def close(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout=2)

    # -- the display's thread ----------------------------------------------------------------

    def _next(self) -> PoleView | None:
        with self._wake:
            while not self._pending and not self._stopping:
                self._wake.wait()
            return None if self._stopping else self._pending.popleft()

    def _set_status(self, status: DeviceStatus, detail: str = "") -> None:
        with self._wake:
            self._status, self._detail = status, detail

    def _run(self) -> None:
        port: Any = None
        failed_at, fresh = -self._retry_s, False
        while (view := self._next()) is not None:
            if port is None and time.monotonic() - failed_at >= self._retry_s:
                try:
                    port = open_port(self.uri, read_timeout_s=0, write_timeout_s=WRITE_TIMEOUT_S)
                    fresh = True
                except DeviceError as exc:
                    self._set_status(exc.status, str(exc))
                    failed_at = time.monotonic()
            if port is None:
                continue  # dropped: the customer sees a later view once the display is back
            try:
                port.write((INIT if fresh else b"") + encode_view(view))
                port.flush()
                fresh = False
                self._set_status(DeviceStatus.READY)
            except Exception as exc:  # SerialException, or termios.error from a hung-up port:
                # whatever the port raises, the display is gone and this thread must live on
                port.close()
                port, failed_at = None, time.monotonic()
                self._set_status(DeviceStatus.MISSING, str(exc))
        if port is not None:
            port.close()
