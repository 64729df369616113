"""The query plans of the mall's hot paths on PostgreSQL: every statement the mall runs while a
till pairs, pushes sales (one and two a request), pulls the feed, looks a member up and reads
stock, and while the background follows a payment (and runs its expiry and pruning jobs), is
EXPLAINed with enable_seqscan off: the planner then scans a table sequentially only when no
index serves the query, so a sequential scan of a table that grows with the chain's business
fails the test, whatever the few rows here would make the planner choose."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import requests
from sqlalchemy import Engine, event, func, select

from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.devices import new_pairing_code
from mall.local import LocalMall
from mall.members.keys import ensure_member_keys
from mall.members.ledger import add_units, get_or_create_member, show_member_code
from mall.members.settings import MemberSettings
from mall.members.tiers import TierRules, set_tier_rules
from mall.migrate import upgrade
from mall.models import utc_now
from mall.payment_models import SandboxTradeRow
from mall.payments.config import PaymentSettings
from sync.protocol import ProductData, payload_hash
from tests.mall.conftest import sale_event

# Tables whose rows grow with stores, tills, sales, members or time (small ones such as stores,
# feed_head, chain_settings, leases and receipt_keys may be read whole).
GROWING = {
    "applied_events", "barcodes", "changes", "conflicts", "coupons", "customer_sessions",
    "customers", "devices", "member_balances", "member_presentations", "member_sessions",
    "members", "online_order_lines", "online_orders", "pairing_codes", "payment_refunds",
    "payments", "points_entries", "products", "rate_counters", "receipt_claims",
    "redemption_holds", "reservations", "sale_lines", "sale_payments", "sales", "sms_codes",
    "stock_moves", "stock_on_hand", "store_products", "stored_value_entries",
}  # fmt: skip
PHONE = "13900000001"
MEMBER_ID = "M00000000000A"


class Statements:
    """Every statement any engine of this process runs while recording (first parameters of
    an executemany)."""

    def __init__(self) -> None:
        self.seen: dict[str, Any] = {}

    def __call__(self, _conn, _cursor, statement, parameters, _context, executemany) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in {"SELECT", "UPDATE", "DELETE", "INSERT"}:
            self.seen.setdefault(statement, parameters[0] if executemany else parameters)

    def __enter__(self) -> Statements:
        event.listen(Engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self)


def _seq_scans(plan: dict[str, Any]) -> Iterator[str]:
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in GROWING:
        yield plan["Relation Name"]
    for child in plan.get("Plans", []):
        yield from _seq_scans(child)


def _prepare(db: MallDatabase) -> tuple[str, str]:
    """Two stores, a product, a member with points and a shown code, tiers by spend; (pairing
    code, QR code)."""
    with db.write() as session:
        ensure_member_keys(session)
        set_tier_rules(session, TierRules("spend", (("silver", 1000),)))
        add_store(session, "S001", "人民路店")
        add_store(session, "S002", "解放路店")
        upsert_products(session, [ProductData(sku="1001", name="可口可乐 330ml", price_fen=350)])
        member = get_or_create_member(session, PHONE, source="admin")[0]
        member.id = MEMBER_ID
        add_units(session, "points", member.id, 500, "adjustment", "", now=utc_now())
        shown = show_member_code(session, member, now=utc_now(), limits=MemberSettings())
        return new_pairing_code(session, "S001", ttl_s=600), shown.code


def _member_sale(seq: int) -> dict[str, Any]:
    """A sale to the member (whose tier the mall then measures)."""
    event = sale_event(seq)
    event["payload"]["member_id"] = MEMBER_ID
    event["payload_hash"] = payload_hash(event["payload"])
    return event


def _run_hot_paths(db: MallDatabase, url: str, code: str, member_code: str) -> None:
    payments = replace(PaymentSettings(), query_interval_s=0.2, deadline_s=30.0)
    with LocalMall.for_database(url, payments=payments) as mall:
        api = f"{mall.base_url}/api/v1"
        body = requests.post(
            f"{api}/pair", json={"code": code, "till_id": "T01"}, timeout=10
        ).json()
        auth = {"Authorization": f"Device {body['device_id']}:{body['device_secret']}"}
        http = requests.Session()
        http.headers.update(auth)
        for events in ([sale_event(1)], [sale_event(2), sale_event(3)], [_member_sale(4)]):
            http.post(f"{api}/sync/push", json={"events": events}, timeout=10).raise_for_status()
        http.get(f"{api}/sync/changes", params={"cursor": 0}, timeout=10).raise_for_status()
        for lookup in ({"code": member_code}, {"phone": PHONE}):
            http.post(f"{api}/members/lookup", json=lookup, timeout=10).raise_for_status()
        http.get(f"{api}/stock/1001", timeout=10).raise_for_status()
        payment = {
            "idempotency_key": "k1",
            "sale_draft_id": "d1",
            "attempt_no": 1,
            "amount_fen": 350,
            "payment_code": "130000000000019903",  # the customer never confirms: followed up
        }
        http.post(f"{api}/payments", json=payment, timeout=10).raise_for_status()
        http.get(f"{api}/payments", params={"idempotency_key": "k1"}, timeout=10)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the background thread queries the provider
            with db.read() as session:
                if session.scalar(select(func.max(SandboxTradeRow.queries))):
                    break
            time.sleep(0.1)
        http.close()


def test_hot_queries_use_an_index_on_every_growing_table(pg_url: str) -> None:
    upgrade(pg_url)
    db = MallDatabase(pg_url)
    code, member_code = _prepare(db)
    with Statements() as statements:
        _run_hot_paths(db, pg_url, code, member_code)
    offenders = []
    with db.write_engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")

        def scans(statement: str, parameters: Any) -> list[str]:
            explained = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            plan = explained.scalar()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return list(_seq_scans(plan[0]["Plan"]))

        assert scans("SELECT id FROM sales WHERE total_fen = 1", {}) == ["sales"]  # no index
        for statement, parameters in statements.seen.items():
            offenders += [(table, statement) for table in scans(statement, parameters)]
        connection.rollback()
    db.dispose()
    assert len(statements.seen) > 40  # pairing, push, feed, members, stock, payments, jobs
    assert not offenders, "\n\n".join(f"Seq Scan on {t}:\n{s}" for t, s in offenders)
