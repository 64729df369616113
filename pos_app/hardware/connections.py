"""Printer connections opened from a URI, every operation bounded by a timeout.

    tcp://192.168.1.50:9100          network printer, raw port (default 9100)
    usb://0416:5011                  USB vendor:product id in hex (needs pyusb and libusb)
    serial:///dev/ttyUSB0?baudrate=9600   serial port (serial://COM3 on Windows)
    file:///dev/usb/lp0              a device node or a plain file (appended to)
    file:///C:/pos/receipts.bin      the same on Windows (file://C:\\pos\\receipts.bin works too)
    cups://QUEUE                     a raw CUPS queue, through `lp -o raw`
    win32://QUEUE                    a Windows printer queue, raw, through python-escpos' Win32Raw

A connection carries one job: `status()` (optional), then one `write()` of the whole job. Errors
are PrinterError subclasses whose message is written for the cashier.

Over TCP, `write()` only returns once the job is handed over: the socket's send buffer is kept
small (a few KB) so a printer that stops reading makes the write time out instead of the data
vanishing into the network stack; after the data we send FIN and wait briefly for the printer to
close its side, which also reveals a connection reset mid-job. Raw port 9100 has no receipt
acknowledgement beyond that, so a printer that dies after taking the last bytes cannot be told
apart from one that printed them.
"""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pos_app.domain.coded import CodedError

__all__ = [
    "DEFAULT_TIMEOUTS",
    "CoverOpen",
    "PaperOut",
    "PrinterConnection",
    "PrinterError",
    "PrinterOffline",
    "PrinterStatus",
    "PrinterTimeout",
    "PrinterUnsupported",
    "Timeouts",
    "UsbDevice",
    "ensure_ready",
    "list_usb_printers",
    "open_printer",
    "serial_baudrate",
    "status_from_answers",
]

DLE_EOT = b"\x10\x04"
STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4
SEND_BUFFER_BYTES = 4096
USB_PRINTER_CLASS = 7
_NO_LIBUSB = "USB printers need the libusb library (apt install libusb-1.0-0)"


class PrinterError(CodedError):
    """A printing problem; code and params say why, for the cashier (str() for logs)."""


class PrinterOffline(PrinterError):
    """The printer cannot be reached or dropped the connection."""


class PaperOut(PrinterError):
    """The printer reports no paper."""


class CoverOpen(PrinterError):
    """The printer reports its cover open."""


class PrinterTimeout(PrinterError):
    """The printer took too long to accept the job."""


class PrinterUnsupported(PrinterError):
    """The printer URI is wrong or this computer lacks what that connection type needs."""


class PrinterStatus(StrEnum):
    """What the printer said about itself; UNKNOWN when it does not answer status queries."""

    READY = "ready"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed to connect, to hand over a whole job, and to answer one status query."""

    connect_s: float = 3.0
    write_s: float = 10.0
    status_s: float = 0.5


DEFAULT_TIMEOUTS = Timeouts()


def ensure_ready(status: PrinterStatus, name: str) -> None:
    """Raise the matching PrinterError if the status rules out printing (UNKNOWN is allowed)."""
    if status is PrinterStatus.PAPER_OUT:
        raise PaperOut(f"Printer {name} is out of paper. Load a new roll and close the cover.")
    if status is PrinterStatus.COVER_OPEN:
        raise CoverOpen(f"Printer {name} has its cover open. Close it firmly.")
    if status is PrinterStatus.OFFLINE:
        raise PrinterOffline(f"Printer {name} is offline (error light?). Check it and retry.")


def _valid_status_byte(byte: int) -> bool:
    return byte & 0x93 == 0x12  # bits 1 and 4 always set, bits 0 and 7 always clear


def status_from_answers(printer: int, offline_cause: int, paper: int) -> PrinterStatus:
    """Decode the answers to DLE EOT 1, 2 and 4 (real-time status)."""
    if not all(map(_valid_status_byte, (printer, offline_cause, paper))):
        return PrinterStatus.UNKNOWN
    if offline_cause & 0x04:
        return PrinterStatus.COVER_OPEN
    if paper & 0x60 or offline_cause & 0x20:
        return PrinterStatus.PAPER_OUT
    if printer & 0x08:
        return PrinterStatus.OFFLINE
    return PrinterStatus.READY


class PrinterConnection(ABC):
    """An open connection to one printer; use it for one job, then close it."""

    def __init__(self, name: str, timeouts: Timeouts) -> None:
        self.name = name
        self.timeouts = timeouts

    def status(self) -> PrinterStatus:
        """The printer's real-time status; UNKNOWN where the connection cannot ask."""
        return PrinterStatus.UNKNOWN

    @abstractmethod
    def write(self, data: bytes) -> None:
        """Hand the whole job to the printer, or raise PrinterError."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection (never raises)."""

    def __enter__(self) -> PrinterConnection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _StatusQueries(PrinterConnection):
    """A connection that can ask DLE EOT n and read the one-byte answer."""

    @abstractmethod
    def _ask(self, query: bytes) -> int | None:
        """Send one real-time query; the answer byte, or None if none came within status_s."""

    def status(self) -> PrinterStatus:
        answers = []
        for n in (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER):
            answer = self._ask(DLE_EOT + bytes([n]))
            if answer is None:
                return PrinterStatus.UNKNOWN
            answers.append(answer)
        return status_from_answers(*answers)


