"""Opening the printer connection a URI names:

tcp://192.168.1.50:9100          network printer, raw port (default 9100)
usb://0416:5011                  USB vendor:product id in hex (needs pyusb and libusb)
serial:///dev/ttyUSB0?baudrate=9600   serial port (serial://COM3 on Windows)
file:///dev/usb/lp0              a device node or a plain file (appended to)
file:///C:/pos/receipts.bin      the same on Windows (file://C:\\pos\\receipts.bin works too)
cups://QUEUE                     a raw CUPS queue, through `lp -o raw`
win32://QUEUE                    a Windows printer queue, raw, through python-escpos' Win32Raw
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from pos_app.hardware.connections import (
    DEFAULT_TIMEOUTS,
    PrinterConnection,
    PrinterUnsupported,
    Timeouts,
)
from pos_app.hardware.file_printer import FileConnection, file_path
from pos_app.hardware.queue_printers import CupsConnection, Win32Connection
from pos_app.hardware.serial_printer import serial_connection
from pos_app.hardware.tcp_printer import TcpConnection
from pos_app.hardware.usb_printer import UsbConnection, usb_ids


def _tcp_port(uri: Any) -> int:
    try:
        return uri.port or 9100
    except ValueError as exc:
        raise PrinterUnsupported(f"Printer port in {uri.geturl()!r} is not a number") from exc


def open_printer(uri: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> PrinterConnection:
    """Open a connection for one job; raises PrinterError (PrinterUnsupported for a bad URI)."""
    if not uri:
        raise PrinterUnsupported(
            "No printer is set up: choose one in Settings (F10) → Receipt printer.",
            code="printer_not_set",
        )
    parts = urlsplit(uri)
    if parts.scheme == "tcp" and parts.hostname:
        return TcpConnection(parts.hostname, _tcp_port(parts), timeouts)
    if parts.scheme == "usb" and parts.netloc:
        return UsbConnection(*usb_ids(parts.netloc), timeouts)
    if parts.scheme == "serial" and (parts.path or parts.netloc):
        return serial_connection(parts, timeouts)
    if parts.scheme == "file" and file_path(uri):
        return FileConnection(file_path(uri), timeouts)
    if parts.scheme == "cups" and parts.netloc:
        return CupsConnection(parts.netloc, timeouts)
    if parts.scheme == "win32" and parts.netloc:
        return Win32Connection(unquote(parts.netloc), timeouts)
    raise PrinterUnsupported(
        f"Printer address {uri!r} is not understood; use tcp://, usb://, serial://, file://, "
        "cups:// or win32://"
    )
