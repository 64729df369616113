"""What the sync benchmarks share: the mall in its own process (so the two sides do not share a
GIL) with its peak memory sampled, and a fresh till database paired with it."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import TracebackType
from uuid import uuid4

import psutil

from mall.db import MallDatabase
from mall.devices import new_pairing_code
from mall.feed import head_seq
from mall.processes import MallProcess as ServedMall
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Store, Till
from pos_app.store.settings import set_setting
from sync.credentials import pair
from sync.engine import SyncEngine, engine_for
from sync.state import set_state
from sync.status import CURSOR

MALL_SKUS = 100  # a fresh mall for a paired till; its catalog is not what is measured


class MallProcess(ServedMall):
    """`pos-mall serve` on a free loopback port; peak_rss_mb is sampled while it runs."""

    def __init__(self, database_url: str) -> None:
        super().__init__(database_url)
        self.peak_rss_mb = 0.0
        self._sampling = False

    def __enter__(self) -> MallProcess:
        super().__enter__()
        assert self.process is not None
        self._sampling = True
        threading.Thread(
            target=self._sample, args=(psutil.Process(self.process.pid),), daemon=True
        ).start()
        return self

    def _sample(self, process: psutil.Process) -> None:
        while self._sampling:
            try:
                rss = process.memory_info().rss / 2**20
            except psutil.Error:
                return
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            time.sleep(0.05)

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._sampling = False
        super().__exit__(_type, _value, _traceback)


def paired_till(directory: Path, mall: MallProcess, store_id: str = "S001") -> SyncEngine:
    """A new, migrated till database in directory, paired with the mall's store_id under a till
    number of its own (the mall database is reused between runs and keeps earlier pairings)."""
    till_id = f"B{uuid4().hex[:8]}"
    upgrade(directory / "till.db")
    db = Database(directory / "till.db")
    with db.write() as session:
        session.add(Store(id=store_id, name="bench"))
        session.add(Till(id=till_id, store_id=store_id, name="bench"))
        set_setting(session, "store_id", store_id)  # the numbers its events carry
        set_setting(session, "till_id", till_id)
    admin = MallDatabase(mall.database_url)
    with admin.write() as session:
        code = new_pairing_code(session, store_id, ttl_s=600)
    admin.dispose()
    pair(mall.base_url, code, directory, till_id=till_id)
    return engine_for(db)


def pair_as_current(db: Database, mall: MallProcess) -> None:
    """Pair a demo till (S001/T01) with a fresh mall, and mark its catalog current (the mall's
    feed head): its sync pushes and pulls changes instead of downloading the catalog."""
    admin = MallDatabase(mall.database_url)
    with admin.write() as session:
        pairing_code = new_pairing_code(session, "S001", ttl_s=600)
    with admin.read() as session:
        head = head_seq(session)
    admin.dispose()
    pair(mall.base_url, pairing_code, db.path.parent, till_id="T01")
    with db.write() as session:
        set_state(session, CURSOR, head)
