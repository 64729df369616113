"""The background worker: rounds on its own thread, status signals on the GUI's, backoff offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mall.orders import create_order
from mall.stock import add_move
from sync.backoff import Backoff
from sync.worker import SyncWorker
from tests.sync.conftest import COLA, Mall

WAIT_MS = 15_000


@pytest.fixture
def workers() -> Iterator[list[SyncWorker]]:
    """Workers a test starts; stopped at the end even when the test fails."""
    started: list[SyncWorker] = []
    yield started
    for worker in started:
        worker.stop()


def test_the_worker_pushes_in_the_background_and_sync_now_runs_a_round_at_once(
    qtbot, mall: Mall, make_till, workers
):
    """The first round starts with the thread; a sale then sync_now() sends it within seconds."""
    till = make_till()
    engine = till.pair(mall)
    till.sell(COLA, count=5)
    worker = SyncWorker(lambda: engine, interval_s=3600)
    workers.append(worker)
    with qtbot.waitSignal(worker.statusChanged, timeout=WAIT_MS) as first:
        worker.start()
    assert (first.args[0].online, first.args[0].pending) == (True, 0)
    till.sell(COLA)
    with qtbot.waitSignal(worker.statusChanged, timeout=WAIT_MS) as second:
        worker.sync_now()
    assert second.args[0].pending == 0
    assert mall.sales("S001") == (6, 6 * 350)
    with mall.db.write() as session:
        add_move(session, "S001", COLA.sku, 10, "receive", "")
        order, code = create_order(session, "S001", [(COLA.sku, 1)])
    with qtbot.waitSignal(worker.statusChanged, timeout=WAIT_MS) as third:
        worker.sync_now()
    assert third.args[0].open_orders == 1
    with qtbot.waitSignal(worker.handoverDone, timeout=WAIT_MS) as done:
        worker.hand_over(str(order.id), code)
    assert done.args[0].status == "completed"


def test_an_offline_round_reports_offline_and_backs_off(qtbot, mall: Mall, make_till, workers):
    """With the mall gone the status says offline and the next round waits for the backoff."""
    till = make_till()
    engine = till.pair(mall)
    mall.server.stop()
    till.sell(COLA)
    worker = SyncWorker(lambda: engine, interval_s=3600, backoff=Backoff(base_s=0.05, max_s=0.1))
    workers.append(worker)
    statuses = []
    worker.statusChanged.connect(statuses.append)
    worker.start()
    qtbot.waitUntil(lambda: len(statuses) >= 3, timeout=WAIT_MS)
    worker.stop()
    assert all(status.online is False and status.pending == 1 for status in statuses)
    assert worker.failures >= 3
