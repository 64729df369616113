"""Telling the till's screens at once how many events wait for the mall ("待传N").

Every write transaction that changes the outbox (a sale, a refund, a shift close, an
acknowledgement, a conflict) counts the waiting events just before it commits, while it still
holds the write lock, so the counts are numbered in commit order; after the commit the listeners
of that database file get the count on the writing thread. Nobody polls the disk for it, and a
database nobody listens to is never counted.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pos_app.store.outbox import count_pending

log = logging.getLogger(__name__)

_CHANGES = re.compile(r"\s*(INSERT INTO|UPDATE|DELETE FROM) outbox(_conflicts)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class OutboxCount:
    """Events waiting after one commit; `number` grows with each commit counted for the file."""

    number: int
    waiting: int


Listener = Callable[[OutboxCount], None]


class _Watch:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.number = 0
        self.listeners: list[Listener] = []


_watches: dict[Path, _Watch] = {}
_watches_lock = threading.Lock()
_changed = threading.local()  # a write transaction runs on one thread from begin to commit


@cache
def _resolved(path: Path) -> Path:
    """The file a path names, resolved once per path (resolving walks the disk: a sale's commit
    must not pay for it)."""
    return path.resolve()


def _watch(path: Path) -> _Watch:
    with _watches_lock:
        return _watches.setdefault(_resolved(path), _Watch())


def watch_outbox(path: Path, listener: Listener) -> Callable[[], None]:
    """Call listener(OutboxCount) after every commit that changed the outbox of this file (on the
    committing thread: it must return at once). Returns the function that stops it."""
    watch = _watch(path)
    with watch.lock:
        watch.listeners.append(listener)

    def stop() -> None:
        with watch.lock:
            if listener in watch.listeners:
                watch.listeners.remove(listener)

    return stop


def note_statement(
    _conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    """Engine hook (after_cursor_execute): remember that this transaction changed the outbox."""
    if _CHANGES.match(statement):
        _changed.flag = True


def transaction_started() -> None:
    _changed.flag = False


def count_before_commit(session: Session, path: Path) -> OutboxCount | None:
    """Inside the write transaction, right before it commits: the count to announce, if any."""
    session.flush()
    if not getattr(_changed, "flag", False):
        return None
    _changed.flag = False
    watch = _watch(path)
    if not watch.listeners:
        return None
    waiting = count_pending(session)
    with watch.lock:
        watch.number += 1
        return OutboxCount(watch.number, waiting)


def announce(path: Path, count: OutboxCount) -> None:
    """After the commit: tell the file's listeners."""
    watch = _watch(path)
    with watch.lock:
        listeners = list(watch.listeners)
    for listener in listeners:
        try:
            listener(count)
        except Exception:
            log.exception("outbox listener failed")
