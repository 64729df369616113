"""How a key figure's change reads on its dashboard tile."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.services.report_table import Kind, ReportTable, columns
from pos_app.services.reports import REPORTS_BY_KEY, Kpi
from pos_app.ui.backoffice.charts import report_chart
from pos_app.ui.backoffice.dashboard import BAD, GOOD, Tile, change_text
from pos_app.ui.backoffice.qt_extra import QBarSeries


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
