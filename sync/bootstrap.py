"""First start: the mall's catalog snapshot streamed into the till's database at bulk-load speed,
resumable after a crash or a lost connection.

The search index is paused once when the download starts (the SQL to put it back kept in the
resume state) and rebuilt once at the end. Indexing each chunk as it was written cost more at a
million products (FTS5 merging 200 small segments; the till's CPU is what the download waits for)
than one build at the end. Each chunk the mall marks is written in one transaction
together with the position to ask from next, so a till killed half way asks for the rest and
never writes a product twice; the feed position of the first request is kept, so the pull
after the snapshot brings whatever changed in between. Products are parsed a chunk at a time
on a helper thread while the previous chunk is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from pos_app.store.db import Database
from pos_app.store.search_index import pause_search_index, resume_search_index
from sync.apply import apply_products
from sync.client import MallClient, decode_line
from sync.errors import SyncOffline, SyncServerError
from sync.prefetch import prefetch
from sync.protocol import (
    SNAPSHOT_CONTROL_PREFIX,
    ProductData,
    SnapshotEnd,
    SnapshotHeader,
    SnapshotMark,
)
from sync.state import delete_state, get_state, set_state
from sync.status import CURSOR

RESUME = "snapshot_resume"  # a first download under way: {server_seq, after, count, paused}

_PRODUCTS = TypeAdapter(list[ProductData])
_SLICE = 200  # products validated a call: a few milliseconds with the GIL held
Control = SnapshotMark | SnapshotEnd | None


@dataclass
class Progress:
    """What is stored of a download: its feed position, the last product id written, how many
    products that is and the paused search index."""

    server_seq: int
    after: int
    count: int
    paused: list[str]  # SQL of the search triggers and indexes to put back

    @classmethod
    def load(cls, saved: dict[str, Any]) -> Progress:
        """The stored progress; a download begun by a version that indexed chunk by chunk kept
        a flag too, which no longer matters (the index is rebuilt whole at the end)."""
        saved.pop("rebuild", None)
        return cls(**saved)

    def save(self, session: Session) -> None:
        set_state(session, RESUME, vars(self))


@dataclass
class Loaded:
    """A snapshot read to its end, its last chunk not yet written (see finish)."""

    progress: Progress
    last: list[ProductData]
    count: int  # products in the whole catalog, the ones written before a restart included

    def finish(self, session: Session) -> None:
        """In the caller's last transaction: the last chunk, the search index rebuilt, the
        cursor set and the download's state gone."""
        apply_products(session, self.last)
        resume_search_index(session, self.progress.paused)
        set_state(session, CURSOR, self.progress.server_seq)
        delete_state(session, RESUME)


def load_snapshot(db: Database, client: MallClient, batch_size: int) -> Loaded:
    """Download the snapshot (the rest of it, if one was under way) and write every chunk but the
    last. Raises SyncOffline if the stream stops before its end line."""
    with db.read() as session:
        saved: dict[str, Any] | None = get_state(session, RESUME)
    progress = Progress.load(saved) if saved else None
    after, seq = (progress.after, progress.server_seq) if progress else (0, None)
    with client.snapshot_lines(after=after, seq=seq) as lines:
        first = next(lines, None)
        if first is None:
            raise SyncOffline("the snapshot arrived empty")
        header = SnapshotHeader.model_validate(decode_line(first))
        if progress is None:
            with db.write() as session:
                progress = Progress(header.server_seq, 0, 0, pause_search_index(session))
                progress.save(session)
        return _write_chunks(db, progress, lines, batch_size)


def _write_chunks(
    db: Database, progress: Progress, lines: Iterator[bytes], batch_size: int
) -> Loaded:
    before = progress.count  # written before this response
    streamed = 0  # products in this response (the end line counts those)
    for batch, control in prefetch(_parse(lines, batch_size)):
        streamed += len(batch)
        if isinstance(control, SnapshotEnd):
            if control.count != streamed:
                raise SyncServerError(
                    f"the snapshot promised {control.count} products, sent {streamed}"
                )
            return Loaded(progress, batch, before + streamed)
        with db.write() as session:
            apply_products(session, batch)
            if control is not None:  # all streamed so far is written
                progress.after = control.after
                progress.count = before + streamed
                progress.save(session)
    raise SyncOffline("the snapshot was cut off before its end; it goes on from there next time")


def _parse(lines: Iterator[bytes], batch_size: int) -> Iterator[tuple[list[ProductData], Control]]:
    """Chunks of products, each with the mark or end line after it. Until a mark is seen (a
    mall too old to send them), batches of batch_size come with None and are not resumable."""
    batch: list[bytes] = []
    marked = False
    for line in lines:
        if line.startswith(SNAPSHOT_CONTROL_PREFIX):
            data = decode_line(line)
            if data.get("type") != "mark":
                yield _products(batch), SnapshotEnd.model_validate(data)
                return
            yield _products(batch), SnapshotMark.model_validate(data)
            batch, marked = [], True
        else:
            batch.append(line)
            if not marked and len(batch) == batch_size:
                yield _products(batch), None
                batch = []


def _products(lines: list[bytes]) -> list[ProductData]:
    """A chunk of product lines validated a slice at a time (a JSON array a call, not line by
    line). Validation holds the GIL for the whole call, and the writer needs it between rows:
    a short call keeps the writer (and SQLite's work without the GIL) going alongside."""
    products: list[ProductData] = []
    try:
        for start in range(0, len(lines), _SLICE):
            part = lines[start : start + _SLICE]
            products += _PRODUCTS.validate_json(b"[" + b",".join(part) + b"]")
    except ValidationError as error:
        raise SyncServerError(f"the snapshot has an invalid line: {error}") from error
    return products
