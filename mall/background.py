"""Work the mall does by itself: following pending payments (query, reverse at the deadline),
publishing the change feed (mall.feed), expiring points, cancelling online orders left unpaid,
pruning rate-limit hits, SMS codes and ended sessions.

Every worker process runs one such thread; leases in the mall's own database make each piece of
work run once across all workers and machines:
- due payments are claimed with SELECT … FOR UPDATE SKIP LOCKED and their next query moved one
  lease ahead in the same transaction (PaymentDesk.sweep), so two workers never ask the provider
  about the same payment in the same tick, and a payment a dead worker claimed is taken again
  when its lease ends;
- a periodic job runs in whichever worker first takes its named row in `leases` (a conditional
  UPDATE: only when the previous lease has ended); the lease lasts one interval, so the job runs
  once per interval, chain-wide.

Why rows rather than PostgreSQL advisory locks or a job queue such as procrastinate: an advisory
lock belongs to one pooled connection and never times out (a hung worker keeps it), and exists
only on PostgreSQL; a queue brings its own schema, worker processes and dependency for three
small jobs. Row leases are plain SQL, work the same on SQLite (one writer) and PostgreSQL, expire
by themselves, and `SELECT * FROM leases` shows who runs what until when.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, update

from mall.customer.orders import expire_unpaid_orders
from mall.customer.top_ups import credit_paid_top_ups
from mall.db import MallDatabase, insert_if_absent
from mall.feed import publish
from mall.housekeeping import expire_points, prune
from mall.models import LeaseRow, utc_now
from mall.payments.service import PaymentDesk

log = logging.getLogger(__name__)
NEVER = datetime(2000, 1, 1).astimezone()


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval_s: float
    run: Callable[[MallDatabase, datetime], Any]


JOBS = (
    PeriodicJob("expire-points", 3600.0, expire_points),
    PeriodicJob("prune", 600.0, prune),
    PeriodicJob("expire-orders", 60.0, expire_unpaid_orders),
    PeriodicJob("credit-top-ups", 60.0, credit_paid_top_ups),
)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def take_lease(db: MallDatabase, name: str, holder: str, length_s: float) -> bool:
    """Take the named lease for length_s if nobody holds it now; True when taken."""
    now = utc_now()
    with db.write() as session:
        insert_if_absent(session, LeaseRow, name=name, holder="", expires_at=NEVER)
        taken = session.execute(
            update(LeaseRow)
            .where(LeaseRow.name == name, LeaseRow.expires_at <= now)
            .values(holder=holder, expires_at=now + timedelta(seconds=length_s))
        )
    return cast(CursorResult[Any], taken).rowcount == 1


class Background:
    """The background thread of one worker process: started on the first payment, or at start
    by a served mall (so payments left pending by a restart are followed too)."""

    def __init__(self, desk: PaymentDesk, jobs: tuple[PeriodicJob, ...] = JOBS) -> None:
        self.desk = desk
        self.jobs = jobs
        self.holder = holder_name()
        self.tick_s = min(1.0, max(0.05, desk.settings.query_interval_s / 2))
        self.jobs_every_s = 30.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def ensure_started(self) -> None:
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="background", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=60)

    def run_due_jobs(self) -> list[str]:
        """Run each periodic job whose lease this process takes; the names of those run."""
        ran = []
        for job in self.jobs:
            if take_lease(self.desk.db, job.name, self.holder, job.interval_s):
                job.run(self.desk.db, utc_now())
                ran.append(job.name)
        return ran

    def _run(self) -> None:
        # This runs on the background thread.
        jobs_due = time.monotonic()
        while not self._stop.wait(self.tick_s):
            try:
                self.desk.sweep()
                publish(self.desk.db)
                if time.monotonic() >= jobs_due:
                    jobs_due = time.monotonic() + self.jobs_every_s
                    self.run_due_jobs()
            except Exception:  # a failing tick must not end the follow-up of every payment
                log.exception("background work failed; trying again next tick")
