"""Convergence: through a proxy that loses, stalls, fails, cuts and duplicates requests, every
sale still reaches the mall exactly once and the till gets the whole catalog."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from pos_app.store.models import Product
from pos_app.store.outbox import count_pending
from sync.client import MallClient
from sync.credentials import load_credentials
from sync.engine import SyncEngine
from sync.errors import SyncError
from tests.sync.conftest import COLA, NOODLES, Mall
from tests.sync.faultproxy import FAULTS, FaultProxy


def test_sync_through_a_faulty_network_converges_with_each_sale_applied_once(mall: Mall, make_till):
    """40 injected faults later, the mall has the till's 60 sales once each, to the fen."""
    till = make_till()
    till.pair(mall)
    till.sell(COLA, NOODLES, count=60)
    rng = random.Random(6)
    faults = [rng.choice(FAULTS) for _ in range(40)]
    proxy = FaultProxy(mall.server.port, faults, stall_s=1.2)
    credentials = load_credentials(till.data_dir)
    client = MallClient(
        proxy.base_url,
        device_id=credentials.device_id,
        device_secret=credentials.device_secret,
        timeout_s=(2.0, 1.0),
        retries=1,
    )
    engine = SyncEngine(till.db, client, push_batch=7, page_size=2, snapshot_batch=2)
    failures = 0
    for _ in range(100):
        try:
            engine.run_once()
        except SyncError:
            failures += 1
            continue
        if not proxy.faults:
            break
    proxy.close()
    assert failures > 0 and set(proxy.seen) >= set(FAULTS)
    direct = till.engine()
    direct.run_once()
    with till.db.read() as session:
        assert count_pending(session) == 0
        assert session.scalar(select(func.count()).select_from(Product)) == 3
    assert mall.sales("S001") == (60, 60 * 800)
    assert mall.stock("S001", COLA.sku) == -60
