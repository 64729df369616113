"""The store settings a manager edits at the till (settings dialog), read and saved as a whole.

Values are validated before anything is written; a change is journaled with who approved it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from pos_app.domain.money import RoundingMode
from pos_app.domain.scale_layouts import ScaleLayout, validate_layouts
from pos_app.services.errors import ServiceError
from pos_app.services.permissions import require_manager
from pos_app.services.till import till_identity
from pos_app.store.db import Database
from pos_app.store.journal import append_journal
from pos_app.store.settings import get_setting, set_setting

RECEIPT_WIDTHS_MM = (58, 80)
COST_METHODS = ("last", "weighted_average")  # docs/figures.md, "Which cost"
LANGUAGES = ("zh_CN", "en")
PRINTER_SCHEMES = ("tcp", "usb", "serial", "file", "cups", "win32")


class InvalidSettings(ServiceError):
    """A settings value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class TillSettings:
    store_name: str
    store_address: str
    store_phone: str
    receipt_width_mm: int
    printer_uri: str  # the receipt printer ("" none): tcp://, usb://, serial://, cups://, …
    scale_layouts: tuple[str, ...]
    rounding_mode: str
    language: str
    scale_zero_price_allowed: bool


def read_settings(db: Database) -> TillSettings:
    with db.read() as session:
        values = {key: get_setting(session, key) for key in TillSettings.__dataclass_fields__}
    values["scale_layouts"] = tuple(values["scale_layouts"])
    return TillSettings(**values)


def starts_maximised(db: Database) -> bool:
    """Whether the till window opens maximised (the setting window_maximised, on by default)."""
    with db.read() as session:
        return bool(get_setting(session, "window_maximised"))


def _validate(settings: TillSettings) -> None:
    if not settings.store_name.strip():
        raise InvalidSettings("The store name cannot be empty.", code="store_name_empty")
    if settings.receipt_width_mm not in RECEIPT_WIDTHS_MM:
        raise InvalidSettings(
            f"Receipt width must be one of {RECEIPT_WIDTHS_MM} mm.", code="receipt_width"
        )
    if settings.printer_uri and urlsplit(settings.printer_uri).scheme not in PRINTER_SCHEMES:
        raise InvalidSettings(
            f"A receipt printer address starts with one of {PRINTER_SCHEMES}.",
            code="printer_uri",
            schemes=" / ".join(f"{scheme}://" for scheme in PRINTER_SCHEMES),
        )
    if settings.language not in LANGUAGES:
        raise InvalidSettings(f"Language must be one of {LANGUAGES}.", code="language")
    try:
        RoundingMode(settings.rounding_mode)
        validate_layouts([ScaleLayout.parse_spec(spec) for spec in settings.scale_layouts])
    except ValueError as error:
        raise InvalidSettings(str(error)) from error


def save_settings(db: Database, settings: TillSettings, *, actor_id: int, approver_id: int) -> None:
    """Validate and store all settings in one transaction, journaled as a settings change."""
    _validate(settings)
    values = asdict(settings)
    values["scale_layouts"] = list(settings.scale_layouts)
    store_values(db, values, actor_id=actor_id, approver_id=approver_id)


def store_values(db: Database, values: dict[str, Any], *, actor_id: int, approver_id: int) -> None:
    """Write settings (already validated) in one transaction, journaled as a settings change."""
    with db.write() as session:
        _write(session, values, actor_id=actor_id, approver_id=approver_id)


def _write(session: Session, values: dict[str, Any], *, actor_id: int, approver_id: int) -> None:
    for key, value in values.items():
        set_setting(session, key, value)
    append_journal(
        session,
        till_id=till_identity(session).till_id,
        kind="settings",
        actor_id=actor_id,
        approver_id=approver_id,
        payload=values,
    )


def read_cost_method(db: Database) -> str:
    """How receivings set the cost price that sales record: "last" or "weighted_average"."""
    with db.read() as session:
        return str(get_setting(session, "cost_method"))


def save_cost_method(db: Database, method: str, *, actor_id: int) -> None:
    """Manager only: the cost method from the next receiving on, journaled. Lines already sold
    keep the cost they recorded; nothing is recosted."""
    if method not in COST_METHODS:
        raise InvalidSettings(f"Cost method must be one of {COST_METHODS}.", code="cost_method")
    with db.write() as session:
        require_manager(session, actor_id)
        _write(session, {"cost_method": method}, actor_id=actor_id, approver_id=actor_id)
