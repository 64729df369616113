"""Every report figure against an independent plain-Python computation over the same rows.

A year of sales is generated once (seeded, about 20 a day, two cost prices per product: the
cost changes at mid-year), then the raw rows are read back with plain SELECTs, no aggregates,
and each figure is recomputed here: grouping by UTC+8 day in Python, rounding half away from
zero with Fractions.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pos_app.demo.data import generate_demo_catalog, seed_demo_store
from pos_app.demo.sales import SalesPlan, generate_sales
from pos_app.services.daily_summary import daily_summary_lines, print_daily_summary
from pos_app.services.printing import send_job
from pos_app.services.report_kpis import key_figures
from pos_app.services.report_payments import payment_mix
from pos_app.services.report_period import Period
from pos_app.services.report_products import (
    bottom_products,
    gross_margin,
    sales_by_category,
    top_products,
)
from pos_app.services.report_receipts import (
    member_share,
    sales_by_cashier,
    sales_by_hour,
    sales_over_time,
)
from pos_app.services.report_refunds import refunds_and_voids
from pos_app.services.report_table import ReportTable, export_csv, export_xlsx
from pos_app.services.reports import REPORTS, run_report
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.settings import set_setting
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.services.report_oracle import Rows, avg, bp, costs, read_rows, time_rows

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
HALF = date(2025, 7, 1)
RANGES = [
    pytest.param(YEAR, id="year"),
    pytest.param(Period(date(2025, 2, 10), date(2025, 5, 20)), id="part-months-at-both-ends"),
    pytest.param(Period(date(2025, 3, 1), date(2025, 3, 31)), id="one-whole-month"),
    pytest.param(Period(date(2025, 6, 15), date(2025, 6, 15)), id="one-day"),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Rows]]:
    """A year of seeded sales; product costs change on 1 July; some products lack a category."""
    path = tmp_path_factory.mktemp("reports") / "till.db"
    upgrade(path)
    db = Database(path)
    seed_demo_store(db)
    generate_demo_catalog(db, 300, seed=3)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE products SET category_id = NULL WHERE id % 17 = 0")
    raw.commit()
    cost_before = costs(raw)
    plan = SalesPlan(first_day=YEAR.first, days=(HALF - YEAR.first).days, sales_per_day=20, seed=5)
    generate_sales(db, plan)
    first_sale_after = raw.execute("SELECT MAX(id) + 1 FROM sales").fetchone()[0]
    raw.execute("UPDATE products SET cost_fen = cost_fen + 7 WHERE id % 3 = 0")
    raw.execute("UPDATE products SET cost_fen = NULL WHERE id % 5 = 0")
    raw.execute("UPDATE products SET cost_fen = 123 WHERE id % 7 = 0 AND cost_fen IS NULL")
    raw.commit()
    raw.close()
    second = SalesPlan(first_day=HALF, days=(YEAR.last - HALF).days + 1, sales_per_day=20, seed=6)
    generate_sales(db, second)
    with sqlite3.connect(path) as raw:  # as the mall would report them: every 7th receipt claimed
        raw.execute(
            "INSERT INTO claimed_receipts SELECT till_id, till_seq, created_at FROM sales"
            " WHERE kind = 'sale' AND till_seq % 7 = 0"
        )
    yield db, read_rows(path, cost_before, first_sale_after)
    db.dispose()


def sql_rounding(db: Database, period: Period) -> int:
    """The 抹零 of the period's receipts, straight from the sales table."""
    with sqlite3.connect(db.path) as raw:
        (fen,) = raw.execute(
            "SELECT COALESCE(SUM(rounding_fen), 0) FROM sales"
            " WHERE date(created_at, '+8 hours') BETWEEN ? AND ?",
            (str(period.first), str(period.last)),
        ).fetchone()
    return int(fen)


def sql_net_sales(db: Database, period: Period) -> int:
    with sqlite3.connect(db.path) as raw:
        (fen,) = raw.execute(
            "SELECT COALESCE(SUM(total_fen), 0) FROM sales"
            " WHERE date(created_at, '+8 hours') BETWEEN ? AND ?",
            (str(period.first), str(period.last)),
        ).fetchone()
    return int(fen)


def days_of(period: Period) -> list[date]:
    return [period.first + timedelta(days=i) for i in range(period.days)]


def monday(day: date) -> str:
    return str(day - timedelta(days=day.weekday()))


