"""Back-office reports over a year of 500,000 sales (about 2,000,000 lines) at 1,000,000 SKUs:
p95 of every report for a one-year range with the previous year beside it (budget 1,000 ms),
with the raw limit beside them (raw sqlite3 reading the same rollup rows a line report and a time
report read for both years, grouped once: what no report can beat), the dashboard's key
figures, low/negative stock pages and a product's history, and the sale
screen's scan-to-line (bench ui-scan) while reports keep computing on another thread (budget
p99 ≤ 20 ms).

The database (bench/data/reports-<skus>-<sales>.db) is the demo catalog plus generated sales,
built once and reused.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from bench.common import DATA_DIR, demo_db, percentile, report
from pos_app.demo.sales import SalesPlan, generate_sales
from pos_app.services.report_period import Period
from pos_app.services.report_worker import ReportProcess, dashboard_figures, report_figures
from pos_app.services.reports import REPORTS
from pos_app.services.stock import low_stock, negative_stock, stock_history
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
REPORT_BUDGET_MS = 1000.0
STOCK_PAGE_BUDGET_MS = 50.0
REORDER_LEVELS_SQL = (
    "UPDATE stock_levels SET reorder_level = 20 + product_id % 200 WHERE product_id % 10 = 0"
)


def reports_db(skus: int, sales: int) -> Path:
    """The demo catalog with a year of `sales` sales, built once in bench/data/."""
    path = DATA_DIR / f"reports-{skus}-{sales}.db"
    ready = path.with_suffix(".ready")
    if not ready.exists():
        for stale in DATA_DIR.glob(f"{path.name}*"):
            stale.unlink()
        shutil.copy(demo_db(skus), path)
        upgrade(path)
        db = Database(path)
        try:
            plan = SalesPlan(first_day=YEAR.first, days=YEAR.days, sales_per_day=sales // YEAR.days)
            generate_sales(db, plan)
            with db.write() as session:  # one product in ten has a reorder level
                session.connection().exec_driver_sql(REORDER_LEVELS_SQL)
        finally:
            db.dispose()
        ready.touch()
    upgrade(path)  # a newer schema than the one the file was built with
    return path


def timed_ms(work: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


RAW_SQL = (
    "SELECT product_id, SUM(net_fen), SUM(cost_fen) FROM report_product_months"
    " WHERE month BETWEEN ? AND ? GROUP BY product_id",
    "SELECT day, SUM(receipts), SUM(total_fen) FROM report_sales_hours"
    " WHERE day BETWEEN ? AND ? GROUP BY day",
)


def raw_reads(path: Path) -> None:
    """Raw sqlite3: the rollup rows of this year and the last, per product and per day."""
    raw = sqlite3.connect(path)
    try:
        for period in (YEAR, YEAR.previous()):
            months = (period.first.isoformat()[:7], period.last.isoformat()[:7])
            days = (period.first.isoformat(), period.last.isoformat())
            raw.execute(RAW_SQL[0], months).fetchall()
            raw.execute(RAW_SQL[1], days).fetchall()
    finally:
        raw.close()


def bench_reports(figures: ReportProcess, repeat: int, path: Path) -> None:
    """Each report as the back office gets it: computed in the report process, with the
    previous year beside it, and sent back; the raw limit first."""
    samples = timed_ms(partial(raw_reads, path), repeat)
    report("report_raw_sqlite3_limit_p95_ms", percentile(samples, 95), "ms", None)
    figures.call(report_figures, "payment_mix", YEAR, True)  # the process has started
    for spec in REPORTS:
        samples = timed_ms(partial(figures.call, report_figures, spec.key, YEAR, True), repeat)
        report(f"report_{spec.key}_p95_ms", percentile(samples, 95), "ms", REPORT_BUDGET_MS)
    samples = timed_ms(lambda: figures.call(dashboard_figures, YEAR, True), repeat)
    report("report_dashboard_p95_ms", percentile(samples, 95), "ms", REPORT_BUDGET_MS)


def bench_stock(db: Database, repeat: int, skus: int) -> None:
    with db.read() as session:
        for name, page in (("low", low_stock), ("negative", negative_stock)):
            samples = timed_ms(partial(page, session), repeat)
            report(
                f"stock_{name}_page_p95_ms_{skus}_skus",
                percentile(samples, 95),
                "ms",
                STOCK_PAGE_BUDGET_MS,
            )
        samples = timed_ms(lambda: stock_history(session, 1), repeat)
        report("stock_history_page_p95_ms", percentile(samples, 95), "ms", STOCK_PAGE_BUDGET_MS)


def _report_forever(figures: ReportProcess, stop: threading.Event, done: list[int]) -> None:
    """Runs on a worker thread, like the back office's runner: every report, again and again."""
    while not stop.is_set():
        for spec in REPORTS:
            figures.call(report_figures, spec.key, YEAR, True)
            done[0] += 1


def bench_scan_during_reports(figures: ReportProcess, scans: int, skus: int) -> None:
    """The ui-scan bench (the real sale screen, its own copy of the catalog) run while the back
    office's report process computes reports; its figures are reported "during_reports"."""
    from bench import ui_scan  # Qt is loaded only for this part

    stop, done = threading.Event(), [0]
    worker = threading.Thread(target=_report_forever, args=(figures, stop, done), daemon=True)
    worker.start()
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            ui_scan.main(["--skus", str(skus), "--scans", str(scans)])
    finally:
        stop.set()
        worker.join()
    report("reports_computed_during_scans", float(done[0]), "reports", None)
    for line in printed.getvalue().splitlines():
        figure = json.loads(line)
        report(
            f"{figure['metric']}_during_reports", figure["value"], figure["unit"], figure["budget"]
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench reports")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--sales", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--no-ui", action="store_true", help="skip the scan-while-reporting part")
    args = parser.parse_args(argv)
    path = reports_db(args.skus, args.sales)
    db, figures = Database(path), ReportProcess(path)
    try:
        with db.read() as session:
            lines = session.connection().exec_driver_sql("SELECT COUNT(*) FROM sale_lines").scalar()
        report("sales_lines_in_database", float(lines or 0), "lines", None)
        bench_reports(figures, args.repeat, path)
        bench_stock(db, args.repeat, args.skus)
        if not args.no_ui:
            bench_scan_during_reports(figures, args.scans, args.skus)
    finally:
        figures.shutdown()
        db.dispose()
    return 0
