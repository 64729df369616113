"""Printing use cases: queue a sale's receipt (with the drawer kick), reprint, test pages,
labels and report slips, cancel, and what is still waiting. A job is rendered whole when it is
queued, so printing later never depends on data that changed; queuing is one small write and
never waits for the printer. The worker that sends jobs is hardware's PrintWorker over this
database's job table (`print_worker`).

Jobs whose printer_uri is "" go to the till's receipt printer as set at the time of sending.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pos_app.domain.print_jobs import ClaimedJob, JobKind, PendingJob, QueuedJob, UnprintedSale
from pos_app.domain.receipt import Receipt
from pos_app.hardware.connections import PrinterStatus
from pos_app.hardware.escpos_render import (
    PrinterProfile,
    drawer_kick_job,
    printer_profile,
    render_job,
    render_receipt,
)
from pos_app.hardware.print_worker import Connect, PrintWorker
from pos_app.hardware.print_worker import send_job as send_claimed
from pos_app.hardware.printer_uri import open_printer
from pos_app.hardware.receipt_layout import printer_test_blocks
from pos_app.hardware.report_slip import report_blocks
from pos_app.services.receipts import build_receipt, find_sale_id
from pos_app.services.writer import Writer
from pos_app.store.db import Database
from pos_app.store.print_jobs import PrintJobs, add_job
from pos_app.store.settings import get_setting

Render = Callable[[Session, PrinterProfile], bytes]


def print_worker(db: Database, writer: Writer | None = None, **options: Any) -> PrintWorker:
    """The worker that sends this database's queued jobs (options: connect, backoff, ...);
    with the till's writer, its writes (claim, printed, released, expired) go through it."""
    jobs = PrintJobs(db)
    return PrintWorker(jobs if writer is None else WrittenJobs(jobs, writer), **options)


class WrittenJobs:
    """The job table for the print worker, each write run on the till's one writer (the worker
    thread waits for it; the writer never waits for the worker). Reads and the doorbell stay
    on the worker's thread."""

    def __init__(self, jobs: PrintJobs, writer: Writer) -> None:
        self.jobs, self.writer = jobs, writer

    def pending(self) -> list[PendingJob]:
        return self.jobs.pending()

    def claim(self, job_id: int) -> ClaimedJob | None:
        return self.writer.call(lambda: self.jobs.claim(job_id))

    def release(self, job_id: int, reason: str) -> None:
        self.writer.call(lambda: self.jobs.release(job_id, reason))

    def mark_printed(self, job_id: int) -> None:
        self.writer.call(lambda: self.jobs.mark_printed(job_id))

    def expire(self, job_id: int) -> bool:
        return self.writer.call(lambda: self.jobs.expire(job_id))

    def recover_interrupted(self) -> int:
        return self.writer.call(self.jobs.recover_interrupted)

    def ring(self) -> None:
        self.jobs.ring()

    def wait(self, timeout_s: float) -> None:
        self.jobs.wait(timeout_s)


def _profile(session: Session) -> PrinterProfile:
    options = get_setting(session, "printer_options") or {}
    return printer_profile(int(get_setting(session, "receipt_width_mm")), options)


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
            add_job(session, JobKind.DRAWER, drawer_kick_job(profile), printer_uri)
        receipt_bytes = render_receipt(receipt, profile)
        job_id = add_job(session, JobKind.RECEIPT, receipt_bytes, printer_uri, sale_id)
    PrintJobs(db).ring()
    return job_id


def reprint(db: Database, sale_no: str, *, printer_uri: str = "") -> int:
    """Queue a copy of the receipt with this number (marked 重印 once one has printed)."""
    with db.read() as session:
        sale_id = find_sale_id(session, sale_no)
    return enqueue_receipt(db, sale_id, printer_uri=printer_uri, kick_drawer=False)


def enqueue_job(db: Database, kind: JobKind, render: Render, *, printer_uri: str = "") -> int:
    """Queue a job whose bytes `render(session, profile)` makes (labels, reports...)."""
    with db.write() as session:
        job_id = add_job(session, kind, render(session, _profile(session)), printer_uri)
    PrintJobs(db).ring()
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


def print_test_page_now(db: Database, printer_uri: str) -> PrinterStatus | None:
    """A test page straight to the printer as typed (setup, settings): cancelled if it fails,
    so it never prints later by surprise. Talks to the printer: not for the GUI thread."""
    job_id = enqueue_test_page(db, printer_uri=printer_uri)
    try:
        return send_job(db, job_id)
    except Exception:
        cancel_job(db, job_id)
        raise


def enqueue_report(
    db: Database, title: str, header: Sequence[str], rows: Sequence[tuple[str, str]]
) -> int:
    """Queue a report slip (X/Z report) on the till's receipt printer; returns the job id."""

    def render(_session: Session, profile: PrinterProfile) -> bytes:
        return render_job(report_blocks(title, header, rows, profile.columns), profile)

    return enqueue_job(db, JobKind.REPORT, render)


def send_job(db: Database, job_id: int, connect: Connect = open_printer) -> PrinterStatus | None:
    """Send one pending job now, outside the worker (CLI, test pages): the worker's own send."""
    return send_claimed(PrintJobs(db), job_id, connect)


def cancel_job(db: Database, job_id: int) -> bool:
    """Drop a pending or in-doubt job; True if it was dropped."""
    return PrintJobs(db).cancel(job_id)


def recover_interrupted(db: Database) -> int:
    """Jobs cut off by a crash become in doubt; returns how many (the worker does it on start)."""
    return PrintJobs(db).recover_interrupted()


def waiting_jobs(db: Database) -> list[QueuedJob]:
    """Jobs not printed yet (pending, sending, in doubt), oldest first, with their last error."""
    return PrintJobs(db).waiting()


def unprinted_sales(
    db: Database, *, within: timedelta = timedelta(days=1), now: datetime | None = None
) -> list[UnprintedSale]:
    """Sales of the last `within` whose receipt never printed and is not waiting in the queue.

    On start, after the worker recovered interrupted jobs, these are the in-doubt sales to offer
    for reprint.
    """
    return PrintJobs(db).unprinted_sales(within=within, now=now)