@pytest.mark.parametrize("period", RANGES)
def test_sales_by_day_week_month_and_hour_match_the_receipts(
    seeded: tuple[Database, Rows], period: Period
) -> None:
    """Receipts, sales, refunds and net per day, week, month and hour equal the sums here."""
    db, rows = seeded
    days = days_of(period)
    expected = {
        "day": time_rows(rows.receipts_by(period, lambda s: str(s.day)), [str(d) for d in days]),
        "week": time_rows(
            rows.receipts_by(period, lambda s: monday(s.day)),
            list(dict.fromkeys(monday(d) for d in days)),
        ),
        "month": time_rows(
            rows.receipts_by(period, lambda s: str(s.day)[:7]),
            list(dict.fromkeys(str(d)[:7] for d in days)),
        ),
    }
    in_bucket = {
        "week": Counter(monday(d) for d in days),
        "month": Counter(str(d)[:7] for d in days),
    }
    for bucket, counted in in_bucket.items():  # weeks and months say how many days they hold
        expected[bucket] = [(row[0], counted[str(row[0])], *row[1:]) for row in expected[bucket]]
    with db.read() as session:
        for bucket, want in expected.items():
            assert list(sales_over_time(session, period, bucket).rows) == want, bucket
        hours = {
            int(str(h)): sums for h, sums in rows.receipts_by(period, lambda s: s.hour).items()
        }
        span = range(min(hours), max(hours) + 1) if hours else range(0)
        want_hours = time_rows(
            {f"{h:02d}:00": hours.get(h, [0, 0, 0, 0]) for h in span}, [f"{h:02d}:00" for h in span]
        )
        assert list(sales_by_hour(session, period).rows) == want_hours


@pytest.mark.parametrize("period", RANGES)
def test_categories_and_top_and_bottom_products_match_the_lines_sold(
    seeded: tuple[Database, Rows], period: Period
) -> None:
    """Net, lines and share per category, and the top and bottom ten products, to the fen."""
    db, rows = seeded
    per_product: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in rows.lines_in(period):
        per_product[line.product_id][0] += line.qty
        per_product[line.product_id][1] += line.net_fen
        per_category[rows.products[line.product_id].category][0] += 1
        per_category[rows.products[line.product_id].category][1] += line.net_fen
    rounding = sql_rounding(db, period)
    total = sum(net for _, net in per_product.values())
    categories = sorted(per_category.items(), key=lambda item: (-item[1][1], item[0]))
    want_categories = [(name, n, net, bp(net, total + rounding)) for name, (n, net) in categories]
    if rounding:
        want_categories.append(("rounding", 0, rounding, bp(rounding, total + rounding)))

    def ranking(bottom: bool) -> list[tuple[object, ...]]:
        def order(pid: int) -> tuple[int, str]:
            net = per_product[pid][1]
            return (net if bottom else -net, rows.products[pid].sku)

        chosen = sorted(per_product, key=order)[:10]
        return [
            (rank, p.sku, p.name, p.weighed, qty, net, bp(net, total))
            for rank, pid in enumerate(chosen, start=1)
            for p, (qty, net) in [(rows.products[pid], per_product[pid])]
        ]

    with db.read() as session:
        assert list(sales_by_category(session, period).rows) == want_categories
        top = top_products(session, period)
        assert [(*r[:3], bool(r[3]), *r[4:]) for r in top.rows] == ranking(bottom=False)
        low = bottom_products(session, period)
        assert [(*r[:3], bool(r[3]), *r[4:]) for r in low.rows] == ranking(bottom=True)


@pytest.mark.parametrize("period", RANGES)
def test_cashier_payment_and_member_figures_match_the_receipts(
    seeded: tuple[Database, Rows], period: Period
) -> None:
    """Per cashier, per tender and members against walk-ins, with shares and baskets."""
    db, rows = seeded
    cashiers = rows.receipts_by(period, lambda s: s.cashier_id)
    want_cashiers = [
        (rows.staff[int(str(cid))], n, sales, refunds, sales + refunds, avg(sales + refunds, n))
        for cid, (n, sales, refunds, _) in sorted(cashiers.items(), key=lambda i: -i[1][1])
    ]
    kinds = {s.id: s.kind for s in rows.sales_in(period)}
    tenders: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for pay in rows.payments:
        kind = kinds.get(pay.sale_id)
        if kind is not None:
            t = tenders[pay.tender]
            t[0] += kind == "sale"
            t[1 if kind == "sale" else 2] += pay.amount_fen
    net = sum(s + r for _, s, r in tenders.values())
    want_tenders = [
        (name, n, s, r, s + r, bp(s + r, net))
        for name, (n, s, r) in sorted(tenders.items(), key=lambda i: -(i[1][1] + i[1][2]))
    ]
    members = rows.receipts_by(period, lambda s: s.member)
    sales = members[True][1] + members[False][1]
    want_members = [
        (
            label,
            members[flag][0],
            members[flag][1],
            bp(members[flag][1], sales),
            avg(members[flag][1] + members[flag][2], members[flag][0]),
        )
        for flag, label in ((True, "member"), (False, "walk_in"))
    ]
    with db.read() as session:
        assert list(sales_by_cashier(session, period).rows) == want_cashiers
        assert list(payment_mix(session, period).rows) == want_tenders
        assert list(member_share(session, period).rows) == want_members


