"""Figures that tie out to the fen across cost changes (issue 23): a history rung up through the
real services (checkout, refund, receiving) on a real SQLite file, at chosen shop times, with a
cost change between a sale and its refunds, 抹零 sales, and partial and full refunds on the
other side of midnight and of a month end. Every figure of every report is checked against SQL
written here, over the raw rows, with the costs this test set (never the stored line costs)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services import receiving, till
from pos_app.services.checkout import checkout
from pos_app.services.receiving import ReceivingInput, ReceivingLineInput, post_receiving
from pos_app.services.refund import refund_sale
from pos_app.services.report_claims import qr_claims
from pos_app.services.report_kpis import key_figures
from pos_app.services.report_period import Period
from pos_app.services.report_products import gross_margin, sales_by_category, top_products
from pos_app.services.report_receipts import sales_over_time
from pos_app.services.stock import find_product
from pos_app.store.db import Database
from pos_app.store.settings import set_setting
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.report_oracle import bp, half_up

COLA, APPLE = "1001", "2001"  # cola by the can; apples weighed, cost per kg
CST = timedelta(hours=8)
# The costs this test sets, in force from the shop time given: (sku, from, cost_fen)
COSTS = [
    (COLA, datetime(2025, 10, 1), 200),
    (APPLE, datetime(2025, 10, 1), 800),
    (COLA, datetime(2025, 11, 1, 0, 5), 260),
    (APPLE, datetime(2025, 11, 1, 0, 5), 950),
]
OCTOBER = Period(date(2025, 10, 1), date(2025, 10, 31))
NOVEMBER = Period(date(2025, 11, 1), date(2025, 11, 30))
PERIODS = [
    pytest.param(Period(date(2025, 10, 31), date(2025, 10, 31)), id="month-end-day"),
    pytest.param(Period(date(2025, 11, 1), date(2025, 11, 1)), id="first-of-month"),
    pytest.param(OCTOBER, id="october"),
    pytest.param(NOVEMBER, id="november"),
    pytest.param(Period(date(2025, 10, 29), date(2025, 11, 4)), id="week-across-month-end"),
]


def at(monkeypatch: pytest.MonkeyPatch, shop_time: datetime) -> None:
    """What follows happens at this shop time (UTC+8)."""
    moment = (shop_time - CST).replace(tzinfo=UTC)
    monkeypatch.setattr(till, "utc_now", lambda: moment)
    monkeypatch.setattr(receiving, "utc_now", lambda: moment)


def sell(db: Database, *items: tuple[str, int]) -> str:
    """Check out (sku, qty or grams) items paid in cash; returns the sale number."""
    cart = Cart()
    with db.read() as session:
        for sku, qty in items:
            found = find_product(session, barcode_of(sku) if sku == COLA else sku)
            cart.add(found.info, qty=qty)
    paid = checkout(
        db, cart=cart, tenders=[Tender(TenderKind.CASH, 100_000)], cashier_id=CASHIER_ID
    )
    return paid.sale_no


def receive(db: Database, sku: str, qty: int, cost_fen: int) -> None:
    doc = ReceivingInput("果品批发", [ReceivingLineInput(sku, qty, cost_fen)])
    post_receiving(db, doc, actor_id=MANAGER_ID)


@pytest.fixture
def history(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """Oct 31 late evening: two sales with 抹零 at the October costs. Just after midnight the
    costs rise (a receiving), then a partial refund of the first sale and a new sale; on
    Nov 15 the rest of the first sale and part of the second go back."""
    with db.write() as session:
        set_setting(session, "rounding_mode", "jiao_down")
    for sku, start, cost in COSTS[:2]:
        at(monkeypatch, start)
        receive(db, sku, 50_000 if sku == APPLE else 50, cost)
    at(monkeypatch, datetime(2025, 10, 31, 23, 40))
    first = sell(db, (COLA, 3), (APPLE, 1234))  # ¥10.50 + ¥15.92 (1.234 kg × ¥12.90) → 抹零
    at(monkeypatch, datetime(2025, 10, 31, 23, 55))
    sell(db, (APPLE, 777))
    for sku, start, cost in COSTS[2:]:
        at(monkeypatch, start)
        receive(db, sku, 10_000 if sku == APPLE else 10, cost)
    at(monkeypatch, datetime(2025, 11, 1, 0, 20))
    refund_sale(
        db, sale_no=first, quantities={1: 1, 2: 500}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    second = sell(db, (COLA, 4), (APPLE, 333))
    at(monkeypatch, datetime(2025, 11, 15, 10, 0))
    refund_sale(
        db, sale_no=first, quantities={1: 2, 2: 734}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    refund_sale(
        db, sale_no=second, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    yield db


def cost_at(sku: str, sold_at: datetime) -> int:
    """The cost this test set for sku at a shop time."""
    return [cost for s, start, cost in COSTS if s == sku and start <= sold_at][-1]


class Oracle:
    """The raw rows of the history, and each figure from them in SQL and Python written here."""

    def __init__(self, db: Database) -> None:
        self.raw = sqlite3.connect(db.path)

    def close(self) -> None:
        self.raw.close()

    def lines(self, period: Period) -> list[tuple[str, int, int, int, bool, int, int]]:
        """(sku, qty, net, sold qty, weighed, line no, cost) per line in the period; a refund
        line is costed as its share of what the sold line cost when it was sold."""
        rows = self.raw.execute(
            """SELECT l.sku, l.qty, l.net_fen, l.weighed, l.id,
                  coalesce(o.qty, l.qty), coalesce(os.created_at, s.created_at),
                  coalesce((SELECT SUM(-e.qty) FROM sale_lines e
                            WHERE e.original_line_id = l.original_line_id AND e.id < l.id), 0)
               FROM sale_lines l JOIN sales s ON s.id = l.sale_id
               LEFT JOIN sale_lines o ON o.id = l.original_line_id
               LEFT JOIN sales os ON os.id = o.sale_id
               WHERE date(s.created_at, '+8 hours') BETWEEN ? AND ?""",
            (str(period.first), str(period.last)),
        ).fetchall()
        found = []
        for sku, qty, net, weighed, line_id, sold, sold_at, before in rows:
            unit = cost_at(sku, datetime.fromisoformat(sold_at) + CST)
            whole = Fraction(unit * sold, 1000) if weighed else Fraction(unit * sold)
            cost = half_up(whole)  # what the sold line cost
            if qty < 0:  # a refund line: its share, the shares adding up to that exactly
                cost = -(
                    half_up(Fraction(cost * (before - qty), sold))
                    - half_up(Fraction(cost * before, sold))
                )
            found.append((sku, qty, net, sold, bool(weighed), line_id, cost))
        return found

    def scalar(self, sql: str, period: Period) -> int:
        (value,) = self.raw.execute(sql, (str(period.first), str(period.last))).fetchone()
        return int(value or 0)

    def net_sales(self, period: Period) -> int:
        return self.scalar(
            "SELECT SUM(total_fen) FROM sales WHERE date(created_at, '+8 hours') BETWEEN ? AND ?",
            period,
        )

    def rounding(self, period: Period) -> int:
        return self.scalar(
            "SELECT SUM(rounding_fen) FROM sales"
            " WHERE date(created_at, '+8 hours') BETWEEN ? AND ?",
            period,
        )


@pytest.fixture
def oracle(history: Database) -> Iterator[Oracle]:
    found = Oracle(history)
    yield found
    found.close()


def test_the_history_has_what_the_issue_asks_for(history: Database, oracle: Oracle) -> None:
    """抹零 on the sales, a refund after the cost change, partial and whole refunds."""
    assert oracle.rounding(OCTOBER) < 0
    refunds = oracle.lines(NOVEMBER)
    assert any(qty < 0 and -qty < sold for _sku, qty, _n, sold, *_ in refunds)
    assert sum(-qty for sku, qty, *_ in refunds if sku == COLA and qty < 0) == 4  # 3 + 1


@pytest.mark.parametrize("period", PERIODS)
def test_margin_costs_each_line_at_the_cost_it_was_sold_at_and_ties_to_net_sales(
    history: Database, oracle: Oracle, period: Period
) -> None:
    """毛利: costed net, cost, margin and margin % equal the sums here; a refund takes back
    what its sale cost, not the cost of the refund's day; with the 抹零 row the report adds
    up to net sales to the fen."""
    lines = oracle.lines(period)
    net = sum(n for _s, _q, n, *_ in lines)
    cost = sum(c for *_, c in lines)
    rounding = oracle.rounding(period)
    want = [("", net, cost, net - cost, bp(net - cost, net), 0)] if lines else []
    if rounding:
        want.append(("rounding", rounding, 0, rounding, None, 0))
    with history.read() as session:
        margin = gross_margin(session, period)
        categories = sales_by_category(session, period)
        kpis = {k.key: k for k in key_figures(session, period)}
    assert list(margin.rows) == want
    assert sum(int(str(v)) for v in margin.values("costed_net_fen")) == oracle.net_sales(period)
    assert sum(int(str(v)) for v in categories.values("net_fen")) == oracle.net_sales(period)
    assert kpis["margin_fen"].current == net - cost + rounding
    assert kpis["margin_bp"].current == bp(net - cost + rounding, net + rounding)
    assert kpis["net_fen"].current == oracle.net_sales(period)


def test_a_fully_refunded_sale_leaves_no_margin_after_a_cost_change(
    history: Database, oracle: Oracle
) -> None:
    """The first sale (sold at October costs) is refunded whole in November, half of it after
    the cost rose: over both months its lines' cost and net both come to zero."""
    both = Period(OCTOBER.first, NOVEMBER.last)
    with sqlite3.connect(history.path) as raw:
        (first_id,) = raw.execute("SELECT MIN(id) FROM sales WHERE kind = 'sale'").fetchone()
        (net, cost) = raw.execute(
            "SELECT SUM(net_fen), SUM(line_cost_fen) FROM sale_lines l JOIN sales s"
            " ON s.id = l.sale_id WHERE s.id = ? OR s.original_sale_id = ?",
            (first_id, first_id),
        ).fetchone()
    assert (net, cost) == (0, 0)
    with history.read() as session:
        margin = gross_margin(session, both)
    assert [r[2] for r in margin.rows if r[0] == ""] == [sum(c for *_, c in oracle.lines(both))]


