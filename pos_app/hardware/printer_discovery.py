"""Finding the receipt printers a shop's computer can reach, for the setup wizard and 设置:
USB printers libusb can see, serial ports, the system's print queues (CUPS here, Windows'
spooler there) and network printers answering on port 9100 in the computer's own /24.

Each finder answers what it found, never raises for a missing backend (no libusb, no CUPS) and
bounds its own time: the network sweep connects to every address at once with a short timeout.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

RAW_PORT = 9100  # HP JetDirect / raw printing, what network receipt printers listen on
USB_PRINTER_CLASS = 7
# USB vendors of common receipt printers whose interface says "vendor specific", not "printer":
# Winbond (Xprinter, 佳博), STMicro, Nuvoton, GigaDevice, Epson, Star, SNBC (新北洋), Rongta.
POS_VENDORS = frozenset({0x0416, 0x0483, 0x0FE6, 0x28E9, 0x04B8, 0x0519, 0x154F, 0x0DD4, 0x1FC9})
SWEEP_WORKERS = 128


@dataclass(frozen=True)
class FoundPrinter:
    """A printer that was found: its URI (as the settings store it) and what the owner reads."""

    uri: str
    label: str


def usb_printers() -> list[FoundPrinter]:
    """USB printers by class, or by a receipt-printer vendor (libusb missing: none)."""
    try:
        import usb.core  # type: ignore[import-untyped]

        devices = list(usb.core.find(find_all=True))
    except Exception:
        return []
    found = []
    for device in devices:
        classes = {interface.bInterfaceClass for config in device for interface in config} | {
            device.bDeviceClass
        }
        if USB_PRINTER_CLASS in classes or device.idVendor in POS_VENDORS:
            ids = f"{device.idVendor:04x}:{device.idProduct:04x}"
            found.append(FoundPrinter(f"usb://{ids}", f"USB {ids}"))
    return found


def serial_ports() -> list[FoundPrinter]:
    from serial.tools import list_ports

    return [
        FoundPrinter(f"serial://{port.device}", f"串口 {port.device}")
        for port in list_ports.comports()
    ]


def system_queues() -> list[FoundPrinter]:
    """The operating system's printers: Windows' spooler, or CUPS' queues (lpstat -e)."""
    if sys.platform == "win32":
        import win32print  # type: ignore[import-not-found]  # pywin32, on Windows only

        flags = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
        names = [entry[2] for entry in win32print.EnumPrinters(flags)]
        scheme = "win32"
    else:
        lpstat = shutil.which("lpstat")
        if lpstat is None:
            return []
        try:
            done = subprocess.run(
                [lpstat, "-e"], capture_output=True, text=True, timeout=3, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return []
        names = done.stdout.split() if done.returncode == 0 else []
        scheme = "cups"
    return [FoundPrinter(f"{scheme}://{name}", f"系统打印机 {name}") for name in names]


def local_networks() -> list[ipaddress.IPv4Network]:
    """The /24 of this computer's outgoing address (no packet is sent to find it)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # UDP connect only picks the route
        address = probe.getsockname()[0]
    except OSError:
        return []
    finally:
        probe.close()
    if address.startswith("127."):
        return []
    return [ipaddress.IPv4Network(f"{address}/24", strict=False)]


def _answers(host: str, port: int, timeout_s: float) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def network_printers(
    networks: Iterable[ipaddress.IPv4Network], *, port: int = RAW_PORT, timeout_s: float = 0.4
) -> list[FoundPrinter]:
    """Every address of the networks that accepts a connection on the port, in address order."""
    hosts = [str(host) for network in networks for host in network.hosts()]
    with ThreadPoolExecutor(max_workers=SWEEP_WORKERS) as pool:
        answered = list(pool.map(lambda host: _answers(host, port, timeout_s), hosts))
    return [
        FoundPrinter(f"tcp://{host}:{port}", f"网络 {host}:{port}")
        for host, ok in zip(hosts, answered, strict=True)
        if ok
    ]


def find_printers() -> list[FoundPrinter]:
    """Everything the finders above see, USB first (the usual receipt printer), network last."""
    return [
        *usb_printers(),
        *system_queues(),
        *serial_ports(),
        *network_printers(local_networks()),
    ]
