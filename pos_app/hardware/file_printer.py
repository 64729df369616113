"""A printer that is a device node (file:///dev/usb/lp0) or a plain file the job is appended to
(file:///C:/pos/receipts.bin on Windows; file://C:\\pos\\receipts.bin works too)."""

from __future__ import annotations

import os
import re
import stat
import time
from urllib.parse import unquote

from pos_app.hardware.connections import PrinterConnection, PrinterOffline, PrinterTimeout, Timeouts

_DRIVE = re.compile(r"^/?([A-Za-z]:[\\/].*)$")


def file_path(uri: str) -> str:
    """The path in a file:// URI: file:///dev/usb/lp0, file:///C:/x.bin, file://C:\\x.bin."""
    rest = unquote(uri.removeprefix("file://"))
    if rest.startswith("localhost/"):
        rest = rest.removeprefix("localhost")
    drive = _DRIVE.match(rest)
    return drive.group(1) if drive else rest


class FileConnection(PrinterConnection):
    """A device node (e.g. /dev/usb/lp0) or a plain file the job is appended to.

    Only a POSIX device node is written without blocking and waited on with select(); a plain
    file (and anything on Windows, where select() takes sockets only) is written straight out.
    """

    def __init__(self, path: str, timeouts: Timeouts) -> None:
        super().__init__(path, timeouts)
        self.is_device = (
            os.name == "posix" and os.path.exists(path) and stat.S_ISCHR(os.stat(path).st_mode)
        )
        flags = os.O_WRONLY | getattr(os, "O_BINARY", 0)
        flags |= os.O_NONBLOCK if self.is_device else os.O_CREAT | os.O_APPEND
        try:
            self.fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise PrinterOffline(f"Printer {path} cannot be opened: {exc.strerror}") from exc

    def write(self, data: bytes) -> None:
        try:
            if self.is_device:
                self._write_device(memoryview(data))
            else:
                view = memoryview(data)
                while view:
                    view = view[os.write(self.fd, view) :]
        except OSError as exc:
            raise PrinterOffline(f"Printer {self.name} failed: {exc.strerror}") from exc

    def _write_device(self, view: memoryview) -> None:
        import select  # POSIX device nodes only

        deadline = time.monotonic() + self.timeouts.write_s
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.fd], [], left)[1]:
                raise PrinterTimeout(
                    f"Printer {self.name} stopped taking data for {self.timeouts.write_s:g} s"
                )
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:
                continue

    def close(self) -> None:
        os.close(self.fd)
