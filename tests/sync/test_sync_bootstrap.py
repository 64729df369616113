"""First start: the catalog comes down as one streamed snapshot, and a cut download (a lost
connection, a till killed half way) goes on from its last stored chunk."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from mall.catalog import upsert_products
from mall.demo import demo_products
from mall.feed import head_seq
from pos_app.services.search import search_page, search_products
from pos_app.store.db import Database
from pos_app.store.models import Barcode, Product
from pos_app.store.search_index import SEARCH_INDEXES
from sync.apply import apply_products
from sync.bootstrap import RESUME
from sync.client import MallClient
from sync.credentials import load_credentials
from sync.engine import SyncEngine
from sync.errors import SyncOffline
from sync.protocol import ProductData
from sync.state import get_state, set_state
from sync.status import CURSOR
from tests.sync.conftest import Mall, catalog, open_mall
from tests.sync.faultproxy import FaultProxy

SKUS = 1200


def counts(till) -> tuple[int, int, int | None]:
    with till.db.read() as session:
        products = session.scalar(select(func.count()).select_from(Product))
        barcodes = session.scalar(select(func.count()).select_from(Barcode))
        return products, barcodes, get_state(session, CURSOR)


def test_a_snapshot_streamed_in_chunks_loads_every_product_and_sets_the_cursor(
    mall: Mall, make_till
):
    """1,200 products (plus the 3 of the fixture) arrive with barcodes and pinyin, cursor last."""
    with mall.db.write() as session:
        upsert_products(session, demo_products(SKUS))
    till = make_till()
    engine = till.pair(mall)
    engine.snapshot_batch = 500
    assert engine.bootstrap() == SKUS + 3
    with mall.db.read() as session:
        head = head_seq(session)
    assert counts(till) == (SKUS + 3, SKUS + 3, head)
    with till.db.read() as session:
        first = session.scalar(select(Product).where(Product.sku == "100000"))
        assert (first.name, first.pinyin_initials) == ("康师傅红烧牛肉面 330ml", "ksfhsnrm330ml")
        assert "100000" in {hit.sku for hit in search_products(session, "红烧牛肉面", limit=500)}
    with mall.db.write() as session:
        upsert_products(session, [ProductData(sku="X1", name="麻辣香锅调料", price_fen=990)])
    assert engine.pull() == 1
    with till.db.read() as session:  # the search index follows changes again after the load
        assert [hit.sku for hit in search_products(session, "香锅调料")] == ["X1"]


def test_a_snapshot_cut_off_in_the_middle_is_not_counted_and_the_next_start_completes_it(
    mall: Mall, make_till
):
    """Half a download leaves no cursor; the next round loads the rest."""
    with mall.db.write() as session:
        upsert_products(session, demo_products(SKUS))
    till = make_till()
    till.pair(mall)
    cut_download(till, mall, batch=100)
    products, _, cursor = counts(till)
    assert cursor is None and products < SKUS + 3
    till.engine().run_once()
    assert counts(till)[:2] == (SKUS + 3, SKUS + 3)


def cut_download(till, mall: Mall, batch: int) -> None:
    """A first download through a proxy that cuts the snapshot part way (SyncOffline)."""
    credentials = load_credentials(till.data_dir)
    proxy = FaultProxy(mall.server.port, ["truncate"])
    client = MallClient(
        proxy.base_url,
        device_id=credentials.device_id,
        device_secret=credentials.device_secret,
        retries=0,
    )
    engine = SyncEngine(till.db, client, snapshot_batch=batch)
    with pytest.raises(SyncOffline):
        engine.bootstrap()
    proxy.close()


def statements_of_first_download(tmp_path: Path, make_till, products: int, chunk: int) -> list[str]:
    """The SQL a first download of the fixture's 3 products and `products` more, sent in chunks
    of `chunk`, sends to the till's database (counted by a SQLAlchemy event). The mall is a
    SQLite one: what the till sends does not depend on the mall's database."""
    till = make_till(name=f"-{products}")
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    for mall in open_mall(f"sqlite:///{tmp_path / f'mall-{products}.db'}", snapshot_chunk=chunk):
        with mall.db.write() as session:
            upsert_products(session, demo_products(products))
        engine = till.pair(mall)
        event.listen(till.db.write_engine, "before_cursor_execute", record)
        try:
            assert engine.bootstrap() == products + 3
        finally:
            event.remove(till.db.write_engine, "before_cursor_execute", record)
    assert counts(till)[:2] == (products + 3, products + 3)
    return sent


def test_a_first_download_writes_a_chunk_in_the_same_statements_whatever_its_size(
    tmp_path: Path, make_till
):
    """Each chunk's products and barcodes are written by a fixed set of statements
    (executemany), none per product and no IN list grown with the chunk: 1,200 products in 4
    chunks of 300 send exactly the SQL that 200 in 4 chunks of 50 do."""
    small = statements_of_first_download(tmp_path, make_till, 197, 50)
    big = statements_of_first_download(tmp_path, make_till, 1197, 300)
    assert big == small
    assert sum(s.startswith("INSERT INTO products ") for s in big) == 4
    assert len(big) <= 4 * 9 + 30


KILL_SKUS = 3000
CHUNK = 30
POS = Path(sys.executable).parent / "pos"


@pytest.fixture
def chunked_mall(mall_url: str) -> Iterator[Mall]:
    """The mall sending its snapshot in chunks of 30, with 3,000 more products."""
    for mall in open_mall(mall_url, snapshot_chunk=CHUNK):
        with mall.db.write() as session:
            upsert_products(session, demo_products(KILL_SKUS))
        yield mall


