"""What the till's window reads about itself, each view in a read of its own: once before the
window shows, the selling settings at each log-in, the status after a shift changed. The window
asks for them through the writer (ui/ops.py), so the GUI thread never waits on the database."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pos_app.domain.money import RoundingMode
from pos_app.domain.scan import ScanRules
from pos_app.services.permissions import PermissionTable, read_table
from pos_app.services.till import rounding_mode, scan_rules, time_zone
from pos_app.services.till_settings import read_settings, starts_maximised
from pos_app.services.till_views import TillStatus, till_status
from pos_app.store.db import Database


@dataclass(frozen=True)
class SellingSettings:
    """The settings a sale follows, read again at each log-in."""

    scan: ScanRules
    rounding: RoundingMode
    permissions: PermissionTable
    zone: ZoneInfo


@dataclass(frozen=True)
class TillStart:
    """Read once before the window shows: its language, size and first status line."""

    language: str
    maximised: bool
    status: TillStatus


def selling_settings(db: Database) -> SellingSettings:
    with db.read() as session:
        return SellingSettings(
            scan_rules(session), rounding_mode(session), read_table(session), time_zone(session)
        )


def status_of(db: Database) -> TillStatus:
    """Store name, till and the open shift, in a read of its own."""
    with db.read() as session:
        return till_status(session)


def till_start(db: Database) -> TillStart:
    return TillStart(read_settings(db).language, starts_maximised(db), status_of(db))