@pytest.mark.parametrize("period", PERIODS)
def test_time_and_product_reports_match_the_raw_rows(
    history: Database, oracle: Oracle, period: Period
) -> None:
    """Per day net (sales and refunds on their own day) and the product ranking's net and qty."""
    with history.read() as session:
        days = {r[0]: r[1:] for r in sales_over_time(session, period, "day").rows}
        top = {r[1]: (r[4], r[5]) for r in top_products(session, period).rows}
    for label, (receipts, sales, refunds, net) in days.items():
        day = Period(date.fromisoformat(str(label)), date.fromisoformat(str(label)))
        assert net == oracle.net_sales(day) == sales + refunds
        assert receipts == oracle.scalar(
            "SELECT COUNT(*) FROM sales WHERE kind = 'sale'"
            " AND date(created_at, '+8 hours') BETWEEN ? AND ?",
            day,
        )
    per_sku: dict[str, list[int]] = {}
    for sku, qty, net, *_ in oracle.lines(period):
        sums = per_sku.setdefault(sku, [0, 0])
        sums[0] += qty
        sums[1] += net
    assert top == {sku: (qty, net) for sku, (qty, net) in per_sku.items()}


def test_qr_claims_per_shop_day_match_the_raw_sales(history: Database) -> None:
    """Receipts counted in the hourly rollup and claims found by till number agree with the
    sales themselves; a claimed refund is no claimed receipt."""
    raw = sqlite3.connect(history.path)
    sales = raw.execute("SELECT till_id, till_seq, created_at, kind FROM sales ORDER BY id")
    rows = sales.fetchall()
    claimed = rows[::2]
    raw.executemany(
        "INSERT INTO claimed_receipts (till_id, till_seq, claimed_at) VALUES (?, ?, ?)",
        [(till, seq, created) for till, seq, created, _kind in claimed],
    )
    raw.commit()
    raw.close()
    period = Period(date(2025, 10, 30), date(2025, 11, 16))
    expected = []
    for n in range(period.days):
        day = period.first + timedelta(days=n)
        sold = [
            row
            for row in rows
            if row[3] == "sale" and (datetime.fromisoformat(row[2]) + CST).date() == day
        ]
        claims = sum(row in claimed for row in sold)
        expected.append((day.isoformat(), claims, len(sold), bp(claims, len(sold))))
    with history.read() as session:
        assert qr_claims(session, period).rows == tuple(expected)
    assert any(claims for _, claims, _, _ in expected)
