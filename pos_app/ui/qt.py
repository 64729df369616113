"""The one place the UI imports Qt from (Anki's aqt/qt pattern): a Qt upgrade touches only here."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QShortcut,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
    QTextCursor,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import delete, getCppPointer, isValid

__all__ = [
    "QAbstractItemDelegate",
    "QAbstractItemView",
    "QAbstractSpinBox",
    "QAbstractTableModel",
    "QApplication",
    "QButtonGroup",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QDialog",
    "QDialogButtonBox",
    "QDoubleSpinBox",
    "QEvent",
    "QFont",
    "QFontDatabase",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QImage",
    "QKeyEvent",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QListWidget",
    "QListWidgetItem",
    "QMainWindow",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPainter",
    "QPersistentModelIndex",
    "QPlainTextEdit",
    "QProgressBar",
    "QPushButton",
    "QRadioButton",
    "QRect",
    "QShortcut",
    "QShowEvent",
    "QSizePolicy",
    "QSpinBox",
    "QStackedWidget",
    "QStandardItem",
    "QStandardItemModel",
    "QStyledItemDelegate",
    "QTableView",
    "QTableWidget",
    "QTableWidgetItem",
    "QTest",
    "QTextCursor",
    "QTimer",
    "QVBoxLayout",
    "QWidget",
    "QWizard",
    "QWizardPage",
    "Qt",
    "Signal",
    "cpp_address",
    "delete_now",
    "is_alive",
]


def cpp_address(obj: QObject | None) -> int:
    """The C++ address behind a Qt object (0 for None): identity that Python wrappers lack."""
    return 0 if obj is None else int(getCppPointer(obj)[0])


def is_alive(obj: QObject | None) -> bool:
    """False once the C++ side of a Qt object is deleted (a closed dialog, a destroyed widget)."""
    return obj is not None and isValid(obj)


def delete_now(obj: QObject) -> None:
    """Destroy a Qt object's C++ side at once (not later from the event loop)."""
    delete(obj)
