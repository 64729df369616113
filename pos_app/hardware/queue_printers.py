"""Printers behind the operating system's print queue, fed the raw bytes: a CUPS queue
(cups://QUEUE, through `lp -o raw`) or a Windows queue (win32://QUEUE, through python-escpos'
Win32Raw)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from pos_app.hardware.connections import (
    PrinterConnection,
    PrinterOffline,
    PrinterTimeout,
    PrinterUnsupported,
    Timeouts,
)


class CupsConnection(PrinterConnection):
    """A CUPS queue fed the raw bytes with `lp -d QUEUE -o raw`."""

    def write(self, data: bytes) -> None:
        command = ["lp", "-d", self.name, "-o", "raw"]
        try:
            result = subprocess.run(
                command, input=data, capture_output=True, timeout=self.timeouts.write_s
            )
        except FileNotFoundError as exc:
            raise PrinterUnsupported("Printing to a CUPS queue needs the `lp` command") from exc
        except subprocess.TimeoutExpired as exc:
            raise PrinterTimeout(f"CUPS queue {self.name} did not take the job in time") from exc
        if result.returncode != 0:
            reason = result.stderr.decode(errors="replace").strip()
            raise PrinterOffline(f"CUPS queue {self.name} refused the job: {reason}")

    def close(self) -> None:
        """Nothing to release: each job is one run of `lp`."""


class Win32Connection(PrinterConnection):
    """A Windows printer queue fed raw bytes through python-escpos' Win32Raw (pywin32)."""

    def __init__(self, queue: str, timeouts: Timeouts) -> None:
        super().__init__(queue, timeouts)
        if sys.platform != "win32":
            raise PrinterUnsupported(
                f"win32://{queue} is a Windows printer queue; this computer is not Windows. "
                "Use tcp://, usb://, serial://, file:// or cups:// here."
            )
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Win32Raw

        if not Win32Raw.is_usable():
            raise PrinterUnsupported("Windows printer queues need pywin32: pip install pywin32")
        self.printer: Any = Win32Raw(queue)
        try:
            self.printer.open(job_name="门店通 POS")
        except DeviceNotFoundError as exc:
            raise PrinterOffline(f"Windows printer {queue} is not available: {exc}") from exc

    def write(self, data: bytes) -> None:
        try:
            self.printer._raw(data)
        except Exception as exc:  # pywintypes.error carries the spooler's reason
            raise PrinterOffline(f"Windows printer {self.name} failed: {exc}") from exc

    def close(self) -> None:
        self.printer.close()
