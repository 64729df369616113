"""Typed access to the settings table: JSON values under well-known keys with defaults."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.store.models import Setting
from pos_app.store.setting_defaults import DEFAULTS, setting_value

_ALL = select(Setting.key, Setting.value)
_CACHE = "settings"  # session.info key: the settings table as read once in this session


def _stored(session: Session) -> dict[str, str]:
    """All stored settings, read with one query per session (a checkout needs several)."""
    cached: dict[str, str] | None = session.info.get(_CACHE)
    if cached is None:
        cached = {key: value for key, value in session.execute(_ALL)}
        session.info[_CACHE] = cached
    return cached


def get_setting(session: Session, key: str) -> Any:
    return setting_value(key, _stored(session).get(key))


def set_setting(session: Session, key: str, value: Any) -> None:
    encoded = json.dumps(value, ensure_ascii=False)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=encoded))
    else:
        row.value = encoded
    _stored(session)[key] = encoded


def store_zone(session: Session) -> ZoneInfo:
    """The store's one time zone: the screen, receipts, reports and ledgers all show it."""
    return ZoneInfo(get_setting(session, "timezone") or DEFAULTS["timezone"])
