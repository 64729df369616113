"""Two customers racing for the last item at a store: exactly one order gets it, the other is
told it is sold out; on SQLite and on PostgreSQL (several rounds, the orders sent at once)."""

from __future__ import annotations

import threading

import requests
from sqlalchemy import func, select

from mall.db import MallDatabase
from mall.local import LocalMall
from mall.migrate import upgrade
from mall.models import OrderRow, ReservationRow
from mall.stock import add_move
from tests.mall.customer_support import Shopper, seed_shop, stock_of

ROUNDS = 5


def race(racers: list[Shopper], slot: str) -> list[requests.Response]:
    """Every racer places the order in their cart at the same moment; their answers."""
    start = threading.Barrier(len(racers))
    answers: list[requests.Response] = []

    def place(racer: Shopper) -> None:
        start.wait()
        answers.append(
            racer.call("POST", "/orders", json={"store_id": "S001", "pickup_start": slot})
        )

    threads = [threading.Thread(target=place, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_of_two_customers_racing_for_the_last_item_exactly_one_gets_it(mall_url: str):
    """Each round one more crisp arrives and two customers order it at the same moment: one
    order, one refusal 已售完, never more reserved than on hand."""
    upgrade(mall_url)
    db = MallDatabase(mall_url)
    seed_shop(db, {})
    server = LocalMall.for_database(mall_url).start()
    try:
        racers = [Shopper(server.base_url, f"racer{n}") for n in range(2)]
        for racer in racers:
            racer.log_in()
        slot = racers[0].ok("GET", "/stores/S001/pickup-slots")[0]["start"]
        for round_no in range(1, ROUNDS + 1):
            with db.write() as session:
                add_move(session, "S001", "1004", 1, "receive", f"round {round_no}")
            for racer in racers:
                racer.ok("POST", "/cart/items", json={"store_id": "S001", "sku": "1004", "qty": 1})
            answers = race(racers, slot)
            assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
            refused = next(a for a in answers if a.status_code == 409).json()
            assert refused == {"code": "not_enough_stock", "message": "乐事薯片 原味 已售完"}
            assert stock_of(db, "S001", "1004") == (round_no, round_no, 0)
            for racer in racers:  # the loser's cart still holds the crisp; empty it
                racer.ok("PUT", "/cart/items", json={"store_id": "S001", "sku": "1004", "qty": 0})
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(OrderRow)) == ROUNDS
            assert (
                session.scalar(
                    select(func.sum(ReservationRow.qty)).where(ReservationRow.status == "active")
                )
                == ROUNDS
            )
    finally:
        server.stop()
        db.dispose()
