"""Serial counter devices (scales, pole displays) opened from a URI, and the status they report.

    serial:///dev/ttyUSB0?baudrate=9600   an RS-232 or USB-serial port (serial://COM3 on Windows)
    tcp://192.168.1.60:4001               a serial-to-Ethernet converter's raw TCP port

Both go through pyserial (tcp:// becomes its socket:// URL), so one driver serves both. The
receipt printer's URI rules (the ?baudrate= query) are shared with hardware/serial_printer.py.
"""

from __future__ import annotations

import errno
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pos_app.hardware.connections import PrinterUnsupported
from pos_app.hardware.serial_printer import serial_baudrate

__all__ = ["DeviceBusy", "DeviceError", "DeviceMissing", "DeviceStatus", "open_port"]


class DeviceStatus(StrEnum):
    """What the status bar shows for a device (the UI words each one in Chinese)."""

    OFF = "off"  # not set up
    READY = "ready"
    MISSING = "missing"  # the port cannot be opened or went away (cable, power)
    BUSY = "busy"  # another program holds the port
    SILENT = "silent"  # the port is open but the device sends nothing
    GARBAGE = "garbage"  # bytes arrive but none make a frame (wrong protocol or baud rate)


class DeviceError(Exception):
    """A device problem; `status` says which kind, str(error) the detail."""

    status = DeviceStatus.MISSING


class DeviceMissing(DeviceError):
    """The device's port does not exist or failed."""


class DeviceBusy(DeviceError):
    """Another program has the port open."""

    status = DeviceStatus.BUSY


def _pyserial_url(uri: str) -> tuple[str, int]:
    parts = urlsplit(uri)
    try:
        baudrate = serial_baudrate(parts)
    except PrinterUnsupported as exc:
        raise DeviceMissing(str(exc)) from exc
    if parts.scheme == "serial" and (parts.path or parts.netloc):
        return parts.path or parts.netloc, baudrate
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        return f"socket://{parts.hostname}:{parts.port}", baudrate
    raise DeviceMissing(f"Device address {uri!r} is not understood; use serial:// or tcp://")


def open_port(uri: str, *, read_timeout_s: float, write_timeout_s: float) -> Any:
    """Open the device's port exclusively (a pyserial object); raises DeviceError."""
    import serial

    url, baudrate = _pyserial_url(uri)
    try:
        return serial.serial_for_url(
            url,
            baudrate=baudrate,
            timeout=read_timeout_s,
            write_timeout=write_timeout_s,
            exclusive=True,
        )
    except serial.SerialException as exc:
        if exc.errno in (errno.EBUSY, errno.EACCES) or "exclusive" in str(exc).lower():
            raise DeviceBusy(f"{url} is in use by another program: {exc}") from exc
        raise DeviceMissing(f"{url} cannot be opened: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise DeviceMissing(f"{url} cannot be opened: {exc}") from exc
