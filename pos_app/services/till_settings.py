"""The store settings a manager edits at the till (settings dialog), read and saved as a whole.

Values are validated before anything is written; a change is journaled with who approved it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pos_app.domain.barcodes import ScaleLayout, validate_layouts
from pos_app.domain.money import RoundingMode
from pos_app.services.errors import ServiceError
from pos_app.services.till import till_identity
from pos_app.store.db import Database
from pos_app.store.journal import append_journal
from pos_app.store.settings import get_setting, set_setting

RECEIPT_WIDTHS_MM = (58, 80)
LANGUAGES = ("zh_CN", "en")


class InvalidSettings(ServiceError):
    """A settings value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class TillSettings:
    store_name: str
    store_address: str
    store_phone: str
    receipt_width_mm: int
    scale_layouts: tuple[str, ...]
    rounding_mode: str
    language: str
    scale_zero_price_allowed: bool


def read_settings(db: Database) -> TillSettings:
    with db.read() as session:
        values = {key: get_setting(session, key) for key in TillSettings.__dataclass_fields__}
    values["scale_layouts"] = tuple(values["scale_layouts"])
    return TillSettings(**values)


def _validate(settings: TillSettings) -> None:
    if not settings.store_name.strip():
        raise InvalidSettings("The store name cannot be empty.")
    if settings.receipt_width_mm not in RECEIPT_WIDTHS_MM:
        raise InvalidSettings(f"Receipt width must be one of {RECEIPT_WIDTHS_MM} mm.")
    if settings.language not in LANGUAGES:
        raise InvalidSettings(f"Language must be one of {LANGUAGES}.")
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
