"""The day's figures in a few lines for the receipt printer (日结汇总): net sales, receipts,
basket, refunds, voids, member share, margin, tenders and the three best sellers, each row fitted
to the paper's columns (a Hanzi takes two).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from pos_app.domain.print_jobs import JobKind
from pos_app.hardware.escpos_render import PrinterProfile, render_job
from pos_app.hardware.layout import TextRow, center, left_right, printable
from pos_app.hardware.receipt_layout import TENDER_LABELS, yuan
from pos_app.services.printing import enqueue_job
from pos_app.services.report_kpis import Kpi, key_figures
from pos_app.services.report_payments import payment_mix
from pos_app.services.report_period import Period
from pos_app.services.report_products import top_products
from pos_app.services.report_table import ReportTable
from pos_app.store.db import Database
from pos_app.store.settings import get_setting

WEEKDAYS = "一二三四五六日"
TOP_SELLERS = 3


def _percent(bp: int | None, *, signed: bool = False) -> str:
    if bp is None:
        return "-"
    return f"{Decimal(bp) / 100:{'+' if signed else ''}.2f}%"


def _change(kpi: Kpi) -> str:
    """The change against the day before: +12.34%, or for money going out 多退 / 少退 12.34%."""
    way, change = kpi.more_or_less, kpi.change_bp
    if way is None or change is None:
        return _percent(change, signed=True)
    return f"{'多退' if way == 'more' else '少退'} {_percent(abs(change))}"


def _figure_rows(figures: dict[str, Kpi], cols: int) -> list[str]:
    def value(key: str) -> int:
        return figures[key].current or 0

    pairs = [
        ("净销售额", yuan(value("net_fen"))),
        ("较前一日", _change(figures["net_fen"])),
        ("销售笔数", str(value("receipts"))),
        ("客单价", yuan(value("avg_basket_fen"))),
        (f"退货 {value('refund_receipts')} 笔", yuan(value("refunds_fen"))),
        ("退货较前一日", _change(figures["refunds_fen"])),
        ("删行 / 整单作废", f"{value('void_lines')} / {value('void_sales')}"),
        ("会员销售占比", _percent(value("member_share_bp"))),
        ("毛利 (已知成本)", yuan(value("margin_fen"))),
        ("毛利率", _percent(value("margin_bp"))),
    ]
    return [row for left, right in pairs for row in left_right(left, right, cols)]


def _table_rows(table: ReportTable, label_key: str, cols: int) -> list[str]:
    rows = []
    for record in table.as_dicts():
        label = str(record[label_key])
        label = TENDER_LABELS.get(label, printable(label))
        rows += left_right(f" {label}", yuan(int(record["net_fen"])), cols)  # type: ignore[call-overload]
    return rows


def daily_summary_lines(session: Session, day: date, *, columns: int) -> list[str]:
    """The summary of one business day as rows of at most `columns` printer columns."""
    period = Period(day, day)
    rule = "-" * columns
    figures = {kpi.key: kpi for kpi in key_figures(session, period)}
    store = printable(str(get_setting(session, "store_name") or ""))
    return [
        center(store, columns),
        center("日结汇总", columns),
        center(f"{day.isoformat()} 星期{WEEKDAYS[day.weekday()]}", columns),
        rule,
        *_figure_rows(figures, columns),
        rule,
        "收款方式",
        *_table_rows(payment_mix(session, period), "tender", columns),
        rule,
        "热销前三",
        *_table_rows(top_products(session, period, TOP_SELLERS), "name", columns),
        rule,
    ]


def print_daily_summary(db: Database, day: date) -> int:
    """Queue the day's summary for the receipt printer; returns the print job id."""

    def render(session: Session, profile: PrinterProfile) -> bytes:
        lines = daily_summary_lines(session, day, columns=profile.columns)
        return render_job([TextRow(line) for line in lines], profile)

    return enqueue_job(db, JobKind.REPORT, render)
