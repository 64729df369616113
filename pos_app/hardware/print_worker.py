"""The worker thread that empties the print queue, and sending one job to a printer.

The worker takes a `JobSource` (the store's print_jobs table in the app) and never touches the
database itself. A job whose write failed (refused, timed out, connection closed mid-job, paper
out) goes back to pending with the reason and is sent again whole later; a printer that lost the
connection mid-job may therefore print a partial receipt and then the full one. A duplicate
partial receipt is acceptable, a lost one is not. A drawer kick is sent now or never: one
attempt, at once, even while its printer is backing off; if that fails, or it waited longer than
DRAWER_JOB_TTL, it is dropped ("expired") and the cashier is told. A drawer springing open later,
at a till nobody watches, is worse than one that stays shut.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from pos_app.domain.print_jobs import EXPIRED_REASON, ClaimedJob, JobKind, JobStatus, PendingJob
from pos_app.hardware.connections import (
    CoverOpen,
    PaperOut,
    PrinterConnection,
    PrinterError,
    PrinterStatus,
    ensure_ready,
)
from pos_app.hardware.printer_uri import open_printer

__all__ = ["Backoff", "JobSource", "PrintEvent", "PrintWorker", "send_job"]

log = logging.getLogger(__name__)

DRAWER_JOB_TTL = timedelta(seconds=10)
WAITING = "waiting"  # PrintEvent outcome of a failed attempt: the job stays queued
Connect = Callable[[str], PrinterConnection]


class JobSource(Protocol):
    """Where the worker finds jobs and records what happened to them (store.print_jobs)."""

    def pending(self) -> list[PendingJob]: ...
    def claim(self, job_id: int) -> ClaimedJob | None: ...
    def release(self, job_id: int, reason: str) -> None: ...
    def mark_printed(self, job_id: int) -> None: ...
    def expire(self, job_id: int) -> bool: ...
    def recover_interrupted(self) -> int: ...
    def ring(self) -> None: ...
    def wait(self, timeout_s: float) -> None: ...


@dataclass(frozen=True)
class PrintEvent:
    """What the worker reports after each attempt ("printed", "waiting" or "expired")."""

    job_id: int
    outcome: str
    message: str = ""
    status: PrinterStatus = PrinterStatus.UNKNOWN
    code: str = ""  # the PrinterError's code, for the screen to word


def _deliver(job: ClaimedJob, connect: Connect) -> PrinterStatus:
    with connect(job.uri) as connection:
        no_status = job.kind in (JobKind.DRAWER, JobKind.TSPL_LABEL)
        status = PrinterStatus.UNKNOWN if no_status else connection.status()
        ensure_ready(status, connection.name)
        connection.write(job.data)
    return status


def send_job(jobs: JobSource, job_id: int, connect: Connect = open_printer) -> PrinterStatus | None:
    """Send one pending job now and mark it printed; returns the printer's status, or None if
    the job was not pending. On failure the job goes back to pending and the error is raised."""
    job = jobs.claim(job_id)
    if job is None:
        return None
    try:
        status = _deliver(job, connect)
    except Exception as exc:  # the printer did not take the whole job: back to pending
        jobs.release(job_id, str(exc) or type(exc).__name__)
        raise
    jobs.mark_printed(job_id)
    return status


@dataclass(frozen=True)
class Backoff:
    """Wait first_s after a printer's first failure, doubling up to max_s."""

    first_s: float = 1.0
    max_s: float = 30.0

    def delay_s(self, failures: int) -> float:
        # The exponent is capped: a printer left off overnight fails thousands of times, and
        # 2.0 ** 1024 overflows (it killed the worker thread after ~8 hours at max_s = 30).
        return min(self.max_s, self.first_s * 2 ** min(max(0, failures - 1), 32))


_ERROR_STATUS = {PaperOut: PrinterStatus.PAPER_OUT, CoverOpen: PrinterStatus.COVER_OPEN}


