"""Charts of report tables (QtCharts): a line over dates for time series, bars for categories,
horizontal bars for product rankings, with the previous period in grey beside the current one.

Figures are turned into floats (yuan or 万元, percent) only here, to be drawn; the table beside
the chart shows them exactly. Runs on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pos_app.services.report_table import Kind, ReportTable
from pos_app.services.reports import REPORTS_BY_KEY, ReportSpec
from pos_app.ui.backoffice.qt_extra import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTime,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QMargins,
    QPen,
    QValueAxis,
)
from pos_app.ui.backoffice.texts import bt
from pos_app.ui.qt import QColor, QPainter, Qt

CURRENT_COLOR = "#1565c0"
PREVIOUS_COLOR = "#b0bec5"
LABEL_CHARS = 11
SMALL_PT = 9
LABEL_PT = ((12, 7), (3, SMALL_PT))  # more than 12 categories: 7 pt labels; more than 3: 9 pt
NARROW_PX, NARROW_LABELS_FROM, WIDE_PX = 450, 4, 560  # a chart narrower than 450 px: 7 pt
DATE_TICKS = 6
HBAR_REPORTS = frozenset({"top_products", "bottom_products"})
LINE_REPORTS = frozenset(
    {"sales_by_day", "sales_by_week", "basket", "qr_claims"}
)  # many dates: a line
TEN_THOUSAND_YUAN_FEN = 1_000_000
LARGE_YUAN_FEN = 100 * TEN_THOUSAND_YUAN_FEN  # from ¥1,000,000 the axis counts in 万元


@dataclass(frozen=True)
class Series:
    """What a chart draws: the current and (maybe) previous values, and the axis unit."""

    current: list[float]
    previous: list[float] | None
    unit: str

    @property
    def all_values(self) -> list[float]:
        return self.current + (self.previous or [])


def _series(spec: ReportSpec, table: ReportTable) -> Series:
    """The spec.value column (and previous) as chart numbers: 万元 or 元, %, or counts."""
    kind = table.columns[table.index(spec.value)].kind
    has_previous = any(c.key == "previous" for c in table.columns)
    columns = [spec.value, *(["previous"] if has_previous else [])]
    raw = [[int(v) if isinstance(v, int) else 0 for v in table.values(c)] for c in columns]
    divisor, unit = 1, ""
    if kind is Kind.BP:
        divisor, unit = 100, "%"
    elif kind is Kind.FEN:
        large = max((abs(v) for values in raw for v in values), default=0) >= LARGE_YUAN_FEN
        divisor = TEN_THOUSAND_YUAN_FEN if large else 100
        unit = bt("ten_thousand_yuan") if large else bt("yuan")
    drawn = [[v / divisor for v in values] for values in raw]
    return Series(drawn[0], drawn[1] if has_previous else None, unit)


def _msecs(day: date) -> float:
    return float(QDateTime(day.year, day.month, day.day, 12, 0, 0).toMSecsSinceEpoch())


def _value_axis(series: Series) -> QValueAxis:
    axis = QValueAxis()
    values = series.all_values
    top = max([*values, 0.0])
    bottom = min([*values, 0.0])
    if bottom > -0.02 * top:  # a tiny refund below zero should not halve the chart
        bottom = 0.0
    axis.setRange(bottom, top if top > bottom else bottom + 1)
    axis.applyNiceNumbers()
    axis.setLabelFormat("%.0f" if axis.max() - axis.min() >= 10 else "%.1f")
    axis.setTitleText(series.unit)
    axis.setTruncateLabels(False)  # a small chart's axis shows 200000, never "…"
    return axis


def _attach(chart: QChart, axes: list[tuple[QAbstractAxis, Qt.AlignmentFlag]]) -> None:
    for axis, side in axes:
        chart.addAxis(axis, side)
        for series in chart.series():
            series.attachAxis(axis)


def _line_chart(chart: QChart, spec: ReportSpec, table: ReportTable) -> None:
    series = _series(spec, table)
    xs = [_msecs(date.fromisoformat(str(label))) for label in table.values(table.columns[0].key)]
    for values, name, color in (
        (series.previous, "col_previous", PREVIOUS_COLOR),
        (series.current, "this_period", CURRENT_COLOR),
    ):
        if values is not None:
            line = QLineSeries(name=bt(name))
            line.setPen(QPen(QColor(color), 2.0))
            for x, y in zip(xs, values, strict=True):
                line.append(x, y)
            chart.addSeries(line)
    x_axis = QDateTimeAxis()
    x_axis.setFormat("MM-dd")
    x_axis.setTickCount(min(DATE_TICKS, max(2, len(xs))))
    _small_labels(x_axis, SMALL_PT)
    _attach(
        chart,
        [(x_axis, Qt.AlignmentFlag.AlignBottom), (_value_axis(series), Qt.AlignmentFlag.AlignLeft)],
    )


def _small_labels(axis: QAbstractAxis, point_size: int) -> None:
    if point_size:
        font = axis.labelsFont()
        font.setPointSize(point_size)
        axis.setLabelsFont(font)


def _category_names(spec: ReportSpec, table: ReportTable) -> list[str]:
    """Axis labels, unique (a category axis merges equal ones): ranked products carry their
    rank, hours are just the hour."""
    keys = [c.key for c in table.columns]
    if "rank" in keys:
        names = [
            f"{rank}. {name}"
            for rank, name in zip(table.values("rank"), table.values("name"), strict=True)
        ]
    else:
        names = [str(v) for v in table.values(keys[0])]
    if spec.key == "sales_by_hour":
        return [str(int(name[:2])) for name in names]  # "08:00" → "8"
    return [n if len(n) <= LABEL_CHARS else n[: LABEL_CHARS - 1] + "…" for n in names]


def _label_pt(count: int, width_px: int) -> int:
    """Category labels: smaller the more there are, and smallest in a narrow chart."""
    if width_px < NARROW_PX and count > NARROW_LABELS_FROM:
        return LABEL_PT[0][1]
    return next((pt for many, pt in LABEL_PT if count > many), 0)


def _bar_chart(chart: QChart, spec: ReportSpec, table: ReportTable, width_px: int) -> None:
    horizontal = spec.key in HBAR_REPORTS
    series = _series(spec, table)
    names, current, previous = _category_names(spec, table), series.current, series.previous
    if horizontal:  # rank 1 at the top
        names, current = names[::-1], current[::-1]
        previous = previous[::-1] if previous is not None else None
    bars = QHorizontalBarSeries() if horizontal else QBarSeries()
    for values, name, color in (
        (current, "this_period", CURRENT_COLOR),
        (previous, "col_previous", PREVIOUS_COLOR),
    ):
        if values is not None:
            bar_set = QBarSet(bt(name))
            bar_set.setColor(QColor(color))
            bar_set.append(values)
            bars.append(bar_set)
    chart.addSeries(bars)
    categories = QBarCategoryAxis()
    categories.append(names)
    _small_labels(categories, _label_pt(len(names), width_px))
    left, bottom = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom
    _attach(
        chart,
        [
            (categories, left if horizontal else bottom),
            (_value_axis(series), bottom if horizontal else left),
        ],
    )


def report_chart(spec: ReportSpec, table: ReportTable, width_px: int = WIDE_PX) -> QChart:
    """The chart of a (readable) report table: its spec.value column, and `previous` when
    present."""
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    if spec.key in LINE_REPORTS and len(table.rows) > 1:  # one point draws no line: a bar
        _line_chart(chart, spec, table)
    else:
        _bar_chart(chart, spec, table, width_px)
    return chart


def chart_view(name: str) -> QChartView:
    view = QChartView(objectName=name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


def show_chart(view: QChartView, table: ReportTable, title: str = "") -> None:
    """Put the chart of a report table into a view, dropping the chart it showed before."""
    chart = report_chart(REPORTS_BY_KEY[table.report], table, view.width())
    chart.setTitle(title)
    old = view.chart()
    view.setChart(chart)
    old.deleteLater()
