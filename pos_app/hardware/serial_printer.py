"""A serial (RS-232 or USB-serial) printer, serial:///dev/ttyUSB0?baudrate=9600 (serial://COM3
on Windows), through pyserial; the ?baudrate= form is shared with scales and pole displays."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from pos_app.hardware.connections import (
    PrinterOffline,
    PrinterTimeout,
    PrinterUnsupported,
    StatusQueries,
    Timeouts,
)


def serial_baudrate(uri: Any, default: int = 9600) -> int:
    """The ?baudrate= of a split serial:// URI (scales and pole displays share this form)."""
    baudrate = parse_qs(uri.query).get("baudrate", [str(default)])[0]
    if not baudrate.isdigit():
        raise PrinterUnsupported(f"Serial baudrate must be a number, not {baudrate!r}")
    return int(baudrate)


def serial_connection(uri: Any, timeouts: Timeouts) -> SerialConnection:
    """The serial printer of a split serial:// URI (the port in its path or netloc)."""
    return SerialConnection(uri.path or uri.netloc, serial_baudrate(uri), timeouts)


class SerialConnection(StatusQueries):
    """A serial (RS-232 or USB-serial) printer, through pyserial."""

    def __init__(self, port: str, baudrate: int, timeouts: Timeouts) -> None:
        super().__init__(port, timeouts)
        try:
            import serial
        except ImportError as exc:
            raise PrinterUnsupported("Serial printers need pyserial: pip install pyserial") from exc
        self._serial_error: type[Exception] = serial.SerialException
        try:
            self.port = serial.Serial(
                port, baudrate, timeout=timeouts.status_s, write_timeout=timeouts.write_s
            )
        except (serial.SerialException, ValueError) as exc:
            raise PrinterOffline(f"Serial printer {port} cannot be opened: {exc}") from exc

    def _ask(self, query: bytes) -> int | None:
        self.write(query)
        answer = self.port.read(1)
        return answer[0] if answer else None

    def write(self, data: bytes) -> None:
        try:
            self.port.write(data)
            self.port.flush()
        except self._serial_error as exc:  # SerialTimeoutException is a SerialException
            raise PrinterTimeout(f"Serial printer {self.name} did not take the job: {exc}") from exc

    def close(self) -> None:
        self.port.close()
