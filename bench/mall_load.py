"""mall-load: many simulated tills against `pos-mall serve --workers N` on PostgreSQL.

A few client processes each drive their share of the tills with async HTTP: every till pushes
its sales in batches (then once more the last batch, as after a lost acknowledgement), pulls
the change feed after each push and asks for a stock level now and then; then a second round
pushes one sale per request. Printed: p50/p99 per request kind beside a bare GET /health
measured in the same run, the mall's CPU (all its processes) per synced sale for each round,
and exactly-once results (sales applied, duplicates, stock rows against the ledger).

    python -m bench mall-load --pg postgresql://… --tills 200 --sales 100 --workers 4

The database is a fresh one on the --pg server (default $POS_TEST_PG_URL), dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import psutil
from sqlalchemy import func, select

from bench.common import percentile, report
from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.devices import new_pairing_code
from mall.migrate import upgrade
from mall.models import SaleRow, StockOnHandRow
from mall.processes import MallProcess, scratch_pg_database
from mall.stock import on_hand_differences
from sync.protocol import ProductData, payload_hash
from sync.sample import Item, sale_payload

TILLS_PER_STORE = 3
ITEMS = (Item("1001", "可口可乐 330ml", 2, 350), Item("1002", "农夫山泉 550ml", 1, 200))
UNITS_PER_SALE = sum(item.qty for item in ITEMS)
PUSH_P99_GOAL_MS = 200.0
CPU_GOAL_MS = {"batched": 0.5, "single": 3.0}
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Till:
    store_id: str
    till_id: str
    auth: str


@dataclass(frozen=True)
class Round:
    """Sales first_seq.. first_seq+sales-1 of every till, `batch` to a push."""

    name: str
    first_seq: int
    sales: int
    batch: int


def _event(till: Till, seq: int) -> dict[str, Any]:
    payload = sale_payload(store_id=till.store_id, till_id=till.till_id, till_seq=seq, items=ITEMS)
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{till.auth}/{seq}")),
        "device_seq": seq,
        "kind": "sale",
        "payload": payload,
        "payload_hash": payload_hash(payload),
    }


async def _request(
    client: httpx.AsyncClient,
    timings: dict[str, list[float]],
    kind: str,
    method: str,
    path: str,
    **kwargs: Any,
) -> dict[str, Any]:
    started = time.perf_counter()
    answer = await client.request(method, path, **kwargs)
    timings.setdefault(kind, []).append(time.perf_counter() - started)
    answer.raise_for_status()
    return dict(answer.json())


async def _push(
    client: httpx.AsyncClient,
    timings: dict[str, list[float]],
    kind: str,
    till: Till,
    events: list[dict[str, Any]],
) -> dict[str, Any]:
    body = gzip.compress(json.dumps({"events": events}).encode(), compresslevel=5)
    headers = {
        "Authorization": till.auth,
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    return await _request(
        client, timings, kind, "POST", "/api/v1/sync/push", content=body, headers=headers
    )


async def _drive_till(
    client: httpx.AsyncClient, till: Till, job: Round, timings: dict[str, list[float]]
) -> int:
    """Push the round's sales; returns how many events the mall said it replayed (not
    applied again) when the last batch was sent a second time."""
    headers = {"Authorization": till.auth}
    cursor = 0
    last: list[dict[str, Any]] = []
    seqs = range(job.first_seq, job.first_seq + job.sales)
    for start in range(0, len(seqs), job.batch):
        last = [_event(till, seq) for seq in seqs[start : start + job.batch]]
        answer = await _push(client, timings, f"push_{job.name}", till, last)
        assert answer["acked_through_seq"] == last[-1]["device_seq"], answer
        page = await _request(
            client,
            timings,
            "changes",
            "GET",
            "/api/v1/sync/changes",
            params={"cursor": cursor, "limit": 100},
            headers=headers,
        )
        cursor = page["next_cursor"]
        if start % (job.batch * 5) == 0:
            await _request(client, timings, "stock", "GET", "/api/v1/stock/1001", headers=headers)
    replay = await _push(client, timings, "push_replayed", till, last)
    assert replay["applied"] == 0, replay
    return int(replay["replayed"])


async def _drive(
    base_url: str, tills: list[Till], job: Round
) -> tuple[dict[str, list[float]], int]:
    timings: dict[str, list[float]] = {}
    limits = httpx.Limits(max_connections=len(tills), max_keepalive_connections=len(tills))
    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT_S, limits=limits) as client:
        replayed = await asyncio.gather(*(_drive_till(client, t, job, timings) for t in tills))
    return timings, sum(replayed)


def _client_process(
    base_url: str, tills: list[Till], job: Round
) -> tuple[dict[str, list[float]], int]:
    # This runs in a client process.
    return asyncio.run(_drive(base_url, tills, job))


def _setup(url: str, tills: int) -> list[tuple[str, str, str]]:
    """Stores, products and one pairing code per till: (store_id, till_id, code)."""
    db = MallDatabase(url)
    codes = []
    with db.write() as session:
        upsert_products(
            session,
            [ProductData(sku=i.sku, name=i.name, price_fen=i.unit_price_fen) for i in ITEMS],
        )
        for number in range(tills):
            store_id = f"S{number // TILLS_PER_STORE:04d}"
            if number % TILLS_PER_STORE == 0:
                add_store(session, store_id, f"门店 {store_id}")
            till_id = f"T{number % TILLS_PER_STORE + 1:02d}"
            codes.append((store_id, till_id, new_pairing_code(session, store_id, ttl_s=3600)))
    db.dispose()
    return codes


def _pair(base_url: str, codes: list[tuple[str, str, str]]) -> list[Till]:
    tills = []
    with httpx.Client(base_url=base_url, timeout=TIMEOUT_S) as client:
        for store_id, till_id, code in codes:
            answer = client.post("/api/v1/pair", json={"code": code, "till_id": till_id})
            answer.raise_for_status()
            body = answer.json()
            auth = f"Device {body['device_id']}:{body['device_secret']}"
            tills.append(Till(store_id, till_id, auth))
    return tills


def _mall_cpu_s(mall: MallProcess) -> float:
    assert mall.process is not None
    parent = psutil.Process(mall.process.pid)
    total = 0.0
    for process in [parent, *parent.children(recursive=True)]:
        times = process.cpu_times()
        total += times.user + times.system
    return total


def _bare_health_ms(base_url: str, count: int = 200) -> float:
    samples = []
    with httpx.Client(base_url=base_url, timeout=TIMEOUT_S) as client:
        for _ in range(count):
            started = time.perf_counter()
            client.get("/api/v1/health").raise_for_status()
            samples.append(time.perf_counter() - started)
    return percentile(samples, 50) * 1000


def _run_round(
    mall: MallProcess, tills: list[Till], job: Round, procs: int
) -> tuple[dict[str, list[float]], int]:
    shares = [tills[n::procs] for n in range(procs)]
    cpu_before = _mall_cpu_s(mall)
    started = time.perf_counter()
    with ProcessPoolExecutor(procs) as pool:
        results = list(pool.map(_client_process, [mall.base_url] * procs, shares, [job] * procs))
    elapsed = time.perf_counter() - started
    cpu = _mall_cpu_s(mall) - cpu_before
    synced = len(tills) * job.sales
    report(f"mall_cpu_per_sale_{job.name}", cpu / synced * 1000, "ms", CPU_GOAL_MS[job.name])
    report(f"sales_per_s_{job.name}", synced / elapsed, "sales/s", None)
    timings: dict[str, list[float]] = {}
    for part, _ in results:
        for kind, samples in part.items():
            timings.setdefault(kind, []).extend(samples)
    return timings, sum(replayed for _, replayed in results)


def _check(
    url: str, tills: list[Till], sales_per_till: int, replayed: int, expected_replays: int
) -> bool:
    db = MallDatabase(url)
    with db.read() as session:
        applied = session.scalar(select(func.count()).select_from(SaleRow)) or 0
        distinct = session.scalar(select(func.count(func.distinct(SaleRow.sale_no)))) or 0
        stock = dict(
            session.execute(
                select(StockOnHandRow.sku, func.sum(StockOnHandRow.qty)).group_by(
                    StockOnHandRow.sku
                )
            )
            .tuples()
            .all()
        )
        differences = on_hand_differences(session)
    db.dispose()
    made = len(tills) * sales_per_till
    expected_stock = {item.sku: -item.qty * made for item in ITEMS}
    report("sales_made", made, "sales", None)
    report("sales_applied", applied, "sales", made)
    report("sales_lost", made - applied, "sales", 0)
    report("sales_duplicated", applied - distinct, "sales", 0)
    report("replayed_not_applied_again", replayed, "events", expected_replays)
    report("stock_rows_equal_ledger", float(not differences), "bool", 1)
    report("stock_equal_sales", float(stock == expected_stock), "bool", 1)
    return (
        applied == made == distinct
        and not differences
        and stock == expected_stock
        and (replayed == expected_replays)
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench mall-load")
    parser.add_argument(
        "--pg",
        default=os.environ.get("POS_TEST_PG_URL"),
        help="PostgreSQL server URL (a fresh database is made in it)",
    )
    parser.add_argument("--tills", type=int, default=200)
    parser.add_argument("--sales", type=int, default=100, help="sales per till, batched")
    parser.add_argument("--batch", type=int, default=20, help="sales per push")
    parser.add_argument("--single", type=int, default=5, help="sales per till, one per push")
    parser.add_argument("--workers", type=int, default=4, help="mall worker processes")
    parser.add_argument("--client-procs", type=int, default=3)
    parser.add_argument("--skus", type=int, help="ignored (the common bench option)")
    args = parser.parse_args(argv)
    if not args.pg:
        print("mall-load needs PostgreSQL: --pg URL or POS_TEST_PG_URL")
        return 2
    with scratch_pg_database(args.pg, prefix="mall_load") as url:
        upgrade(url)
        codes = _setup(url, args.tills)
        with MallProcess(url, workers=args.workers) as mall:
            tills = _pair(mall.base_url, codes)
            raw_ms = _bare_health_ms(mall.base_url)
            timings: dict[str, list[float]] = {}
            replayed = 0
            rounds = [
                Round("batched", 1, args.sales, args.batch),
                Round("single", args.sales + 1, args.single, 1),
            ]
            for job in rounds:
                part, replays = _run_round(mall, tills, job, args.client_procs)
                replayed += replays
                for kind, samples in part.items():
                    timings.setdefault(kind, []).extend(samples)
        report("workers", args.workers, "processes", None)
        report("raw_get_health_p50", raw_ms, "ms", None)
        for kind, samples in sorted(timings.items()):
            goal = PUSH_P99_GOAL_MS if kind.startswith("push") else None
            report(f"{kind}_p50", percentile(samples, 50) * 1000, "ms", None)
            report(f"{kind}_p99", percentile(samples, 99) * 1000, "ms", goal)
        expected_replays = len(tills) * ((args.sales - 1) % args.batch + 1 + 1)
        ok = _check(url, tills, args.sales + args.single, replayed, expected_replays)
    return 0 if ok else 1
