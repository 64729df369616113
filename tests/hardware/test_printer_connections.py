"""Printer connections from URIs: TCP status queries, files, serial ports, USB and CUPS."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.hardware.connections import (
    PrinterStatus,
    PrinterUnsupported,
    Timeouts,
    status_from_answers,
)
from pos_app.hardware.printer_uri import open_printer
from pos_app.hardware.usb_printer import list_usb_printers
from tests.hardware.fake_printer import FAST_TIMEOUTS, STATUS_ANSWERS, FakePrinter, fast_connect


@pytest.mark.parametrize(
    ("mode", "status"),
    [
        ("normal", PrinterStatus.READY),
        ("paper_out", PrinterStatus.PAPER_OUT),
        ("cover_open", PrinterStatus.COVER_OPEN),
    ],
)
def test_real_time_status_answers_decode_to_what_the_cashier_sees(
    mode: str, status: PrinterStatus
) -> None:
    """DLE EOT 1/2/4 answers map to ready, paper out or cover open."""
    answers = STATUS_ANSWERS[mode]
    assert status_from_answers(answers[1], answers[2], answers[4]) is status


def test_an_offline_printer_without_a_known_cause_is_offline_and_noise_is_unknown() -> None:
    """Offline with no cover or paper bit is OFFLINE; bytes that are not status are UNKNOWN."""
    assert status_from_answers(0x1A, 0x12, 0x12) is PrinterStatus.OFFLINE
    assert status_from_answers(0xFF, 0x12, 0x12) is PrinterStatus.UNKNOWN


@pytest.mark.parametrize(
    ("mode", "status"),
    [
        ("normal", PrinterStatus.READY),
        ("paper_out", PrinterStatus.PAPER_OUT),
        ("mute", PrinterStatus.UNKNOWN),
    ],
)
def test_the_tcp_status_query_asks_the_real_endpoint(
    fake_printer: FakePrinter, mode: str, status: PrinterStatus
) -> None:
    """Over TCP the status comes from the printer's answers; no answer in time means unknown."""
    fake_printer.set_mode(mode)
    started = time.monotonic()
    with fast_connect(fake_printer.uri) as connection:
        assert connection.status() is status
    assert time.monotonic() - started < 3 * FAST_TIMEOUTS.status_s + 0.5


def test_a_file_uri_appends_each_job(tmp_path: Path) -> None:
    """file:// writes jobs to a device node or, here, a plain file, one after the other."""
    path = tmp_path / "printer.bin"
    for job in (b"first job\n", b"second job\n"):
        with open_printer(f"file://{path}") as connection:
            assert connection.status() is PrinterStatus.UNKNOWN
            connection.write(job)
    assert path.read_bytes() == b"first job\nsecond job\n"


class SerialPrinter:
    """The far end of a pseudo-terminal acting as a serial printer that answers DLE EOT."""

    def __init__(self, answers: dict[int, int]) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        self.answers = answers
        self.received = bytearray()
        self.changed = threading.Condition()
        self._slave = slave
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return
            with self.changed:
                self.received += chunk
                self.changed.notify_all()
            if chunk[:2] == b"\x10\x04" and len(chunk) == 3:
                os.write(self.master, bytes([self.answers[chunk[2]]]))

    def close(self) -> None:
        os.close(self._slave)
        os.close(self.master)


@pytest.fixture
def serial_printer() -> Iterator[SerialPrinter]:
    """A serial printer on a pty that reports paper out."""
    printer = SerialPrinter(STATUS_ANSWERS["paper_out"])
    yield printer
    printer.close()


def test_a_serial_printer_reports_status_and_takes_the_job(serial_printer: SerialPrinter) -> None:
    """serial:// opens the port at the given baud rate, asks DLE EOT and writes the job."""
    with fast_connect(f"serial://{serial_printer.path}?baudrate=19200") as connection:
        assert connection.status() is PrinterStatus.PAPER_OUT
        connection.write(b"\x1b@job")
    with serial_printer.changed:
        serial_printer.changed.wait_for(lambda: serial_printer.received.endswith(b"job"), 2)
    assert serial_printer.received.endswith(b"\x1b@job")


@pytest.mark.parametrize(
    "uri",
    ["", "lpt://1", "tcp://", "tcp://printer:abc", "usb://zz:11", "serial:///dev/x?baudrate=fast"],
)
def test_a_bad_printer_address_is_refused_with_a_clear_message(uri: str) -> None:
    """Addresses that cannot be a printer raise PrinterUnsupported saying what is expected."""
    with pytest.raises(PrinterUnsupported) as error:
        open_printer(uri, Timeouts())
    assert str(error.value)


def test_listing_usb_printers_says_what_is_missing_or_lists_devices() -> None:
    """Without libusb the picker gets a message naming it; with it, a list of devices."""
    try:
        devices = list_usb_printers()
    except PrinterUnsupported as error:
        assert "libusb" in str(error) or "pyusb" in str(error)
    else:
        assert all(device.uri.startswith("usb://") for device in devices)


def test_printing_to_cups_without_lp_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cups:// printer on a machine without the lp command says so."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with (
        open_printer("cups://receipts") as connection,
        pytest.raises(PrinterUnsupported, match="lp"),
    ):
        connection.write(b"job")
