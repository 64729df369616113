"""Finding printers: the network sweep over real sockets on 127.0.0.0/29, and finders that
answer (never raise) on a machine without libusb printers or CUPS."""

from __future__ import annotations

import ipaddress
import socket
import time

from pos_app.hardware.printer_discovery import (
    FoundPrinter,
    find_printers,
    network_printers,
    serial_ports,
    system_queues,
    usb_printers,
)


def test_the_network_sweep_finds_what_listens_on_the_port_and_nothing_else() -> None:
    with socket.socket() as listening, socket.socket() as other:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        other.bind(("127.0.0.1", 0))  # bound, not listening: refuses
        port = listening.getsockname()[1]
        started = time.monotonic()
        found = network_printers([ipaddress.IPv4Network("127.0.0.0/29")], port=port)
        assert found == [FoundPrinter(f"tcp://127.0.0.1:{port}", f"网络 127.0.0.1:{port}")]
        assert time.monotonic() - started < 3
        assert (
            network_printers([ipaddress.IPv4Network("127.0.0.0/29")], port=other.getsockname()[1])
            == []
        )


def test_every_finder_answers_a_list_of_uris_the_till_can_open() -> None:
    schemes = {"usb", "serial", "cups", "win32", "tcp"}
    for finder in (usb_printers, serial_ports, system_queues, find_printers):
        for printer in finder():
            assert printer.uri.split("://")[0] in schemes and printer.label