@pytest.mark.parametrize("period", RANGES)
def test_refunds_and_voids_match_the_refund_receipts_and_the_journal(
    seeded: tuple[Database, Rows], period: Period
) -> None:
    """Refund count and amount from the sales; voided lines and sales from the journal."""
    db, rows = seeded
    refunds = [s for s in rows.sales_in(period) if s.kind == "refund"]
    want = [("refund", len(refunds), sum(s.total_fen for s in refunds))]
    for kind in ("void_line", "void_sale"):
        voids = rows.voids_in(period, kind)
        want.append((kind, len(voids), sum(v.amount_fen for v in voids)))
    with db.read() as session:
        assert list(refunds_and_voids(session, period).rows) == want


@pytest.mark.parametrize("period", RANGES)
def test_gross_margin_uses_the_cost_known_when_each_line_was_sold(
    seeded: tuple[Database, Rows], period: Period
) -> None:
    """Costed net, cost and margin per category use the cost price at the time of sale."""
    db, rows = seeded
    per_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for line in rows.lines_in(period):
        sums = per_category[rows.products[line.product_id].category]
        cost = rows.line_cost(line)
        sums[0] += line.net_fen
        if cost is not None:
            sums[1] += line.net_fen
            sums[2] += cost
    ordered = sorted(per_category.items(), key=lambda item: (-item[1][0], item[0]))
    want = [
        (name, costed, cost, costed - cost, bp(costed - cost, costed), net - costed)
        for name, (net, costed, cost, _) in ordered
    ]
    rounding = sql_rounding(db, period)
    if rounding:
        want.append(("rounding", rounding, 0, rounding, None, 0))
    with db.read() as session:
        assert list(gross_margin(session, period).rows) == want


@pytest.mark.parametrize("period", RANGES)
def test_the_line_reports_tie_out_to_net_sales_with_the_rounding_as_its_own_row(
    seeded: tuple[Database, Rows], period: Period
) -> None:
    """Categories and margin add up to the receipts' net sales to the fen: the 抹零 is a row."""
    db, _rows = seeded
    net = sql_net_sales(db, period)
    assert sql_rounding(db, period) != 0  # the demo history drops odd fen on some sales
    with db.read() as session:
        categories = sales_by_category(session, period)
        margin = gross_margin(session, period)
    assert sum(int(str(v)) for v in categories.values("net_fen")) == net
    assert categories.rows[-1][0] == "rounding"
    costed = sum(int(str(v)) for v in margin.values("costed_net_fen"))
    assert costed + sum(int(str(v)) for v in margin.values("uncosted_net_fen")) == net


def test_key_figures_and_comparisons_match_the_previous_period(
    seeded: tuple[Database, Rows],
) -> None:
    """The dashboard's figures and their change against the previous period of equal length."""
    db, rows = seeded
    period = Period(date(2025, 9, 1), date(2025, 10, 15))

    def figures(p: Period) -> dict[str, int]:
        totals = rows.receipts_by(p, lambda s: 1)[1]
        members = rows.receipts_by(p, lambda s: s.member)[True]
        return {
            "net_fen": totals[1] + totals[2],
            "receipts": totals[0],
            "avg_basket_fen": avg(totals[1] + totals[2], totals[0]),  # 客单价: net ÷ receipts
            "member_share_bp": bp(members[1], totals[1]),
        }

    now, before = figures(period), figures(period.previous())
    with db.read() as session:
        kpis = {k.key: k for k in key_figures(session, period)}
    for key, value in now.items():
        assert (kpis[key].current, kpis[key].previous) == (value, before[key]), key
        assert kpis[key].change_bp == change(key.endswith("_bp"), value, before[key]), key
    assert kpis["qr_claim_share_bp"].current == claim_share(db, period)


