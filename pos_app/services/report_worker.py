"""Where report figures are computed: in a separate, lower-priority process by default, so a
year of figures never holds the GIL the till's GUI thread needs (a scan still reaches the
screen within its budget while the back office computes), or in the calling thread for tests
and scripts.

A call is `runner.call(fn, *args)`; fn is a module-level function fn(db, *args) whose result
pickles (report tables and key figures do). The process is spawned, never forked from a process
that runs Qt threads, and opens its own read engine on the database file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pos_app.services.report_kpis import Kpi, key_figures
from pos_app.services.report_period import Period
from pos_app.services.report_table import ReportTable
from pos_app.services.reports import REPORTS, run_report
from pos_app.store.db import Database

T = TypeVar("T")
WORKER_NICENESS = 10  # the GUI and the checkout come first
DASHBOARD_TOP = 5

_worker_db: Database | None = None


class ReportRunner(Protocol):
    def call(self, fn: Callable[..., T], *args: Any) -> T: ...

    def shutdown(self) -> None: ...


class InProcessReports:
    """Runs fn(db, *args) in the calling thread."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(self.db, *args)

    def shutdown(self) -> None:
        """Nothing to stop."""


def _start_worker(path: str) -> None:
    """This runs in the report process when it starts."""
    global _worker_db
    with contextlib.suppress(OSError, AttributeError):  # no os.nice() on Windows
        os.nice(WORKER_NICENESS)
    _worker_db = Database(Path(path))


def _call_in_worker(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    """This runs in the report process."""
    assert _worker_db is not None, "the report process was not started with a database"
    return fn(_worker_db, *args)


class ReportProcess:
    """One spawned process that computes reports one at a time. call() blocks the calling
    (worker) thread while it waits, without holding the GIL."""

    def __init__(self, db_path: Path) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=get_context("spawn"),
            initializer=_start_worker,
            initargs=(str(db_path),),
        )

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        return self._pool.submit(_call_in_worker, fn, args).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# --- what the back office asks for (module-level, so they pickle by name) ---------------------


def report_figures(db: Database, key: str, period: Period, compare: bool) -> ReportTable:
    with db.read() as session:
        return run_report(session, key, period, compare=compare)


def every_report(db: Database, period: Period, compare: bool) -> list[ReportTable]:
    """Every report, for one workbook."""
    with db.read() as session:
        return [run_report(session, spec.key, period, compare=compare) for spec in REPORTS]


@dataclass(frozen=True)
class DashboardFigures:
    kpis: dict[str, Kpi]
    trend: ReportTable
    top: ReportTable
    mix: ReportTable


def dashboard_figures(db: Database, period: Period, compare: bool) -> DashboardFigures:
    """Key figures, net sales per day, the best sellers and the payment mix, in one snapshot."""
    with db.read() as session:
        kpis = {kpi.key: kpi for kpi in key_figures(session, period)}
        trend = run_report(session, "sales_by_day", period, compare=compare)
        top = run_report(session, "top_products", period, compare=False)
        mix = run_report(session, "payment_mix", period, compare=compare)
    top = ReportTable(top.report, top.columns, top.rows[:DASHBOARD_TOP])
    return DashboardFigures(kpis, trend, top, mix)
