"""The background follower of pending payments: every tick it advances the payments whose query is
due, so a payment is resolved (paid, or reversed at its deadline) even when no till asks.

It runs on its own daemon thread, started on the first payment (or by `pos-mall serve`, so that
payments left pending by a restart are followed too), and stopped with the server.
"""

from __future__ import annotations

import logging
import threading

from mall.payments.service import PaymentDesk

log = logging.getLogger(__name__)


class PaymentPoller:
    def __init__(self, desk: PaymentDesk) -> None:
        self.desk = desk
        self.tick_s = min(1.0, max(0.05, desk.settings.query_interval_s / 2))
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def ensure_started(self) -> None:
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(
                    target=self._run, name="payment-poller", daemon=True
                )
                self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=30)

    def _run(self) -> None:
        # This runs on the poller's own thread.
        while not self._stop.wait(self.tick_s):
            try:
                self.desk.sweep()
            except Exception:  # a failing tick must not end the follow-up of every payment
                log.exception("following pending payments failed; trying again")