class TcpConnection(_StatusQueries):
    """A network printer on a raw TCP port."""

    def __init__(self, host: str, port: int, timeouts: Timeouts) -> None:
        super().__init__(f"{host}:{port}", timeouts)
        try:
            self.sock = socket.create_connection((host, port), timeout=timeouts.connect_s)
        except ConnectionRefusedError as exc:
            raise PrinterOffline(
                f"Printer {self.name} refused the connection. Is it switched on?"
            ) from exc
        except TimeoutError as exc:
            raise PrinterOffline(
                f"Printer {self.name} did not answer within {timeouts.connect_s:g} s. "
                "Check its power and network cable."
            ) from exc
        except OSError as exc:
            raise PrinterOffline(f"Printer {self.name} cannot be reached: {exc.strerror}") from exc
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)

    def _lost(self, exc: OSError) -> PrinterOffline:
        return PrinterOffline(
            f"Printer {self.name} dropped the connection ({exc.strerror or exc}); "
            "the job will be sent again."
        )

    def _ask(self, query: bytes) -> int | None:
        self.sock.settimeout(self.timeouts.status_s)
        try:
            self.sock.sendall(query)
            answer = self.sock.recv(1)
        except TimeoutError:
            return None
        except OSError as exc:
            raise self._lost(exc) from exc
        if not answer:
            raise PrinterOffline(f"Printer {self.name} closed the connection.")
        return answer[0]

    def write(self, data: bytes) -> None:
        self.sock.settimeout(self.timeouts.write_s)
        try:
            self.sock.sendall(data)
            self.sock.shutdown(socket.SHUT_WR)
        except TimeoutError as exc:
            raise PrinterTimeout(
                f"Printer {self.name} stopped taking data for {self.timeouts.write_s:g} s; "
                "the job will be sent again."
            ) from exc
        except OSError as exc:
            raise self._lost(exc) from exc
        self._await_close()

    def _await_close(self) -> None:
        """Read until the printer closes its side, briefly; a reset here means data was lost."""
        deadline = time.monotonic() + self.timeouts.status_s
        try:
            while (left := deadline - time.monotonic()) > 0:
                self.sock.settimeout(left)
                if not self.sock.recv(256):
                    return
        except TimeoutError:
            return  # printers that keep the socket open after the job are fine too
        except OSError as exc:
            raise self._lost(exc) from exc

    def close(self) -> None:
        self.sock.close()


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


class SerialConnection(_StatusQueries):
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


