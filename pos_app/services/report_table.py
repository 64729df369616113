"""The one shape every report has: typed columns and rows of plain values (money in integer
fen, shares in basis points, quantities in units or grams), with export to CSV and XLSX.

Headers are given by the caller (the UI knows the language); amounts are written as yuan with
exactly two decimals, never through float.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from openpyxl import Workbook

from pos_app.domain.money import FEN_PER_YUAN

GRAMS_PER_KG = 1000


class Kind(StrEnum):
    """How a column's values are to be read."""

    TEXT = "text"
    COUNT = "count"
    FEN = "fen"
    BP = "bp"  # basis points: 1234 = 12.34 %
    QTY = "qty"  # units, or grams when the row's "weighed" column is true
    FLAG = "flag"


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind


def columns(**kinds: Kind) -> tuple[Column, ...]:
    """Columns in order: columns(day=Kind.TEXT, net_fen=Kind.FEN)."""
    return tuple(Column(key, kind) for key, kind in kinds.items())


@dataclass(frozen=True)
class ReportTable:
    """A report's figures; `report` names it."""

    report: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]

    def index(self, key: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    def values(self, key: str) -> list[object]:
        i = self.index(key)
        return [row[i] for row in self.rows]

    def as_dicts(self) -> list[dict[str, object]]:
        keys = [column.key for column in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]

    def visible_columns(self) -> tuple[Column, ...]:
        """The columns a person reads (the weighed flag only changes how qty is shown)."""
        return tuple(c for c in self.columns if c.kind is not Kind.FLAG)


def _weighed(table: ReportTable, row: Sequence[object]) -> bool:
    flags = [i for i, c in enumerate(table.columns) if c.kind is Kind.FLAG]
    return bool(flags and row[flags[0]])


def grouped_fen(amount_fen: int) -> str:
    """Yuan with thousands separators, for report figures: 192092326 → "¥1,920,923.26"."""
    yuan, fen = divmod(abs(amount_fen), FEN_PER_YUAN)
    return f"{'-' if amount_fen < 0 else ''}¥{yuan:,}.{fen:02d}"


def figure_text(kind: Kind, value: object, *, weighed: bool = False) -> str:
    """A figure as shown on screen: ¥12.30, 12.34 %, 1.250 kg, 8; "" for nothing."""
    if value is None:
        return ""
    if not isinstance(value, int) or isinstance(value, bool):
        return str(value)
    if kind is Kind.FEN:
        return grouped_fen(value)
    if kind is Kind.BP:
        return f"{Decimal(value) / 100:.2f} %"
    if kind is Kind.QTY and weighed:
        return f"{Decimal(value) / GRAMS_PER_KG:.3f} kg"
    return str(value)


def cell_text(table: ReportTable, row: Sequence[object], column: Column) -> str:
    """A cell as shown on screen (see figure_text)."""
    return figure_text(column.kind, row[table.index(column.key)], weighed=_weighed(table, row))


def export_value(table: ReportTable, row: Sequence[object], column: Column) -> object:
    """A value for a spreadsheet: yuan and percent as exact decimals, kg for weighed goods."""
    value = row[table.index(column.key)]
    if not isinstance(value, int):
        return value
    if column.kind is Kind.FEN:
        return Decimal(value) / FEN_PER_YUAN
    if column.kind is Kind.BP:
        return Decimal(value) / 10_000
    if column.kind is Kind.QTY and _weighed(table, row):
        return Decimal(value) / GRAMS_PER_KG
    return value


def _header_row(table: ReportTable, headers: Mapping[str, str]) -> list[str]:
    return [headers.get(column.key, column.key) for column in table.visible_columns()]


def export_csv(table: ReportTable, path: Path, headers: Mapping[str, str]) -> Path:
    """Write the table as UTF-8 CSV with a BOM (Excel on a Chinese Windows opens it right)."""
    columns = table.visible_columns()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_header_row(table, headers))
        for row in table.rows:
            writer.writerow([_csv_text(table, row, c) for c in columns])
    return path


def _csv_text(table: ReportTable, row: Sequence[object], column: Column) -> str:
    value = export_value(table, row, column)
    if column.kind is Kind.FEN and isinstance(value, Decimal):
        return f"{value:.2f}"
    return "" if value is None else str(value)


_XLSX_FORMATS = {Kind.FEN: "#,##0.00", Kind.BP: "0.00%", Kind.QTY: "#,##0.###"}


def export_xlsx(
    tables: Sequence[tuple[str, ReportTable]], path: Path, headers: Mapping[str, str]
) -> Path:
    """Write each (sheet title, table) as one sheet; yuan and percent cells are formatted."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, table in tables:
        sheet = book.create_sheet(title[:31])
        sheet.append(_header_row(table, headers))
        columns = table.visible_columns()
        for row in table.rows:
            sheet.append([export_value(table, row, c) for c in columns])
        for i, column in enumerate(columns, start=1):
            number_format = _XLSX_FORMATS.get(column.kind)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = number_format
    book.save(path)
    return path