class PrintWorker:
    """Sends queued jobs, oldest first, from one background thread (no Qt).

    A printer that fails is retried with backoff while jobs for other printers go on. Listeners
    are called on the worker's thread with a PrintEvent after every attempt; a Qt adapter
    re-emits them as signals for the GUI thread.
    """

    def __init__(
        self,
        jobs: JobSource,
        *,
        connect: Connect = open_printer,
        backoff: Backoff | None = None,
        idle_poll_s: float = 2.0,
    ) -> None:
        self.jobs = jobs
        self.connect = connect
        self.backoff = backoff or Backoff()
        self.idle_poll_s = idle_poll_s
        self._listeners: list[Callable[[PrintEvent], None]] = []
        self._failures: dict[str, int] = {}
        self._retry_at: dict[str, float] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def add_listener(self, listener: Callable[[PrintEvent], None]) -> None:
        """Call `listener(event)` after each attempt (on the worker thread)."""
        self._listeners.append(listener)

    def start(self) -> None:
        """Mark jobs interrupted by a crash as in doubt, then start sending in the background."""
        self.jobs.recover_interrupted()
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Finish the job in hand (bounded by the printer timeouts) and stop."""
        self._stopping.set()
        self.jobs.ring()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def retry_now(self) -> None:
        """Forget the backoff and try every waiting job again (the cashier fixed the printer)."""
        self._retry_at.clear()
        self.jobs.ring()

    # Everything below runs on the worker thread.

    def _run(self) -> None:
        while not self._stopping.is_set():
            job = self._next_job()
            if job is None:
                self.jobs.wait(self._idle_s())
            else:
                self._attempt(*job)

    def _idle_s(self) -> float:
        waits = [at - time.monotonic() for at in self._retry_at.values()]
        return max(0.0, min([self.idle_poll_s, *waits]))

    def _next_job(self) -> tuple[int, str, str] | None:
        """The oldest pending job that may go now, with its printer's URI and its kind.

        A drawer kick may always go (its one attempt is now), unless it already waited longer
        than DRAWER_JOB_TTL: then it is dropped on the way. Other jobs wait out their printer's
        backoff.
        """
        now, stale = time.monotonic(), datetime.now(UTC) - DRAWER_JOB_TTL
        for job in self.jobs.pending():
            if job.kind == JobKind.DRAWER and job.created_at < stale:
                self._drop_drawer_kick(job.id, PrinterStatus.UNKNOWN)
            elif job.kind == JobKind.DRAWER or self._retry_at.get(job.uri, 0.0) <= now:
                return job.id, job.uri, job.kind
        return None

    def _drop_drawer_kick(self, job_id: int, status: PrinterStatus) -> None:
        if self.jobs.expire(job_id):
            self._emit(PrintEvent(job_id, JobStatus.EXPIRED, EXPIRED_REASON, status))

    def _attempt(self, job_id: int, uri: str, kind: str) -> None:
        try:
            status = send_job(self.jobs, job_id, self.connect)
        except PrinterError as exc:
            status = _ERROR_STATUS.get(type(exc), PrinterStatus.OFFLINE)
            self._failed(job_id, uri, kind, str(exc), status, exc.code)
        except Exception as exc:  # a bug must not stop printing for good
            log.exception("print job %s failed unexpectedly", job_id)
            self._failed(job_id, uri, kind, f"Printing failed: {exc}", PrinterStatus.UNKNOWN)
        else:
            self._failures.pop(uri, None)
            self._retry_at.pop(uri, None)
            if status is not None:
                self._emit(PrintEvent(job_id, JobStatus.PRINTED, status=status))

    def _failed(
        self,
        job_id: int,
        uri: str,
        kind: str,
        message: str,
        status: PrinterStatus,
        code: str = "",
    ) -> None:
        failures = self._failures[uri] = self._failures.get(uri, 0) + 1
        self._retry_at[uri] = time.monotonic() + self.backoff.delay_s(failures)
        if kind == JobKind.DRAWER:
            self._drop_drawer_kick(job_id, status)
        else:
            self._emit(PrintEvent(job_id, WAITING, message, status, code))

    def _emit(self, event: PrintEvent) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:
                log.exception("print event listener failed")