def claim_share(db: Database, period: Period) -> int:
    """The QR-claim share computed in plain Python: shop days are UTC+8."""
    raw = sqlite3.connect(db.path)
    rows = raw.execute("SELECT created_at, till_seq FROM sales WHERE kind = 'sale'").fetchall()
    claimed = {seq for (seq,) in raw.execute("SELECT till_seq FROM claimed_receipts")}
    raw.close()
    in_period = [
        seq
        for created, seq in rows
        if period.first
        <= (datetime.fromisoformat(created) + timedelta(hours=8)).date()
        <= period.last
    ]
    return bp(sum(seq in claimed for seq in in_period), len(in_period))


def test_every_report_has_the_previous_periods_value_beside_each_row(
    seeded: tuple[Database, Rows],
) -> None:
    """Time series match bucket by bucket, other rows by name; a ranked product is compared with
    its own net in the previous period, wherever it ranked then."""
    db, rows = seeded
    period = Period(date(2025, 4, 1), date(2025, 4, 30))
    before = period.previous()
    sku_net: dict[object, int] = defaultdict(int)
    for line in rows.lines_in(before):
        sku_net[rows.products[line.product_id].sku] += line.net_fen
    with db.read() as session:
        for spec in REPORTS:
            table = run_report(session, spec.key, period)
            earlier = spec.build(session, before)
            values = [int(str(v)) for v in earlier.values(spec.value)]
            if spec.previous is not None:
                expected = [sku_net.get(sku, 0) for sku in table.values("sku")]
            elif spec.by_position:
                expected = [values[n] if n < len(values) else 0 for n in range(len(table.rows))]
                if "days" in [c.key for c in table.columns]:  # only like buckets compared
                    now, then = shapes(table), shapes(earlier)
                    expected = [
                        v if n < len(then) and then[n] == now[n] else None
                        for n, v in enumerate(expected)
                    ]
            else:
                keyed = dict(zip([r[0] for r in earlier.rows], values, strict=True))
                expected = [keyed.get(r[0], 0) for r in table.rows]
            assert table.values("previous") == expected, spec.key
            points = spec.value.endswith("_bp")
            changes = table.values("change_points" if points else "change_bp")
            for now, then, got in zip(table.values(spec.value), expected, changes, strict=True):
                want = None if then is None else change(points, int(str(now)), then)
                assert got == want, spec.key


def shapes(table: ReportTable) -> list[object]:
    """A week of 7 days or a month of all its days is whole; else its count of days."""
    found: list[object] = []
    for label, days in zip(table.rows, table.values("days"), strict=True):
        text = str(label[0])
        if len(text) == 7:  # a month
            first = date.fromisoformat(text + "-01")
            length = ((first + timedelta(days=32)).replace(day=1) - first).days
        else:
            length = 7
        found.append("whole" if days == length else days)
    return found


def change(points: bool, now: int, then: int) -> int | None:
    """A share changes in percentage points; a figure below zero by the change of its size."""
    if points:
        return now - then
    if not then:
        return None
    if then < 0 and now <= 0:
        return bp(abs(now) - abs(then), abs(then))
    return bp(now - then, abs(then))


def test_a_calendar_month_is_compared_with_the_previous_calendar_month(
    seeded: tuple[Database, Rows],
) -> None:
    """November against October (10-01..10-31, not 10-02..10-31); a quarter against the one
    before; other ranges against the days of equal length just before."""
    assert Period(date(2025, 11, 1), date(2025, 11, 30)).previous() == Period(
        date(2025, 10, 1), date(2025, 10, 31)
    )
    assert Period(date(2025, 3, 1), date(2025, 3, 31)).previous() == Period(
        date(2025, 2, 1), date(2025, 2, 28)
    )
    assert Period(date(2025, 1, 1), date(2025, 3, 31)).previous() == Period(
        date(2024, 10, 1), date(2024, 12, 31)
    )
    assert Period(date(2025, 3, 2), date(2025, 3, 8)).previous() == Period(
        date(2025, 2, 23), date(2025, 3, 1)
    )
    db, _rows = seeded
    with db.read() as session:
        kpis = {
            k.key: k for k in key_figures(session, Period(date(2025, 11, 1), date(2025, 11, 30)))
        }
    assert kpis["net_fen"].previous == sql_net_sales(
        db, Period(date(2025, 10, 1), date(2025, 10, 31))
    )


