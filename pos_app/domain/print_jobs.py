"""What a print job is, shared by the job table (store), the use cases that queue jobs
(services) and the worker that sends them (hardware): kinds, the life of a job, and the plain
records that cross between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

IN_DOUBT_REASON = "The app stopped while this was printing; it may not have printed."
EXPIRED_REASON = "The drawer was not opened (printer not reachable now); it will not open later."


class JobKind(StrEnum):
    RECEIPT = "receipt"
    DRAWER = "drawer"
    TEST = "test"
    LABEL = "label"
    TSPL_LABEL = "tspl_label"  # for a TSPL label printer, which does not answer DLE EOT
    REPORT = "report"


class JobStatus(StrEnum):
    """pending -> sending -> printed; sending -> in_doubt after a crash; pending -> cancelled
    by the cashier, or expired (a drawer kick that could not go at once)."""

    PENDING = "pending"
    SENDING = "sending"
    PRINTED = "printed"
    IN_DOUBT = "in_doubt"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass(frozen=True)
class PendingJob:
    """A job that may be sent: its printer (the till's receipt printer already filled in)."""

    id: int
    kind: str
    uri: str
    created_at: datetime


@dataclass(frozen=True)
class ClaimedJob:
    """A job marked "sending": the whole bytes and where they go."""

    id: int
    kind: str
    uri: str
    data: bytes


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
