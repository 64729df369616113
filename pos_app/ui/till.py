"""The till as one object. bootstrap() builds, once, what a running till is made of: the
database, the one writer (with the runner that hands its results to the GUI thread), the payment
gateway and member directory, the receipt printer, sync with the mall and the payment upkeep,
the scanner's key clock and what the window reads before it shows. The main window receives the
Till in its constructor and wires the parts it has; nothing is attached to a window later.

start() runs the parts' threads once the first screen is painted; stop() stops them. The
writer is closed last, after the window is gone (closing it may still hold a cart).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pos_app.services.database import Database
from pos_app.services.mall_payments import MallPaymentGateway, till_gateway
from pos_app.services.member_directory import MemberDirectory, NoMallDirectory, directory_for
from pos_app.services.members import refresh_rules
from pos_app.services.payments import PaymentGateway, UnavailableGateway
from pos_app.services.till_start import TillStart, till_start
from pos_app.services.warm_up import warm_up
from pos_app.services.writer import Writer
from pos_app.ui.ops import OpRunner
from pos_app.ui.payment_upkeep import PaymentUpkeep
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.scanner import KeyClock, monotonic_ms

if TYPE_CHECKING:  # the sync worker (Qt) loads only for a paired till
    from pos_app.ui.sync_bridge import SyncBridge
    from sync.engine import SyncEngine

log = logging.getLogger(__name__)
WARM_UP_THREAD = "warm-up"


@dataclass
class Till:
    """One running till. Parts left None are not there (not paired, no printer in a test)."""

    db: Database
    writer: Writer
    ops: OpRunner  # the writer as the GUI thread uses it; its window adopts it
    start_view: TillStart
    gateway: PaymentGateway = field(default_factory=UnavailableGateway)
    members: MemberDirectory = field(default_factory=NoMallDirectory)
    printer: PrinterBridge | None = None
    sync: SyncBridge | None = None
    upkeep: PaymentUpkeep | None = None
    clock: KeyClock = monotonic_ms  # the scanner's key clock
    demo: bool = False  # the log-in page shows the demo staff

    def start(self) -> None:
        """After the first paint: the printer (and the reprint offer), sync, the payment
        upkeep's recovery, the points rules, and the search tables and contract models the
        first search and sale need (services/warm_up.py, on a thread of its own)."""
        threading.Thread(target=warm_up, name=WARM_UP_THREAD, daemon=True).start()
        if self.printer is not None:
            self.printer.start()
        self._refresh_points_rules()
        if self.sync is not None:
            self.sync.start()
        if self.upkeep is not None:
            self.upkeep.recover()

    def stop(self) -> None:
        """Stop every part (not the writer)."""
        if self.sync is not None:
            self.sync.stop()  # first: its last status would ask the payment upkeep for a round
        if self.upkeep is not None:
            self.upkeep.stop()
        if self.printer is not None:
            self.printer.stop()

    def _refresh_points_rules(self) -> None:
        """Ask the mall for the current points rules in the background (kept from pairing if
        the mall cannot be reached now)."""
        db, directory = self.db, self.members
        self.ops.run(
            lambda: refresh_rules(db, directory),
            success=lambda _rules: None,
            failure=lambda error: log.info("points rules not refreshed: %s", error),
        )


def bootstrap(
    db: Database,
    writer: Writer,
    *,
    sync_engine: Callable[[], SyncEngine] | None = None,
    demo: bool = False,
) -> Till:
    """The production till on db: the mall's gateway and directory when paired, the receipt
    printer, sync when given what makes its engine (called on the sync thread once the till
    starts), the payment upkeep when payments go through the mall. What the window needs first
    is read on the writer, not on the GUI thread."""
    ops = OpRunner(writer=writer)
    gateway = till_gateway(db)
    till = Till(
        db,
        writer,
        ops,
        writer.call(lambda: till_start(db)),
        gateway=gateway,
        members=directory_for(db.path.parent),
        printer=PrinterBridge(db, ops),
        demo=demo,
    )
    if sync_engine is not None:
        from pos_app.ui.sync_bridge import SyncBridge
        from sync.worker import SyncWorker

        till.sync = SyncBridge(db, SyncWorker(sync_engine))
    if isinstance(gateway, MallPaymentGateway):
        till.upkeep = PaymentUpkeep(gateway)
    return till
