"""mall-reads: GET /stock/{sku} and GET /members/{id} with a short and a long history.

One store has a sku with --short stock moves and a sku with --long moves; one member has --short
points entries and another --long. Printed: p50 of each read beside a bare GET /health in the
same run, and the long/short ratio (DESIGN §10: ≤ 1.5 at 100k vs 100).

    python -m bench mall-reads --pg postgresql://… --long 100000
"""

from __future__ import annotations

import argparse
import os
import time

import requests
from sqlalchemy import insert

from bench.common import percentile, report
from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.devices import new_pairing_code
from mall.local import LocalMall
from mall.members.ledger import get_or_create_member
from mall.members.models import PointsEntryRow
from mall.migrate import upgrade
from mall.models import utc_now
from mall.processes import scratch_pg_database
from mall.stock import add_moves
from sync.protocol import ProductData

RATIO_BUDGET = 1.5
ROUNDS = 30
CHUNK = 10_000


def _fill(db: MallDatabase, short: int, long: int) -> tuple[str, str]:
    """Skus S and L, members with short and long points histories; their member ids."""
    with db.write() as session:
        add_store(session, "S001", "人民路店")
        upsert_products(
            session,
            [ProductData(sku=sku, name=f"商品 {sku}", price_fen=100) for sku in ("S", "L")],
        )
        members = [
            get_or_create_member(session, phone, source="admin")[0].id
            for phone in ("13800000001", "13800000002")
        ]
    for sku, count, member_id in (("S", short, members[0]), ("L", long, members[1])):
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            with db.write() as session:
                add_moves(
                    session,
                    [{"store_id": "S001", "sku": sku, "delta": 1, "reason": "receive", "ref": ""}]
                    * size,
                )
                session.execute(
                    insert(PointsEntryRow),
                    [
                        {
                            "member_id": member_id,
                            "delta": 1,
                            "source": "adjustment",
                            "ref": "",
                            "created_at": utc_now(),
                        }
                    ]
                    * size,
                )
    return members[0], members[1]


def _p50_ms(session: requests.Session, url: str) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        session.get(url, timeout=30).raise_for_status()
        samples.append(time.perf_counter() - started)
    return percentile(samples, 50) * 1000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench mall-reads")
    parser.add_argument("--pg", default=os.environ.get("POS_TEST_PG_URL"))
    parser.add_argument("--short", type=int, default=100)
    parser.add_argument("--long", type=int, default=100_000)
    parser.add_argument("--skus", type=int, help="ignored (the common bench option)")
    args = parser.parse_args(argv)
    if not args.pg:
        print("mall-reads needs PostgreSQL: --pg URL or POS_TEST_PG_URL")
        return 2
    with scratch_pg_database(args.pg, prefix="mall_reads") as url:
        upgrade(url)
        db = MallDatabase(url)
        short_member, long_member = _fill(db, args.short, args.long)
        with db.write() as session:
            code = new_pairing_code(session, "S001", ttl_s=600)
        with LocalMall.for_database(url) as mall, requests.Session() as http:
            body = http.post(
                f"{mall.base_url}/api/v1/pair", json={"code": code, "till_id": "T01"}, timeout=30
            ).json()
            http.headers["Authorization"] = f"Device {body['device_id']}:{body['device_secret']}"
            api = f"{mall.base_url}/api/v1"
            report("raw_get_health_p50", _p50_ms(http, f"{api}/health"), "ms", None)
            for name, short_url, long_url in (
                ("stock", f"{api}/stock/S", f"{api}/stock/L"),
                ("member", f"{api}/members/{short_member}", f"{api}/members/{long_member}"),
            ):
                short_ms, long_ms = _p50_ms(http, short_url), _p50_ms(http, long_url)
                report(f"get_{name}_{args.short}_p50", short_ms, "ms", None)
                report(f"get_{name}_{args.long}_p50", long_ms, "ms", None)
                report(f"get_{name}_ratio", long_ms / short_ms, "x", RATIO_BUDGET)
        db.dispose()
    return 0