def progress(till) -> dict | None:
    with till.db.read() as session:
        return get_state(session, RESUME)


def test_a_download_begun_by_a_till_that_indexed_chunk_by_chunk_is_finished_and_indexed(
    chunked_mall: Mall, make_till
):
    """Progress stored by the version that kept the search index chunk by chunk carries a
    `rebuild` flag; the download goes on from it and the index is built whole at the end."""
    till = make_till()
    till.pair(chunked_mall)
    cut_download(till, chunked_mall, batch=CHUNK)
    with till.db.write() as session:
        state = get_state(session, RESUME)
        assert state is not None and state["count"] > 0
        set_state(session, RESUME, {**state, "rebuild": False})
    assert till.engine().bootstrap() == KILL_SKUS + 3
    assert counts(till)[:2] == (KILL_SKUS + 3, KILL_SKUS + 3)
    with till.db.read() as session:
        assert "100000" in {hit.sku for hit in search_products(session, "红烧牛肉面", limit=500)}


def written_at(till) -> dict[str, str]:
    with till.db.read() as session:
        return dict(session.execute(text("SELECT sku, updated_at FROM products")).all())


def test_a_till_killed_during_its_first_download_goes_on_from_there_after_a_restart(
    chunked_mall: Mall, make_till
):
    """`pos sync --once` is SIGKILLed part way through the first download; started again, it
    asks for the rest only (products written before the kill are not written again) and ends
    with every product and barcode once, the cursor set and the search index whole."""
    till = make_till()
    till.pair(chunked_mall)
    command = [str(POS), "sync", "--once", "--db", str(till.db.path)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while (state := progress(till)) is None or state["count"] < KILL_SKUS // 4:
        assert child.poll() is None, child.stderr and child.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    before = written_at(till)
    state = progress(till)
    assert state is not None and counts(till)[2] is None
    assert len(before) == state["count"] < KILL_SKUS + 3  # the chunks stored, nothing else

    restart = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert restart.returncode == 0, restart.stderr
    with chunked_mall.db.read() as session:
        head = head_seq(session)
    assert counts(till) == (KILL_SKUS + 3, KILL_SKUS + 3, head)
    after = written_at(till)
    assert {sku: after[sku] for sku in before} == before  # not downloaded again
    assert progress(till) is None
    with till.db.write() as session:  # fails ('malformed') if an index differs from products
        for index in SEARCH_INDEXES:
            session.execute(
                text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
            )
        triggers = session.scalar(
            text(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'products'"
            )
        )
        assert triggers == 4
    with till.db.read() as session:
        hits = {hit.sku for hit in search_products(session, "ksfhsnrm", limit=5000)}
        with_initials = session.scalars(
            select(Product.sku).where(Product.pinyin_initials.startswith("ksfhsnrm"))
        )
        assert hits == set(with_initials) and len(hits) > 2
        # one and two characters (the characters index): every product holding them
        for query in ("牛", "红烧", "ks"):
            page = search_page(session, query, limit=5000)
            holding = session.scalars(
                select(Product.sku).where(
                    Product.name.contains(query) | Product.pinyin_initials.contains(query)
                )
            )
            assert {hit.sku for hit in page.hits} == set(holding), query
            assert page.total == len(page.hits) > 2, query


def search_index_entries(db: Database) -> set[tuple[str, str, int, str, int]]:
    """What the search indexes hold, however their segments lie: (index, sku, column, trigram
    or character, offset)."""
    connection = sqlite3.connect(db.path)
    entries: set[tuple[str, str, int, str, int]] = set()
    try:
        for index in SEARCH_INDEXES:
            connection.execute(
                f"CREATE VIRTUAL TABLE temp.{index} USING fts5vocab(main, {index}, instance)"
            )
            query = f"SELECT '{index}', p.sku, e.col, e.term, e.offset FROM temp.{index} e"
            entries.update(connection.execute(f"{query} JOIN products p ON p.id = e.doc"))
        return entries
    finally:
        connection.close()


@pytest.mark.parametrize("held_before", [False, True], ids=["empty till", "till with products"])
def test_the_search_index_a_first_download_builds_is_the_one_the_triggers_build(
    mall_url: str, make_till, held_before: bool
):
    """Rebuilt once at the end of the download (into an empty till or one holding products),
    the search index holds exactly what the triggers write for the same products,
    an inactive one left out, and finds the same."""
    products = [
        *demo_products(SKUS),
        ProductData(sku="X9", name="停售 矿泉水", price_fen=100, status="inactive"),
    ]
    triggered = make_till(name="triggered")
    with triggered.db.write() as session:
        apply_products(session, [*catalog(), *products])
    downloaded = make_till(name="downloaded")
    if held_before:
        with downloaded.db.write() as session:
            apply_products(session, catalog())
    for mall in open_mall(mall_url, snapshot_chunk=100):
        with mall.db.write() as session:
            upsert_products(session, products)
        assert downloaded.pair(mall).bootstrap() == SKUS + 4
    assert search_index_entries(downloaded.db) == search_index_entries(triggered.db)
    water = {p.sku for p in products if "水" in p.name and p.status == "active"}
    assert water
    for till in (triggered, downloaded):
        with till.db.read() as session:
            assert {hit.sku for hit in search_products(session, "水", limit=5000)} == water
