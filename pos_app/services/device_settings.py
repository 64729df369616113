"""The counter devices a till is set up with (scale, pole display, label printer), read and saved
as a whole from 设置 and the first-run wizard; validated before anything is written."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from pos_app.hardware.scale_protocols import PROTOCOLS
from pos_app.services.errors import ServiceError
from pos_app.services.till_settings import store_values
from pos_app.store.db import Database
from pos_app.store.settings import get_setting

__all__ = [
    "LABEL_PRINTER_SCHEMES",
    "LABEL_SIZES",
    "SCALE_PROTOCOLS",
    "SERIAL_SCHEMES",
    "DeviceSettings",
    "InvalidDeviceSettings",
    "read_device_settings",
    "save_device_settings",
    "uri_allowed",
]

SCALE_PROTOCOLS = tuple(PROTOCOLS)
LABEL_SIZES = ("40x30", "50x30", "60x40")  # mm, the label stock Chinese shops buy
SERIAL_SCHEMES = ("serial", "tcp")
LABEL_PRINTER_SCHEMES = ("tcp", "usb", "serial", "file", "cups", "win32")
MAX_SETTLE_S = 30


class InvalidDeviceSettings(ServiceError):
    """A device setting that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class DeviceSettings:
    """URIs are "" when the device is not there."""

    scale_uri: str
    scale_protocol: str
    scale_settle_s: int  # a weight must settle within this, or it is refused
    pole_display_uri: str
    label_printer_uri: str
    label_size: str


def read_device_settings(db: Database) -> DeviceSettings:
    with db.read() as session:
        values = {key: get_setting(session, key) for key in DeviceSettings.__dataclass_fields__}
    return DeviceSettings(**values)


def uri_allowed(uri: str, schemes: tuple[str, ...]) -> bool:
    """Empty (no device) or one of the schemes the device kind can be reached by."""
    return not uri or urlsplit(uri).scheme in schemes


def _check_uri(what: str, uri: str, schemes: tuple[str, ...]) -> None:
    if not uri_allowed(uri, schemes):
        allowed = ", ".join(f"{scheme}://" for scheme in schemes)
        raise InvalidDeviceSettings(
            f"The {what} address must start with {allowed}: {uri!r}",
            code="device_uri",
            what=what,
            schemes=allowed,
            uri=uri,
        )


def _validate(settings: DeviceSettings) -> None:
    _check_uri("scale", settings.scale_uri, SERIAL_SCHEMES)
    _check_uri("pole display", settings.pole_display_uri, SERIAL_SCHEMES)
    _check_uri("label printer", settings.label_printer_uri, LABEL_PRINTER_SCHEMES)
    if settings.scale_protocol not in SCALE_PROTOCOLS:
        raise InvalidDeviceSettings(
            f"Scale protocol must be one of {SCALE_PROTOCOLS}.", code="device_protocol"
        )
    if not 1 <= settings.scale_settle_s <= MAX_SETTLE_S:
        raise InvalidDeviceSettings(
            f"Settling time must be 1 to {MAX_SETTLE_S} seconds.",
            code="device_settle",
            most=MAX_SETTLE_S,
        )
    if settings.label_size not in LABEL_SIZES:
        raise InvalidDeviceSettings(
            f"Label size must be one of {LABEL_SIZES}.", code="device_label_size"
        )


def save_device_settings(
    db: Database, settings: DeviceSettings, *, actor_id: int, approver_id: int
) -> None:
    """Validate and store the device settings in one journaled transaction."""
    _validate(settings)
    store_values(db, asdict(settings), actor_id=actor_id, approver_id=approver_id)
