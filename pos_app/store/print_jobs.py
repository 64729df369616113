"""The durable print queue: the print_jobs table and every read and write of it.

Life of a job (pos_app.domain.print_jobs): "sending" is written before the bytes go out and
"printed" (with Sale.printed_at, in one transaction) right after the printer took them, so a
job that was fully written is never sent again, and one interrupted by a crash becomes
"in_doubt" on the next start for the cashier to reprint. `PrintJobs` is the job source the
hardware's worker takes; its doorbell wakes the worker of the same database file when a job is
queued.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos_app.domain.print_jobs import (
    EXPIRED_REASON,
    IN_DOUBT_REASON,
    ClaimedJob,
    JobKind,
    JobStatus,
    PendingJob,
    QueuedJob,
    UnprintedSale,
)
from pos_app.store.db import Database
from pos_app.store.models import PrintJob, Sale, utc_now
from pos_app.store.settings import get_setting

ERROR_CHARS = 200

# One doorbell per database file: queuing rings it, the worker of that database wakes up.
_doorbells: dict[Path, threading.Event] = {}
_doorbells_lock = threading.Lock()


def add_job(
    session: Session, kind: JobKind, data: bytes, uri: str, sale_id: int | None = None
) -> int:
    """Insert a pending job in the caller's transaction; returns its id (ring after commit)."""
    job = PrintJob(kind=kind, sale_id=sale_id, printer_uri=uri, data=data, status=JobStatus.PENDING)
    session.add(job)
    session.flush()
    return job.id


class PrintJobs:
    """The print_jobs table of one database, as the worker and the use cases see it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with _doorbells_lock:
            self._bell = _doorbells.setdefault(db.path.resolve(), threading.Event())

    def ring(self) -> None:
        """Wake the worker of this database (a job was queued, or it should stop)."""
        self._bell.set()

    def wait(self, timeout_s: float) -> None:
        """Sleep until rung or timed out (worker thread)."""
        self._bell.wait(timeout_s)
        self._bell.clear()

    def pending(self) -> list[PendingJob]:
        """Pending jobs, oldest first, "" printers resolved to the till's receipt printer."""
        with self.db.read() as session:
            default_uri = get_setting(session, "printer_uri")
            rows = session.execute(
                select(PrintJob.id, PrintJob.kind, PrintJob.printer_uri, PrintJob.created_at)
                .where(PrintJob.status == JobStatus.PENDING)
                .order_by(PrintJob.id)
            ).all()
        return [PendingJob(i, kind, uri or default_uri, at) for i, kind, uri, at in rows]

    def claim(self, job_id: int) -> ClaimedJob | None:
        """Mark a pending job as being sent; None if it is not pending any more."""
        with self.db.write() as session:
            job = session.get(PrintJob, job_id)
            if job is None or job.status != JobStatus.PENDING:
                return None
            job.status = JobStatus.SENDING
            job.attempts += 1
            uri = job.printer_uri or get_setting(session, "printer_uri")
            return ClaimedJob(job.id, job.kind, uri, job.data)

    def release(self, job_id: int, reason: str) -> None:
        """The printer did not take the whole job: back to pending, with why."""
        self._move(
            job_id, [JobStatus.SENDING], status=JobStatus.PENDING, last_error=reason[:ERROR_CHARS]
        )

    def mark_printed(self, job_id: int) -> None:
        """The printer took the job: the job and its sale are printed, in one transaction."""
        now = utc_now()
        with self.db.write() as session:
            job = session.get(PrintJob, job_id)
            assert job is not None and job.status == JobStatus.SENDING
            job.status, job.printed_at, job.last_error = JobStatus.PRINTED, now, ""
            sale = session.get(Sale, job.sale_id) if job.sale_id is not None else None
            if sale is not None and sale.printed_at is None:
                sale.printed_at = now

    def expire(self, job_id: int) -> bool:
        """Drop a drawer kick that could not go at once; True if it was still pending."""
        expired = {"status": JobStatus.EXPIRED, "last_error": EXPIRED_REASON}
        return self._move(job_id, [JobStatus.PENDING], **expired)

    def cancel(self, job_id: int) -> bool:
        """Drop a pending or in-doubt job; True if it was dropped."""
        return self._move(
            job_id, [JobStatus.PENDING, JobStatus.IN_DOUBT], status=JobStatus.CANCELLED
        )

    def recover_interrupted(self) -> int:
        """After a crash: jobs left "sending" become "in_doubt" (never resent by themselves), and
        drawer kicks still pending from before the start are dropped. Returns the in-doubt count."""
        with self.db.write() as session:
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

    def waiting(self) -> list[QueuedJob]:
        """Jobs not printed yet (pending, sending, in doubt), oldest first, with their error."""
        waiting = [JobStatus.PENDING, JobStatus.SENDING, JobStatus.IN_DOUBT]
        with self.db.read() as session:
            rows = session.scalars(
                select(PrintJob).where(PrintJob.status.in_(waiting)).order_by(PrintJob.id)
            ).all()
            return [
                QueuedJob(r.id, r.kind, r.sale_id, r.status, r.attempts, r.last_error, r.created_at)
                for r in rows
            ]

    def unprinted_sales(self, *, within: timedelta, now: datetime | None) -> list[UnprintedSale]:
        """Sales of the last `within` whose receipt never printed and is not waiting to."""
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
        with self.db.read() as session:
            return [UnprintedSale(*row) for row in session.execute(query).all()]

    def _move(self, job_id: int, when: Sequence[JobStatus], **values: str) -> bool:
        """Update a job only if its status is one of `when`; True if it was updated."""
        with self.db.write() as session:
            result = session.execute(
                update(PrintJob)
                .where(PrintJob.id == job_id, PrintJob.status.in_(when))
                .values(**values)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]
