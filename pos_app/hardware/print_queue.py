"""The durable print queue (the print_jobs table) and the worker thread that empties it.

A job is rendered whole when it is queued, so printing later never depends on data that changed.
Life of a job: pending -> sending -> printed. "sending" is written before the bytes go out and
"printed" (with Sale.printed_at, in one transaction) right after the printer took them, so:

- a job whose write failed (refused, timed out, connection closed mid-job, paper out) goes back
  to pending with the reason in last_error and is sent again whole later; a printer that lost the
  connection mid-job may therefore print a partial receipt and then the full one. A duplicate
  partial receipt is acceptable, a lost one is not.
- a job that was fully written is never sent again.
- if the app dies while a job is "sending", nobody knows whether it printed: on the next start it
  becomes "in_doubt" and its sale shows up in `unprinted_sales()`, for the cashier to reprint.
- a drawer kick is sent now or never: it gets one attempt, at once, even while its printer is
  backing off; if that fails, or it waited longer than DRAWER_JOB_TTL, it is dropped ("expired")
  and the cashier is told. A drawer springing open later, at a till nobody watches, is worse than
  one that stays shut. Kicks left from before a restart are dropped on start.

Selling never waits for the printer: queuing is one small write transaction; the worker sends.
Jobs whose printer_uri is "" go to the till's receipt printer as set at the time of sending.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos_app.domain.receipt import Receipt
from pos_app.hardware.connections import (
    CoverOpen,
    PaperOut,
    PrinterConnection,
    PrinterError,
    PrinterStatus,
    ensure_ready,
    open_printer,
)
from pos_app.hardware.escpos_render import (
    PrinterProfile,
    drawer_kick_job,
    printer_profile,
    render_job,
    render_receipt,
)
from pos_app.hardware.receipt_layout import printer_test_blocks
from pos_app.services.receipts import build_receipt, find_sale_id
from pos_app.store.db import Database
from pos_app.store.models import PrintJob, Sale, utc_now
from pos_app.store.settings import get_setting

__all__ = [
    "Backoff",
    "JobKind",
    "JobStatus",
    "PrintEvent",
    "PrintWorker",
    "QueuedJob",
    "UnprintedSale",
    "cancel_job",
    "enqueue_drawer_kick",
    "enqueue_job",
    "enqueue_receipt",
    "enqueue_test_page",
    "recover_interrupted",
    "reprint",
    "send_job",
    "unprinted_sales",
    "waiting_jobs",
]

log = logging.getLogger(__name__)

DRAWER_JOB_TTL = timedelta(seconds=10)
ERROR_CHARS = 200
IN_DOUBT_REASON = "The app stopped while this was printing; it may not have printed."
EXPIRED_REASON = "The drawer was not opened (printer not reachable now); it will not open later."
WAITING = "waiting"  # PrintEvent outcome of a failed attempt: the job stays queued
Connect = Callable[[str], PrinterConnection]
Render = Callable[[Session, PrinterProfile], bytes]


class JobKind(StrEnum):
    RECEIPT = "receipt"
    DRAWER = "drawer"
    TEST = "test"
    LABEL = "label"
    TSPL_LABEL = "tspl_label"  # for a TSPL label printer, which does not answer DLE EOT
    REPORT = "report"


class JobStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    PRINTED = "printed"
    IN_DOUBT = "in_doubt"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass(frozen=True)
class QueuedJob:
    """A job still waiting (or in doubt), with why it has not printed yet."""

    id: int
    kind: str
    sale_id: int | None
    status: str
    attempts: int
    last_error: str
    created_at: datetime


@dataclass(frozen=True)
class UnprintedSale:
    """A committed sale whose receipt never printed and is not queued: offer a reprint."""

    sale_id: int
    sale_no: str
    total_fen: int
    created_at: datetime


@dataclass(frozen=True)
class PrintEvent:
    """What the worker reports after each attempt ("printed", "waiting" or "expired")."""

    job_id: int
    outcome: str
    message: str = ""
    status: PrinterStatus = PrinterStatus.UNKNOWN


# One doorbell per database file: queuing rings it, the worker of that database wakes up.
_doorbells: dict[Path, threading.Event] = {}
_doorbells_lock = threading.Lock()


def _doorbell(db: Database) -> threading.Event:
    with _doorbells_lock:
        return _doorbells.setdefault(db.path.resolve(), threading.Event())


def _profile(session: Session) -> PrinterProfile:
    options = get_setting(session, "printer_options") or {}
    return printer_profile(int(get_setting(session, "receipt_width_mm")), options)


def _add(session: Session, kind: JobKind, data: bytes, uri: str, sale_id: int | None = None) -> int:
    job = PrintJob(kind=kind, sale_id=sale_id, printer_uri=uri, data=data, status=JobStatus.PENDING)
    session.add(job)
    session.flush()
    return job.id


def _paid_in_cash(receipt: Receipt) -> bool:
    return not receipt.is_reprint and any(t.kind == "cash" for t in receipt.tenders)


def enqueue_receipt(
    db: Database, sale_id: int, *, printer_uri: str = "", kick_drawer: bool | None = None
) -> int:
    """Queue the receipt of a committed sale; returns the job id. Call after the sale commits.

    printer_uri "" means the till's receipt printer (the "printer_uri" setting when sent).
    The drawer opens (a separate job, sent first) when asked, or by default when the sale was
    paid partly in cash and this is not a reprint.
    """
    with db.write() as session:
        receipt = build_receipt(session, sale_id)
        profile = _profile(session)
        kick = _paid_in_cash(receipt) if kick_drawer is None else kick_drawer
        if kick:
            _add(session, JobKind.DRAWER, drawer_kick_job(profile), printer_uri)
        job_id = _add(
            session, JobKind.RECEIPT, render_receipt(receipt, profile), printer_uri, sale_id
        )
    _doorbell(db).set()
    return job_id


def reprint(db: Database, sale_no: str, *, printer_uri: str = "") -> int:
    """Queue a copy of the receipt with this number (marked 重印 once one has printed)."""
    with db.read() as session:
        sale_id = find_sale_id(session, sale_no)
    return enqueue_receipt(db, sale_id, printer_uri=printer_uri, kick_drawer=False)


def enqueue_job(db: Database, kind: JobKind, render: Render, *, printer_uri: str = "") -> int:
    """Queue a job whose bytes `render(session, profile)` makes (labels, reports...)."""
    with db.write() as session:
        job_id = _add(session, kind, render(session, _profile(session)), printer_uri)
    _doorbell(db).set()
    return job_id


def enqueue_drawer_kick(db: Database, *, printer_uri: str = "") -> int:
    """Queue a drawer opening (a manager's No Sale); dropped if it cannot be sent at once."""
    return enqueue_job(
        db,
        JobKind.DRAWER,
        lambda _session, profile: drawer_kick_job(profile),
        printer_uri=printer_uri,
    )


def _test_page(printer_uri: str) -> Render:
    def render(session: Session, profile: PrinterProfile) -> bytes:
        name = printer_uri or get_setting(session, "printer_uri") or "-"
        blocks = printer_test_blocks(
            get_setting(session, "store_name"),
            name,
            get_setting(session, "mall_base_url"),
            profile.columns,
        )
        return render_job(blocks, profile)

    return render


def enqueue_test_page(db: Database, *, printer_uri: str = "") -> int:
    """Queue a test page for the given (or the till's) printer."""
    return enqueue_job(db, JobKind.TEST, _test_page(printer_uri), printer_uri=printer_uri)


@dataclass(frozen=True)
class _Claimed:
    id: int
    kind: str
    uri: str
    data: bytes


def _claim(db: Database, job_id: int) -> _Claimed | None:
    """Mark a pending job as being sent; None if it is not pending any more."""
    with db.write() as session:
        job = session.get(PrintJob, job_id)
        if job is None or job.status != JobStatus.PENDING:
            return None
        job.status = JobStatus.SENDING
        job.attempts += 1
        uri = job.printer_uri or get_setting(session, "printer_uri")
        return _Claimed(job.id, job.kind, uri, job.data)


def _move(db: Database, job_id: int, when: Sequence[JobStatus], **values: str) -> bool:
    """Update a job only if its status is one of `when`; True if it was updated."""
    with db.write() as session:
        result = session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id, PrintJob.status.in_(when))
            .values(**values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _mark_printed(db: Database, job_id: int) -> None:
    """The printer took the job: the job and its sale are printed, in one transaction."""
    now = utc_now()
    with db.write() as session:
        job = session.get(PrintJob, job_id)
        assert job is not None and job.status == JobStatus.SENDING
        job.status, job.printed_at, job.last_error = JobStatus.PRINTED, now, ""
        sale = session.get(Sale, job.sale_id) if job.kind == JobKind.RECEIPT else None
        if sale is not None and sale.printed_at is None:
            sale.printed_at = now


def _deliver(job: _Claimed, connect: Connect) -> PrinterStatus:
    with connect(job.uri) as connection:
        no_status = job.kind in (JobKind.DRAWER, JobKind.TSPL_LABEL)
        status = PrinterStatus.UNKNOWN if no_status else connection.status()
        ensure_ready(status, connection.name)
        connection.write(job.data)
    return status


def send_job(db: Database, job_id: int, connect: Connect = open_printer) -> PrinterStatus | None:
    """Send one pending job now and mark it printed; returns the printer's status, or None if
    the job was not pending. On failure the job goes back to pending and the error is raised."""
    job = _claim(db, job_id)
    if job is None:
        return None
    try:
        status = _deliver(job, connect)
    except Exception as exc:  # the printer did not take the whole job: back to pending
        reason = (str(exc) or type(exc).__name__)[:ERROR_CHARS]
        _move(db, job_id, [JobStatus.SENDING], status=JobStatus.PENDING, last_error=reason)
        raise
    _mark_printed(db, job_id)
    return status


def cancel_job(db: Database, job_id: int) -> bool:
    """Drop a pending or in-doubt job; True if it was dropped."""
    return _move(db, job_id, [JobStatus.PENDING, JobStatus.IN_DOUBT], status=JobStatus.CANCELLED)


def recover_interrupted(db: Database) -> int:
    """After a crash: jobs left "sending" become "in_doubt" (never resent by themselves), and
    drawer kicks still pending from before the start are dropped. Returns the in-doubt count."""
    with db.write() as session:
        session.execute(
            update(PrintJob)
            .where(PrintJob.status == JobStatus.PENDING, PrintJob.kind == JobKind.DRAWER)
            .values(status=JobStatus.EXPIRED, last_error=EXPIRED_REASON)
        )
        result = session.execute(
            update(PrintJob)
            .where(PrintJob.status == JobStatus.SENDING)
            .values(status=JobStatus.IN_DOUBT, last_error=IN_DOUBT_REASON)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def waiting_jobs(db: Database) -> list[QueuedJob]:
    """Jobs not printed yet (pending, sending, in doubt), oldest first, with their last error."""
    waiting = [JobStatus.PENDING, JobStatus.SENDING, JobStatus.IN_DOUBT]
    with db.read() as session:
        rows = session.scalars(
            select(PrintJob).where(PrintJob.status.in_(waiting)).order_by(PrintJob.id)
        ).all()
        return [
            QueuedJob(r.id, r.kind, r.sale_id, r.status, r.attempts, r.last_error, r.created_at)
            for r in rows
        ]


def unprinted_sales(
    db: Database, *, within: timedelta = timedelta(days=1), now: datetime | None = None
) -> list[UnprintedSale]:
    """Sales of the last `within` whose receipt never printed and is not waiting in the queue.

    On start, after `recover_interrupted`, these are the in-doubt sales to offer for reprint.
    """
    queued = select(PrintJob.sale_id).where(
        PrintJob.sale_id.is_not(None),
        PrintJob.kind == JobKind.RECEIPT,
        PrintJob.status.in_([JobStatus.PENDING, JobStatus.SENDING]),
    )
    since = (now or utc_now()) - within
    query = (
        select(Sale.id, Sale.sale_no, Sale.total_fen, Sale.created_at)
        .where(Sale.printed_at.is_(None), Sale.created_at >= since, Sale.id.not_in(queued))
        .order_by(Sale.id)
    )
    with db.read() as session:
        return [UnprintedSale(*row) for row in session.execute(query).all()]


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
        db: Database,
        *,
        connect: Connect = open_printer,
        backoff: Backoff | None = None,
        idle_poll_s: float = 2.0,
    ) -> None:
        self.db = db
        self.connect = connect
        self.backoff = backoff or Backoff()
        self.idle_poll_s = idle_poll_s
        self._listeners: list[Callable[[PrintEvent], None]] = []
        self._failures: dict[str, int] = {}
        self._retry_at: dict[str, float] = {}
        self._stopping = threading.Event()
        self._bell = _doorbell(db)
        self._thread: threading.Thread | None = None

    def add_listener(self, listener: Callable[[PrintEvent], None]) -> None:
        """Call `listener(event)` after each attempt (on the worker thread)."""
        self._listeners.append(listener)

    def start(self) -> None:
        """Mark jobs interrupted by a crash as in doubt, then start sending in the background."""
        recover_interrupted(self.db)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Finish the job in hand (bounded by the printer timeouts) and stop."""
        self._stopping.set()
        self._bell.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def retry_now(self) -> None:
        """Forget the backoff and try every waiting job again (the cashier fixed the printer)."""
        self._retry_at.clear()
        self._bell.set()

    # Everything below runs on the worker thread.

    def _run(self) -> None:
        while not self._stopping.is_set():
            job = self._next_job()
            if job is None:
                self._bell.wait(self._idle_s())
                self._bell.clear()
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
        now, stale = time.monotonic(), utc_now() - DRAWER_JOB_TTL
        with self.db.read() as session:
            default_uri = get_setting(session, "printer_uri")
            rows = session.execute(
                select(PrintJob.id, PrintJob.printer_uri, PrintJob.kind, PrintJob.created_at)
                .where(PrintJob.status == JobStatus.PENDING)
                .order_by(PrintJob.id)
            ).all()
        for job_id, uri, kind, created_at in rows:
            if kind == JobKind.DRAWER and created_at < stale:
                self._drop_drawer_kick(job_id, PrinterStatus.UNKNOWN)
            elif kind == JobKind.DRAWER or self._retry_at.get(uri or default_uri, 0.0) <= now:
                return job_id, uri or default_uri, kind
        return None

    def _drop_drawer_kick(self, job_id: int, status: PrinterStatus) -> None:
        expired = {"status": JobStatus.EXPIRED, "last_error": EXPIRED_REASON}
        if _move(self.db, job_id, [JobStatus.PENDING], **expired):
            self._emit(PrintEvent(job_id, JobStatus.EXPIRED, EXPIRED_REASON, status))

    def _attempt(self, job_id: int, uri: str, kind: str) -> None:
        try:
            status = send_job(self.db, job_id, self.connect)
        except PrinterError as exc:
            status = _ERROR_STATUS.get(type(exc), PrinterStatus.OFFLINE)
            self._failed(job_id, uri, kind, str(exc), status)
        except Exception as exc:  # a bug must not stop printing for good
            log.exception("print job %s failed unexpectedly", job_id)
            self._failed(job_id, uri, kind, f"Printing failed: {exc}", PrinterStatus.UNKNOWN)
        else:
            self._failures.pop(uri, None)
            self._retry_at.pop(uri, None)
            if status is not None:
                self._emit(PrintEvent(job_id, JobStatus.PRINTED, status=status))

    def _failed(
        self, job_id: int, uri: str, kind: str, message: str, status: PrinterStatus
    ) -> None:
        failures = self._failures[uri] = self._failures.get(uri, 0) + 1
        self._retry_at[uri] = time.monotonic() + self.backoff.delay_s(failures)
        if kind == JobKind.DRAWER:
            self._drop_drawer_kick(job_id, status)
        else:
            self._emit(PrintEvent(job_id, WAITING, message, status))

    def _emit(self, event: PrintEvent) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:
                log.exception("print event listener failed")
