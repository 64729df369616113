"""How a change reads: on a dashboard tile, in a report table's 变化 column and on the printed
daily summary (issue 23)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pytestqt.qtbot import QtBot

from pos_app.services.daily_summary import daily_summary_lines
from pos_app.services.refund import refund_sale
from pos_app.services.report_kpis import Kpi
from pos_app.services.report_period import Period
from pos_app.services.report_table import Kind, ReportTable, columns
from pos_app.services.reports import REPORTS, REPORTS_BY_KEY, run_report
from pos_app.store.db import Database
from pos_app.ui.backoffice.charts import report_chart
from pos_app.ui.backoffice.dashboard import BAD, GOOD, Tile, change_text
from pos_app.ui.backoffice.qt_extra import QBarSeries
from pos_app.ui.backoffice.reports_page import fill_model, readable
from pos_app.ui.backoffice.widgets import RowsModel
from tests.conftest import CASHIER_ID, MANAGER_ID
from tests.services.test_report_costs import COLA, at, sell


def test_more_refunds_read_as_more_refunds_in_red() -> None:
    """−72.54 → −314.31 is 333.29 % more refunds, not "−333.29 %"."""
    assert change_text(Kpi("refunds_fen", Kind.FEN, -31431, -7254)) == ("较上期多 333.29 %", BAD)


def test_fewer_refunds_read_as_fewer_refunds_in_green() -> None:
    assert change_text(Kpi("refunds_fen", Kind.FEN, -7254, -73524)) == ("较上期少 90.13 %", GOOD)


def test_a_share_changes_in_percentage_points() -> None:
    """26.68 % after 25.80 % is +0.88 个百分点, not "+3.41 %"."""
    assert change_text(Kpi("margin_bp", Kind.BP, 2668, 2580)) == ("较上期 +0.88 个百分点", GOOD)


def test_sales_still_change_in_percent() -> None:
    assert change_text(Kpi("net_fen", Kind.FEN, 11000, 10000)) == ("较上期 +10.00 %", GOOD)


def test_the_basket_tile_says_how_it_is_computed(qtbot: QtBot) -> None:
    """客单价 is net sales ÷ receipts, refunds counted, and its tile says so."""
    tile = Tile("avg_basket_fen")
    qtbot.addWidget(tile)
    assert tile.toolTip() == "客单价 = 净销售额 (销售额减退货) ÷ 销售笔数，退货计入"


def test_a_one_day_trend_is_drawn_as_a_bar(qtbot: QtBot) -> None:
    """With 今天 selected the 每日净销售额 chart shows the day's net, not an empty line."""
    spec = REPORTS_BY_KEY["sales_by_day"]
    table = ReportTable(
        "sales_by_day",
        columns(
            day=Kind.TEXT,
            receipts=Kind.COUNT,
            sales_fen=Kind.FEN,
            refunds_fen=Kind.FEN,
            net_fen=Kind.FEN,
        ),
        (("2025-06-15", 3, 12345, -345, 12000),),
    )
    chart = report_chart(spec, table)
    [series] = chart.series()
    assert isinstance(series, QBarSeries)
    assert [series.barSets()[0].at(0)] == [120.0]


@pytest.fixture
def refunds_growing(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """Three cans sold on Oct 30; one goes back on Nov 1 (−¥3.50), two on Nov 2 (−¥7.00):
    both days the can's net, the refunds and the day's net are below zero, twice as far."""
    at(monkeypatch, datetime(2025, 10, 30, 12, 0))
    sale_no = sell(db, (COLA, 3))
    for day, cans in ((1, 1), (2, 2)):
        at(monkeypatch, datetime(2025, 11, day, 12, 0))
        refund_sale(
            db, sale_no=sale_no, quantities={1: cans}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
        )
    return db


NOV_2 = date(2025, 11, 2)


def test_a_table_row_below_zero_reads_as_more_not_as_a_plus(refunds_growing: Database) -> None:
    """The can refunded for ¥7.00 after ¥3.50 is "多 100.00 %" in 最差商品's 变化, not "100.00 %";
    every report's table is named after its spec, so the wording finds the compared figure."""
    with refunds_growing.read() as session:
        table = run_report(session, "bottom_products", Period(NOV_2, NOV_2))
        assert {run_report(session, s.key, Period(NOV_2, NOV_2)).report for s in REPORTS} == set(
            REPORTS_BY_KEY
        )
    model = RowsModel()
    fill_model(model, readable(table))
    assert model.cell(0, "上期") == "-¥3.50"
    assert model.cell(0, "变化") == "多 100.00 %"


def test_the_daily_summary_words_refunds_as_more_or_less(refunds_growing: Database) -> None:
    """The printed 日结汇总 says 退货较前一日 多退 100.00%, and the day's net (a net refund) the
    same, never "+100.00%"."""
    with refunds_growing.read() as session:
        lines = daily_summary_lines(session, NOV_2, columns=32)
    assert any(line.startswith("退货较前一日") and line.endswith("多退 100.00%") for line in lines)
    assert any(line.startswith("较前一日") and line.endswith("多退 100.00%") for line in lines)
