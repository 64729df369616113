"""The device end of a real pseudo-terminal pair, for serial drivers under test.

The driver opens `path` (the pty's slave side) through pyserial exactly as it would open
/dev/ttyUSB0; the test plays the scale or the pole display on the master side: it writes frames,
reads what the till sent, answers polls, and can pull the cable (close the master).
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from collections.abc import Callable

__all__ = ["AnsweringScale", "ContinuousScale", "PtyPeer"]


class PtyPeer:
    """One pty pair; `uri` is what the till is configured with."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self.uri = f"serial://{self.path}?baudrate=9600"
        self.received = bytearray()
        self._open = True

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def read_for(self, seconds: float) -> bytes:
        """Everything the till sends within `seconds` (also appended to `received`)."""
        deadline = time.monotonic() + seconds
        chunk = bytearray()
        while (left := deadline - time.monotonic()) > 0:
            if select.select([self.master], [], [], left)[0]:
                chunk += os.read(self.master, 4096)
        self.received += chunk
        return bytes(chunk)

    def read_until(self, done: Callable[[bytes], bool], timeout_s: float = 5.0) -> bytes:
        """Read until done(received so far) is true; AssertionError on timeout."""
        deadline = time.monotonic() + timeout_s
        while not done(bytes(self.received)):
            left = deadline - time.monotonic()
            assert left > 0, f"the device did not get what was expected: {bytes(self.received)!r}"
            if select.select([self.master], [], [], min(left, 0.05))[0]:
                self.received += os.read(self.master, 4096)
        return bytes(self.received)

    def unplug(self) -> None:
        """Pull the cable: the till's next read fails with an I/O error."""
        if self._open:
            os.close(self.master)
            self._open = False

    def close(self) -> None:
        self.unplug()
        os.close(self._slave)


class AnsweringScale:
    """A polled scale (8217, SMA) on a PtyPeer: answers every poll with `frame` (None: silent)."""

    def __init__(self, peer: PtyPeer, poll: bytes, frame: bytes | None) -> None:
        self.peer, self.poll, self.frame = peer, poll, frame
        self.requests = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                ready = select.select([self.peer.master], [], [], 0.02)[0]
                data = os.read(self.peer.master, 4096) if ready else b""
            except OSError:
                return  # unplugged
            self.requests += data
            for _ in range(data.count(self.poll)):
                if self.frame is not None:
                    self.peer.write(self.frame)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


class ContinuousScale:
    """A continuous-output scale (ST,GS,...) on a PtyPeer: sends `frame` every interval_s."""

    def __init__(self, peer: PtyPeer, frame: bytes, interval_s: float = 0.05) -> None:
        self.peer, self.frame, self.interval_s = peer, frame, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.peer.write(self.frame)
            except OSError:
                return  # unplugged

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
