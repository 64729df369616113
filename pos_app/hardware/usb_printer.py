"""A USB printer addressed by vendor and product id (usb://0416:5011), through python-escpos
and pyusb; and the list of plugged-in USB devices for the id picker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pos_app.hardware.connections import (
    PrinterConnection,
    PrinterOffline,
    PrinterTimeout,
    PrinterUnsupported,
    Timeouts,
)

USB_PRINTER_CLASS = 7
_NO_LIBUSB = "USB printers need the libusb library (apt install libusb-1.0-0)"


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


def usb_ids(netloc: str) -> tuple[int, int]:
    """(vendor id, product id) of usb://VVVV:PPPP's netloc, both hex."""
    vendor, _, product = netloc.partition(":")
    try:
        return int(vendor, 16), int(product, 16)
    except ValueError as exc:
        raise PrinterUnsupported(
            f"USB printer must look like usb://0416:5011, not {netloc!r}"
        ) from exc