def test_a_partial_week_says_how_many_days_it_holds_and_is_not_compared_with_a_whole_one(
    seeded: tuple[Database, Rows],
) -> None:
    """Wed 2 April to Wed 30 April: the first week holds 5 days, the last 3, the rest 7; a week
    is compared only with the previous period's week of as many days (else 上期 and 变化 stay
    empty), and November's months compare with the whole of October."""
    db, _rows = seeded
    with db.read() as session:
        weeks = run_report(session, "sales_by_week", Period(date(2025, 4, 2), date(2025, 4, 30)))
        months = run_report(
            session, "sales_by_month", Period(date(2025, 11, 1), date(2025, 11, 30))
        )
    assert weeks.values("days") == [5, 7, 7, 7, 3]
    previous = weeks.values("previous")
    assert previous[0] is None and previous[-1] is None and None not in previous[1:-1]
    assert weeks.values("change_bp")[0] is None
    assert months.values("days") == [30]
    assert months.values("previous") == [
        sql_net_sales(db, Period(date(2025, 10, 1), date(2025, 10, 31)))
    ]


def test_exports_write_every_figure_as_exact_yuan(
    seeded: tuple[Database, Rows], tmp_path: Path
) -> None:
    """CSV and XLSX hold the same rows; fen become yuan with two decimals, shares fractions."""
    db, _rows = seeded
    with db.read() as session:
        table = payment_mix(session, YEAR)
    headers = {"tender": "收款方式", "net_fen": "净额"}
    csv_path = export_csv(table, tmp_path / "mix.csv", headers)
    with csv_path.open(encoding="utf-8-sig") as handle:
        written = list(csv.reader(handle))
    assert written[0][0] == "收款方式" and written[0][4] == "净额"
    for row, record in zip(written[1:], table.as_dicts(), strict=True):
        assert Decimal(row[4]) * 100 == record["net_fen"]
        assert row[4] == f"{Decimal(str(record['net_fen'])) / 100:.2f}"
    book = load_workbook(export_xlsx([("收款", table)], tmp_path / "mix.xlsx", headers))
    sheet = book["收款"]
    for cells, record in zip(
        sheet.iter_rows(min_row=2, values_only=True), table.as_dicts(), strict=True
    ):
        assert Decimal(str(cells[4])) * 100 == record["net_fen"]
        assert Decimal(str(cells[5])) * 10_000 == record["share_bp"]


def test_daily_summary_fits_58mm_paper_and_shows_the_days_net_sales(
    seeded: tuple[Database, Rows],
) -> None:
    """Every row fits 32 printer columns (a Hanzi counts two) and the net is the day's."""
    db, rows = seeded
    day = date(2025, 6, 15)
    totals = rows.receipts_by(Period(day, day), lambda s: 1)[1]
    with db.read() as session:
        lines = daily_summary_lines(session, day, columns=32)
    assert all(sum(1 if ord(ch) < 128 else 2 for ch in line) <= 32 for line in lines)
    net = f"{Decimal(totals[1] + totals[2]) / 100:.2f}"
    assert any(line.startswith("净销售额") and line.endswith(net) for line in lines)


def test_the_daily_summary_prints_on_the_receipt_printer(db: Database) -> None:
    """The summary goes to the printer as one job whose text reads back as the summary."""
    printer = FakePrinter()
    try:
        with db.write() as session:
            set_setting(session, "printer_uri", printer.uri)
        job_id = print_daily_summary(db, date.today())
        send_job(db, job_id)
        [job] = printer.wait_for_jobs(1)
    finally:
        printer.close()
    text = decode_escpos(job).text
    assert "日结汇总" in text and "收款方式" in text


def test_the_demo_history_takes_stored_value_only_from_members(
    seeded: tuple[Database, Rows],
) -> None:
    """A stored-value card belongs to a member: no walk-in sale or refund is paid with one."""
    db, _rows = seeded
    with sqlite3.connect(db.path) as raw:
        by_member = dict(
            raw.execute(
                "SELECT s.member_id IS NOT NULL, COUNT(*) FROM payments p"
                " JOIN sales s ON s.id = p.sale_id WHERE p.kind = 'stored_value'"
                " GROUP BY s.member_id IS NOT NULL"
            ).fetchall()
        )
    assert by_member.get(0, 0) == 0
    assert by_member.get(1, 0) > 0
