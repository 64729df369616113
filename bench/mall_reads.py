"""mall-reads: GET /stock/{sku} and a member look-up with balances (POST /members/lookup with
the member's QR code) with a short and a long history.

One store has a sku with --short stock moves and a sku with --long moves; one member has --short
points entries and another --long (through the ledger, so their balance rows follow). Printed:
p50 of each read beside a bare GET /health in the same run, and the long/short ratio (DESIGN
§10: ≤ 1.5 at 100k vs 100).

    python -m bench mall-reads --pg postgresql://… --long 100000
"""

from __future__ import annotations

import argparse
import os
import time

import requests

from bench.common import percentile, report
from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.devices import new_pairing_code
from mall.local import LocalMall
from mall.members.keys import ensure_member_keys
from mall.members.ledger import add_entries, get_or_create_member, show_member_code
from mall.members.models import MemberRow
from mall.members.settings import MemberSettings
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
                entry = {"member_id": member_id, "delta": 1, "source": "adjustment", "ref": ""}
                add_entries(session, "points", [{**entry, "store_id": None}] * size, now=utc_now())
    return members[0], members[1]


def _codes(db: MallDatabase, member_ids: tuple[str, str]) -> list[str]:
    """Each member's newest QR code, as the member page shows it."""
    with db.write() as session:
        ensure_member_keys(session)
        return [
            show_member_code(session, member, now=utc_now(), limits=MemberSettings()).code
            for member in (session.get(MemberRow, member_id) for member_id in member_ids)
            if member is not None
        ]


def _p50_ms(session: requests.Session, url: str, body: dict[str, str] | None = None) -> float:
    """p50 of GET url, or of POST url with the JSON body."""
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        if body is None:
            answer = session.get(url, timeout=30)
        else:
            answer = session.post(url, json=body, timeout=30)
        answer.raise_for_status()
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
        members = _fill(db, args.short, args.long)
        short_code, long_code = _codes(db, members)
        with db.write() as session:
            code = new_pairing_code(session, "S001", ttl_s=600)
        lookups = MemberSettings(lookups_per_device_minute=4 * ROUNDS)
        with (
            LocalMall.for_database(url, members=lookups) as mall,
            requests.Session() as http,
        ):
            body = http.post(
                f"{mall.base_url}/api/v1/pair", json={"code": code, "till_id": "T01"}, timeout=30
            ).json()
            http.headers["Authorization"] = f"Device {body['device_id']}:{body['device_secret']}"
            api = f"{mall.base_url}/api/v1"
            report("raw_get_health_p50", _p50_ms(http, f"{api}/health"), "ms", None)
            stock = (_p50_ms(http, f"{api}/stock/S"), _p50_ms(http, f"{api}/stock/L"))
            lookup = f"{api}/members/lookup"
            member = (
                _p50_ms(http, lookup, {"code": short_code}),
                _p50_ms(http, lookup, {"code": long_code}),
            )
            for name, (short_ms, long_ms) in (("stock", stock), ("member", member)):
                report(f"get_{name}_{args.short}_p50", short_ms, "ms", None)
                report(f"get_{name}_{args.long}_p50", long_ms, "ms", None)
                report(f"get_{name}_ratio", long_ms / short_ms, "x", RATIO_BUDGET)
        db.dispose()
    return 0
