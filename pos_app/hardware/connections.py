"""What a printer connection is: one job per connection, `status()` (optional) then one
`write()` of the whole job, every operation bounded by a timeout. The errors, whose messages
are written for the cashier, the printer's status and how ESC/POS real-time status answers are
read. The transports live in tcp_printer, usb_printer, serial_printer, file_printer and
queue_printers; printer_uri opens the one a URI names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType

from pos_app.domain.coded import CodedError

DLE_EOT = b"\x10\x04"
STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4


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


class StatusQueries(PrinterConnection):
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
