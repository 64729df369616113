"""Reading a product list as a spreadsheet exports it: CSV (UTF-8 with or without BOM, GBK /
GB18030 as Chinese Excel writes it, UTF-16) or XLSX, into rows of text keyed by field name.

Headers may be English or Chinese (sku/编码, name/名称, price/售价, ...); the header as written
in the file is kept so that error messages can point at the column the person sees.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pos_app.services.errors import ServiceError

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "code", "编码", "商品编码", "商品编号", "货号", "自编码"),
    "name": ("name", "名称", "商品名称", "商品名", "品名"),
    "price": ("price", "售价", "零售价", "销售价", "价格"),
    "member_price": ("member_price", "member price", "会员价"),
    "cost": ("cost", "进价", "进货价", "成本价"),
    "unit": ("unit", "单位"),
    "barcode": ("barcode", "barcodes", "条码", "条形码", "商品条码", "国际条码"),
    "category": ("category", "分类", "类别", "商品分类"),
    "weighed": ("weighed", "称重"),
    "plu": ("plu", "plu码"),
}
REQUIRED_FIELDS = ("name", "price")
_FIELD_OF_HEADER = {alias: field for field, aliases in FIELD_ALIASES.items() for alias in aliases}
_DELIMITERS = (",", "\t", ";")


class CatalogFileError(ServiceError):
    """The file cannot be read as a product list at all; the message says why."""


@dataclass(frozen=True)
class TableRow:
    """One data row: its row number as the spreadsheet shows it, and its cells by field."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    """The rows of a product list and the header each field had in the file."""

    headers: dict[str, str]
    rows: list[TableRow]

    def header(self, field: str) -> str:
        """The column name to show for a field: as written in the file, else the English one."""
        return self.headers.get(field, field)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise CatalogFileError(
            "文件既不是 UTF-8 也不是 GBK 文本：请在 Excel 中另存为 CSV 或 XLSX"
        ) from error


def _csv_records(path: Path) -> list[list[str]]:
    text = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees (6901234567892, not 6.901234567892e12)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _xlsx_records(path: Path) -> list[list[str]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise CatalogFileError(f"{path.name} 不是可以读取的 XLSX 表格：{error}") from error
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _field_map(header_row: Iterable[str]) -> dict[int, tuple[str, str]]:
    """Column index → (field, header as written) for the headers we know."""
    found: dict[int, tuple[str, str]] = {}
    for index, header in enumerate(header_row):
        field = _FIELD_OF_HEADER.get(header.strip().lower())
        if field is not None:
            found[index] = (field, header.strip())
    return found


def _rows(records: list[list[str]], columns: dict[int, tuple[str, str]]) -> Iterator[TableRow]:
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {field: "" for field, _ in columns.values()}
        for index, (field, _) in columns.items():
            if index < len(record):
                cells[field] = record[index].strip()
        yield TableRow(number, cells)


def read_table(path: Path) -> Table:
    """Read a CSV or XLSX product list. Raises CatalogFileError if it cannot be read at all,
    or if the header row lacks a required column (名称/name, 售价/price)."""
    if not path.is_file():
        raise CatalogFileError(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        records = _xlsx_records(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        records = _csv_records(path)
    else:
        raise CatalogFileError(f"{path.name}：只能导入 .csv 或 .xlsx 格式的商品表")
    if not records:
        raise CatalogFileError(f"{path.name} 是空文件")
    columns = _field_map(records[0])
    headers = {field: header for field, header in columns.values()}
    missing = [f"{FIELD_ALIASES[f][1]}/{f}" for f in REQUIRED_FIELDS if f not in headers]
    if missing:
        raise CatalogFileError(
            f"{path.name}：第一行需要有这些列：{'、'.join(missing)}；"
            f"现在的列是：{'、'.join(h for h in records[0] if h) or '（空）'}"
        )
    return Table(headers, list(_rows(records, columns)))


TEMPLATE_HEADERS = (
    "商品条码",
    "商品名称",
    "零售价",
    "会员价",
    "进货价",
    "单位",
    "商品分类",
    "商品编码",
)
TEMPLATE_EXAMPLE = ("6901234567892", "可口可乐 330ml", "3.50", "3.00", "2.10", "瓶", "饮料", "")


def write_template(path: Path) -> Path:
    """An XLSX product list to fill in, with the headers Chinese POS exports use and one example
    row; the barcode column is text, so Excel keeps leading zeros and all 13 digits."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "商品"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(TEMPLATE_EXAMPLE)
    for row in sheet.iter_rows(min_col=1, max_col=1):
        row[0].number_format = "@"
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 28
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
