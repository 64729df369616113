"""What every screen of a running till shares: the database, the background runner, the scan
router, the payment gateway, who is logged in and the selling settings read at log-in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from pos_app.domain.money import RoundingMode
from pos_app.domain.scan import ScanRules
from pos_app.hardware.pole_display import PoleDisplay
from pos_app.hardware.scale import Scale
from pos_app.services.audit import record_action
from pos_app.services.database import Database
from pos_app.services.member_directory import MemberDirectory, NoMallDirectory
from pos_app.services.payments import PaymentGateway, UnavailableGateway
from pos_app.services.permissions import Need, PermissionTable, role_permits
from pos_app.services.till_start import SellingSettings, selling_settings
from pos_app.ui.ops import OpRunner
from pos_app.ui.scanner import ScanRouter

if TYPE_CHECKING:  # the sync worker loads only for a paired till (pos_app.ui.till)
    from pos_app.ui.sync_bridge import SyncBridge

T = TypeVar("T")
STORE_ZONE = "Asia/Shanghai"  # until the store's setting is read


@dataclass(frozen=True)
class StaffInfo:
    staff_id: int
    name: str
    role: str


@dataclass
class TillContext:
    """Shared state of one till window. Created and used on the GUI thread."""

    db: Database
    ops: OpRunner
    router: ScanRouter
    gateway: PaymentGateway = field(default_factory=UnavailableGateway)
    members: MemberDirectory = field(default_factory=NoMallDirectory)
    sync: SyncBridge | None = None  # None until the till is paired with a mall
    staff: StaffInfo | None = None
    scan_rules: ScanRules = field(default_factory=ScanRules)
    rounding: RoundingMode = RoundingMode.NONE
    permissions: PermissionTable = field(default_factory=dict)  # who may do what
    scale: Scale | None = None  # the counter scale, when one is set up (ui/devices.py)
    pole: PoleDisplay | None = None  # the pole display, likewise
    scale_settle_s: int = 5
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(STORE_ZONE))  # the store's clock

    def reload_settings(self) -> None:
        """Read the selling settings again at once, after a settings dialog saved them (a few
        key lookups; the log-in reads them on the writer instead, ui/main_window.py)."""
        self.use_settings(selling_settings(self.db))

    def use_settings(self, settings: SellingSettings) -> None:
        self.scan_rules = settings.scan
        self.rounding = settings.rounding
        self.permissions = settings.permissions
        self.zone = settings.zone

    def write(self, work: Callable[[], T]) -> T:
        """Run a short write (a few rows) on the till's one writer and wait for it, for a screen
        that shows its outcome at once (hold, recall, settings). No deadlock: work on the writer
        never waits for the GUI thread; the wait is for the write and what was queued before."""
        return self.ops.writer.call(work)  # the Till's writer

    def journal(
        self,
        kind: str,
        approver_id: int | None,
        *,
        on_error: Callable[[Exception], None],
        **details: object,
    ) -> None:
        """Append an audited action (void, override, discount) to the journal in the background."""
        db, actor = self.db, self.staff_id
        self.ops.run(
            lambda: record_action(
                db, kind=kind, actor_id=actor, approver_id=approver_id, details=dict(details)
            ),
            success=lambda _: None,
            failure=on_error,
        )

    def may(self, need: Need) -> bool:
        """Whether the logged-in staff member's own role covers the need (no approver asked)."""
        return self.staff is not None and role_permits(self.permissions, self.staff.role, need)

    @property
    def staff_id(self) -> int:
        assert self.staff is not None, "nobody is logged in"
        return self.staff.staff_id
