"""The counter scale (收银秤): one small interface and a serial driver that reads on its own thread.

`Scale.state()` returns the latest reading at once and never blocks, so the sale screen can show
the live weight from a timer; zero and tare are queued and sent by the scale's thread. The driver
polls the scales that need a request (8217, SMA), reopens the port when it went away, and reports
a status for the status bar: ready, missing, busy, silent (nothing arrives) or garbage (bytes
arrive but no frame decodes). For scales that take no commands (continuous ASCII) zero and tare
are done here, in software, on the weights the scale sends.
"""

from __future__ import annotations

import queue
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from pos_app.hardware.devices import DeviceError, DeviceStatus, open_port
from pos_app.hardware.scale_protocols import PROTOCOLS, FrameParser, Reading

__all__ = ["Scale", "ScaleKey", "ScaleState", "SerialScale"]

READ_TIMEOUT_S = 0.05
WRITE_TIMEOUT_S = 0.5


class ScaleKey(StrEnum):
    ZERO = "zero"
    TARE = "tare"


@dataclass(frozen=True)
class ScaleState:
    """What the scale shows now. reading is None unless status is READY; seq counts frames so a
    caller can insist on a reading newer than the one it saw before."""

    status: DeviceStatus
    reading: Reading | None = None
    seq: int = 0
    detail: str = ""


class Scale(ABC):
    """A counter scale. Every method returns at once; the reading happens elsewhere."""

    uri: str  # where it is connected (a test in 设置 reuses the till's own scale by it)

    @abstractmethod
    def state(self) -> ScaleState:
        """The latest reading and the device status."""

    @abstractmethod
    def press(self, key: ScaleKey) -> None:
        """Zero the scale, or tare (a second tare with an empty platter clears it)."""

    @abstractmethod
    def close(self) -> None:
        """Stop reading and release the port (waits briefly for the reader thread)."""


class SerialScale(Scale):
    """A scale on a serial:// or tcp:// URI speaking one of scale_protocols.PROTOCOLS."""

    def __init__(
        self,
        uri: str,
        protocol: str,
        *,
        poll_s: float = 0.1,
        silent_after_s: float = 1.5,
        retry_s: float = 1.0,
    ) -> None:
        self.uri = uri
        self._protocol = PROTOCOLS[protocol]
        self._parser = FrameParser(self._protocol)
        self._poll_s, self._silent_after_s, self._retry_s = poll_s, silent_after_s, retry_s
        self._keys: queue.SimpleQueue[ScaleKey] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._state = ScaleState(DeviceStatus.SILENT)
        self._raw: Reading | None = None  # the last frame as the scale sent it
        self._zero_g = self._tare_g = 0  # software zero and tare (scales that take no commands)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"scale {uri}", daemon=True)
        self._thread.start()

    def state(self) -> ScaleState:
        with self._lock:
            return self._state

    def press(self, key: ScaleKey) -> None:
        self._keys.put(key)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    # -- everything below runs on the scale's thread ---------------------------------------

    def _publish(self, status: DeviceStatus, reading: Reading | None, detail: str = "") -> None:
        with self._lock:
            seq = self._state.seq + (reading is not None)
            self._state = ScaleState(status, reading, seq, detail)

    def _run(self) -> None:
        port: Any = None
        while not self._stop.is_set():
            if port is None:
                port = self._open()
                continue
            try:
                self._send_keys(port)
                self._poll(port)
                data = port.read(max(1, port.in_waiting))
            except Exception as exc:  # SerialException, termios.error, …: the port is gone,
                # and this thread must live on to reopen it
                port.close()
                port = None
                self._lost(f"{exc}")
                continue
            self._take(data)
        if port is not None:
            port.close()

    def _open(self) -> Any:
        try:
            port = open_port(
                self.uri, read_timeout_s=READ_TIMEOUT_S, write_timeout_s=WRITE_TIMEOUT_S
            )
        except DeviceError as exc:
            self._publish(exc.status, None, str(exc))
            self._stop.wait(self._retry_s)
            return None
        self._parser.reset()
        self._last_frame_at = self._last_poll_at = time.monotonic()
        return port

    def _lost(self, detail: str) -> None:
        """The port failed mid-read (cable pulled, adapter unplugged): no weight till it is back"""
        self._parser.reset()
        self._raw = None
        self._publish(DeviceStatus.MISSING, None, detail)
        self._stop.wait(self._retry_s)

    def _poll(self, port: Any) -> None:
        now = time.monotonic()
        if self._protocol.poll and now - self._last_poll_at >= self._poll_s:
            port.write(self._protocol.poll)
            self._last_poll_at = now

    def _send_keys(self, port: Any) -> None:
        while not self._keys.empty():
            key = self._keys.get()
            command = self._command(key)
            if command is not None:
                port.write(command)
            else:
                self._soft_key(key)

    def _command(self, key: ScaleKey) -> bytes | None:
        protocol, raw = self._protocol, self._raw
        if key is ScaleKey.ZERO:
            return protocol.zero
        tared_and_empty = raw is not None and raw.net and (raw.weight_g or 0) <= 0
        return protocol.clear_tare if tared_and_empty else protocol.tare

    def _soft_key(self, key: ScaleKey) -> None:
        raw = self._raw
        if raw is None or raw.weight_g is None or not raw.stable:
            return  # like a real scale: zero and tare need a steady weight
        if key is ScaleKey.ZERO:
            self._zero_g, self._tare_g = raw.weight_g, 0
        else:
            self._tare_g = raw.weight_g - self._zero_g

    def _shown(self, raw: Reading) -> Reading:
        """The frame with the software zero and tare applied."""
        if raw.weight_g is None or not (self._zero_g or self._tare_g):
            return raw
        net = raw.net or bool(self._tare_g)
        return replace(raw, weight_g=raw.weight_g - self._zero_g - self._tare_g, net=net)

    def _take(self, data: bytes) -> None:
        now = time.monotonic()
        readings = self._parser.feed(data)
        if readings:
            self._raw = readings[-1]
            self._last_frame_at = now
            self._publish(DeviceStatus.READY, self._shown(self._raw))
        elif now - self._last_frame_at > self._silent_after_s:
            self._raw = None
            status = DeviceStatus.GARBAGE if self._parser.garbage_bytes else DeviceStatus.SILENT
            if self.state().status is not status:
                self._publish(status, None)
