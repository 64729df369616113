"""The mall as a chain runs it: several `pos-mall serve` processes (and worker processes) on one
fresh PostgreSQL database, started at once, with tills pairing through them at the same moment."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from mall.background import take_lease
from mall.catalog import add_store
from mall.db import MallDatabase
from mall.devices import new_pairing_code
from mall.members.models import ChainSettingRow, ReceiptKeyRow
from mall.migrate import upgrade
from mall.payment_models import PaymentRow, SandboxTradeRow
from mall.payments.sandbox import sandbox_books_fen
from mall.processes import MallProcess
from sync.client import MallClient
from sync.payment_protocol import CreatePayment
from sync.protocol import PairResponse


def _codes(url: str, store_id: str, count: int) -> list[str]:
    db = MallDatabase(url)
    with db.write() as session:
        add_store(session, store_id, f"门店 {store_id}")
        codes = [new_pairing_code(session, store_id, ttl_s=600) for _ in range(count)]
    db.dispose()
    return codes


def _pair_at_once(pairs: list[tuple[str, str]]) -> list[PairResponse]:
    """Each (mall URL, code) paired from its own thread, as tills switched on together do."""

    def pair_one(number: int) -> PairResponse:
        base_url, code = pairs[number]
        client = MallClient(base_url)
        try:
            return client.pair(code, till_id=f"T{number:02d}", device_name="")
        finally:
            client.close()

    with ThreadPoolExecutor(len(pairs)) as pool:
        return list(pool.map(pair_one, range(len(pairs))))


def test_four_malls_started_at_once_on_a_fresh_database_all_serve_with_one_set_of_keys(
    pg_url: str, tmp_path: Path
):
    """Each process upgrades the schema and creates the chain's keys at start: none crashes, and
    tills paired through different processes get the same member key and receipt key."""
    malls = [MallProcess(pg_url, tmp_path / f"mall-{n}.log") for n in range(4)]
    for mall in malls:
        mall.start()
    try:
        for mall in malls:
            mall.wait_ready()
        codes = _codes(pg_url, "S001", len(malls))
        answers = _pair_at_once([(m.base_url, c) for m, c in zip(malls, codes, strict=True)])
    finally:
        for mall in malls:
            mall.stop()
    assert not [mall.log() for mall in malls if "Traceback" in mall.log()]
    assert len({answer.member_code_public_key for answer in answers}) == 1
    assert len({answer.receipt_keys["1"] for answer in answers}) == 1
    db = MallDatabase(pg_url)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ChainSettingRow)) == 2
        assert session.scalar(select(func.count()).select_from(ReceiptKeyRow)) == 1
    db.dispose()


def test_six_first_pairings_of_a_new_store_at_once_through_two_workers_all_succeed(
    pg_url: str, tmp_path: Path
):
    """`pos-mall serve --workers 2`: six tills of a new store pair at the same moment; each gets
    its own device and all get the one receipt key the store has."""
    with MallProcess(pg_url, tmp_path / "mall.log", workers=2) as mall:
        for round_no in range(3):
            store_id = f"S{round_no:03d}"
            codes = _codes(pg_url, store_id, 6)
            answers = _pair_at_once([(mall.base_url, code) for code in codes])
            assert len({answer.device_id for answer in answers}) == 6
            assert {answer.store_id for answer in answers} == {store_id}
            assert len({answer.receipt_keys["1"] for answer in answers}) == 1


def test_pending_payments_are_queried_once_per_due_time_and_reversed_once_by_four_workers(
    pg_url: str, tmp_path: Path
):
    """Two malls of two workers each follow the same pending payments (the customers never
    confirm): the provider is asked about each payment once per query interval, not once per
    worker, and each payment is reversed exactly once at its deadline."""
    interval_s, deadline_s, count = 0.5, 3.0, 12
    env = {"POS_MALL_PAYMENT_QUERY_S": str(interval_s), "POS_MALL_PAYMENT_DEADLINE_S": "3"}
    first = MallProcess(pg_url, tmp_path / "a.log", workers=2, env=env)
    second = MallProcess(pg_url, tmp_path / "b.log", workers=2, env=env)
    with first, second:
        [code] = _codes(pg_url, "S001", 1)
        answer = MallClient(first.base_url).pair(code, till_id="T01", device_name="")
        till = MallClient(
            first.base_url, device_id=answer.device_id, device_secret=answer.device_secret
        )
        for number in range(count):
            payment = till.create_payment(
                CreatePayment(
                    idempotency_key=f"k{number}",
                    sale_draft_id=f"d{number}",
                    attempt_no=1,
                    amount_fen=100 + number,
                    payment_code=f"13{number:012d}9903",
                )
            )
            assert payment.status == "pending"
        db = MallDatabase(pg_url)
        deadline = time.monotonic() + deadline_s + 20
        while time.monotonic() < deadline and _open_payments(db):
            time.sleep(0.2)
        assert _open_payments(db) == 0
        with db.read() as session:
            trades = session.execute(
                select(SandboxTradeRow.queries, SandboxTradeRow.reversals)
            ).all()
            assert sandbox_books_fen(session) == 0
        db.dispose()
    assert len(trades) == count
    assert {reversals for _queries, reversals in trades} == {1}
    most_queries = int(deadline_s / interval_s) + 1  # one per interval, and the last one
    assert max(queries for queries, _reversals in trades) <= most_queries


def _open_payments(db: MallDatabase) -> int:
    with db.read() as session:
        return session.scalar(
            select(func.count()).where(PaymentRow.status.in_(("created", "pending")))
        )


def test_a_periodic_job_lease_is_taken_by_one_of_many_workers_at_once(pg_url: str):
    """Eight workers ask for the `prune` lease at the same moment: exactly one gets it, and
    nobody gets it again before its interval is over."""
    upgrade(pg_url)
    db = MallDatabase(pg_url)
    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(lambda n: take_lease(db, "prune", f"worker-{n}", 600), range(8)))
    assert taken.count(True) == 1
    assert not take_lease(db, "prune", "worker-9", 600)
    db.dispose()
