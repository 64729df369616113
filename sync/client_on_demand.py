"""A paired till's mall client, made at its first use: the HTTP stack and the contract's models
it loads (~0.4 s) then load on the thread that first calls the mall, not before the till's
first screen. One client is made however many threads ask at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sync.client import MallClient


class ClientOnDemand:
    def __init__(self, connect: Callable[[], MallClient]) -> None:
        self._connect = connect
        self._client: MallClient | None = None
        self._lock = threading.Lock()

    def get(self) -> MallClient:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client
