"""Run an iterator on a helper thread a few items ahead of its consumer.

Used to overlap downloading and parsing the snapshot with writing it to the database: SQLite
releases the GIL while it works, so both make progress. The items, and an exception that ends
the iterator, reach the consumer in order; a consumer that stops early stops the helper too.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

Item = TypeVar("Item")
_DONE = object()
_POLL_S = 0.1


def prefetch(items: Iterator[Item], *, depth: int = 2) -> Iterator[Item]:
    ahead: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(value: object) -> bool:
        while not stop.is_set():
            try:
                ahead.put(value, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:  # runs on the helper thread
        try:
            for item in items:
                if not offer(item):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            offer(error)
            return
        offer(_DONE)

    threading.Thread(target=produce, name="prefetch", daemon=True).start()
    try:
        while (value := ahead.get()) is not _DONE:
            if isinstance(value, BaseException):
                raise value
            yield value  # type: ignore[misc]
    finally:
        stop.set()
