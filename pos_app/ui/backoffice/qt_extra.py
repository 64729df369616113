"""Qt classes the back office needs beyond pos_app/ui/qt.py (charts, dates, tabs, file dialogs).

pos_app/ui/qt.py stays the one module the till's own screens import Qt from; importing it here
also applies its PySide6 workaround. These names can move into qt.py when it suits.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QMargins
from PySide6.QtGui import QBrush, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QScrollArea,
    QSplitter,
    QTabWidget,
)

import pos_app.ui.qt  # noqa: F401  (applies its PySide6 workaround)

__all__ = [
    "QAbstractAxis",
    "QBarCategoryAxis",
    "QBarSeries",
    "QBarSet",
    "QBrush",
    "QChart",
    "QChartView",
    "QCheckBox",
    "QDate",
    "QDateEdit",
    "QDateTime",
    "QDateTimeAxis",
    "QFileDialog",
    "QHorizontalBarSeries",
    "QLineSeries",
    "QMargins",
    "QPen",
    "QResizeEvent",
    "QScrollArea",
    "QSplitter",
    "QTabWidget",
    "QValueAxis",
]