class UsbConnection(PrinterConnection):
    """A USB printer addressed by vendor and product id, through python-escpos and pyusb."""

    def __init__(self, vendor_id: int, product_id: int, timeouts: Timeouts) -> None:
        super().__init__(f"USB {vendor_id:04x}:{product_id:04x}", timeouts)
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise PrinterUnsupported("USB printers need pyusb: pip install pyusb")
        import usb.core

        self.printer: Any = Usb(vendor_id, product_id, timeout=int(timeouts.write_s * 1000))
        try:
            self.printer.open()
        except usb.core.NoBackendError as exc:
            raise PrinterUnsupported(_NO_LIBUSB) from exc
        except (DeviceNotFoundError, OSError, ValueError) as exc:
            raise PrinterOffline(
                f"Printer {self.name} is not plugged in or not accessible: {exc}"
            ) from exc

    def write(self, data: bytes) -> None:
        import usb.core

        try:
            self.printer._raw(data)
        except usb.core.USBTimeoutError as exc:
            raise PrinterTimeout(f"Printer {self.name} did not take the job in time") from exc
        except usb.core.USBError as exc:
            raise PrinterOffline(f"Printer {self.name} failed: {exc}") from exc

    def close(self) -> None:
        self.printer.close()


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


@dataclass(frozen=True)
class UsbDevice:
    """A plugged-in USB device that may be a printer, for the vendor/product id picker."""

    vendor_id: int
    product_id: int
    description: str
    is_printer_class: bool

    @property
    def uri(self) -> str:
        return f"usb://{self.vendor_id:04x}:{self.product_id:04x}"


def _describe(device: Any) -> str:
    import usb.util

    try:
        parts = [usb.util.get_string(device, i) for i in (device.iManufacturer, device.iProduct)]
    except (ValueError, NotImplementedError, OSError):
        return ""
    return " ".join(part for part in parts if part)


def _is_printer_class(device: Any) -> bool:
    return any(
        interface.bInterfaceClass == USB_PRINTER_CLASS for config in device for interface in config
    )


def list_usb_printers() -> list[UsbDevice]:
    """The USB devices plugged in now, printers (USB class 7) first; PrinterUnsupported if
    pyusb or its libusb backend is missing."""
    try:
        import usb.core
    except ImportError as exc:
        raise PrinterUnsupported("Listing USB printers needs pyusb: pip install pyusb") from exc
    try:
        devices = list(usb.core.find(find_all=True))
    except usb.core.NoBackendError as exc:
        raise PrinterUnsupported(_NO_LIBUSB) from exc
    found = [
        UsbDevice(d.idVendor, d.idProduct, _describe(d), _is_printer_class(d)) for d in devices
    ]
    return sorted(found, key=lambda d: (not d.is_printer_class, d.vendor_id, d.product_id))


def _usb_ids(netloc: str) -> tuple[int, int]:
    vendor, _, product = netloc.partition(":")
    try:
        return int(vendor, 16), int(product, 16)
    except ValueError as exc:
        raise PrinterUnsupported(
            f"USB printer must look like usb://0416:5011, not {netloc!r}"
        ) from exc


def _tcp_port(uri: Any) -> int:
    try:
        return uri.port or 9100
    except ValueError as exc:
        raise PrinterUnsupported(f"Printer port in {uri.geturl()!r} is not a number") from exc


def serial_baudrate(uri: Any, default: int = 9600) -> int:
    """The ?baudrate= of a split serial:// URI (scales and pole displays share this form)."""
    baudrate = parse_qs(uri.query).get("baudrate", [str(default)])[0]
    if not baudrate.isdigit():
        raise PrinterUnsupported(f"Serial baudrate must be a number, not {baudrate!r}")
    return int(baudrate)


def _serial(uri: Any, timeouts: Timeouts) -> SerialConnection:
    return SerialConnection(uri.path or uri.netloc, serial_baudrate(uri), timeouts)


_DRIVE = re.compile(r"^/?([A-Za-z]:[\\/].*)$")


def file_path(uri: str) -> str:
    """The path in a file:// URI: file:///dev/usb/lp0, file:///C:/x.bin, file://C:\\x.bin."""
    rest = unquote(uri.removeprefix("file://"))
    if rest.startswith("localhost/"):
        rest = rest.removeprefix("localhost")
    drive = _DRIVE.match(rest)
    return drive.group(1) if drive else rest


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
        return UsbConnection(*_usb_ids(parts.netloc), timeouts)
    if parts.scheme == "serial" and (parts.path or parts.netloc):
        return _serial(parts, timeouts)
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
