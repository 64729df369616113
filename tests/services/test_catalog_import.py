"""Catalog import from CSV and XLSX: a row-by-row report, and nothing half-imported."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from pos_app.cli.catalog import cmd_import
from pos_app.domain.gtin import make_ean13
from pos_app.services.catalog_file import CatalogFileError
from pos_app.services.catalog_import import RowError, import_catalog
from pos_app.services.search import search_products
from pos_app.store.db import Database
from pos_app.store.models import Barcode, Product
from tests.services.catalog_helpers import add_product, empty_till_db

COLA, WATER, NOODLES = (
    make_ean13("690123456789"),
    make_ean13("690987654321"),
    make_ean13("692000000001"),
)
BAD_CHECK_DIGIT = COLA[:-1] + str((int(COLA[-1]) + 1) % 10)

GOOD_CSV = f"""sku,name,price,member_price,cost,unit,barcode,category,weighed,plu
1001,可口可乐 330ml,3.50,3.00,2.10,听,{COLA},饮料,no,
1002,农夫山泉 550ml,2,,,瓶,{WATER}|{NOODLES},饮料,0,
2001,散装 香蕉,6.98,,,,,生鲜,yes,42
"""


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = empty_till_db(tmp_path)
    yield database
    database.dispose()


def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "products.csv"
    path.write_bytes(text.encode(encoding))
    return path


def products(db: Database) -> dict[str, tuple[object, ...]]:
    with db.read() as session:
        rows = session.scalars(select(Product)).all()
        return {
            p.sku: (p.name, p.price_fen, p.member_price_fen, p.unit, p.weighed, p.plu_code)
            for p in rows
        }


def test_a_clean_csv_imports_every_row_with_money_in_fen(db: Database, tmp_path: Path) -> None:
    """Prices in yuan become fen, weighed items get a five-digit PLU and kg as their unit."""
    report = import_catalog(db, write_csv(tmp_path, GOOD_CSV))
    assert (report.written, report.inserted, report.updated, report.errors) == (True, 3, 0, [])
    assert products(db) == {
        "1001": ("可口可乐 330ml", 350, 300, "听", False, None),
        "1002": ("农夫山泉 550ml", 200, None, "瓶", False, None),
        "2001": ("散装 香蕉", 698, None, "kg", True, "00042"),
    }
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Barcode)) == 3
        assert [h.sku for h in search_products(session, "kkkl")] == ["1001"]


def test_broken_rows_are_reported_by_row_and_column_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    """Each problem names its spreadsheet row and column; the good rows are not stored."""
    csv_text = f"""编码,名称,售价,条码,称重
1001,可口可乐,3.50,{COLA},否
1002,,2.00,,否
1003,雪碧,abc,,否
1004,芬达,-1,,否
1005,美年达,3.456,{BAD_CHECK_DIGIT},也许
"""
    report = import_catalog(db, write_csv(tmp_path, csv_text))
    assert not report.written and report.bad_rows == 4
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "名称"),
        (4, "售价"),
        (5, "售价"),
        (6, "条码"),
        (6, "售价"),
        (6, "称重"),
    ]
    assert "check digit" in report.errors[3].message
    assert "不是有效的金额" in report.errors[4].message
    assert str(report.errors[0]) == "第 3 行，名称：为空"
    assert products(db) == {}


def test_a_product_code_the_mall_cannot_take_is_refused_in_chinese(
    db: Database, tmp_path: Path
) -> None:
    """A code with a space or Hanzi would make every sale of the product fail: refused per row."""
    csv_text = "编码,名称,售价\n可乐01,可口可乐,3.50\nA 2,雪碧,3.00\nB-3,芬达,3.00\n"
    report = import_catalog(db, write_csv(tmp_path, csv_text))
    assert [str(e) for e in report.errors] == [
        "第 2 行，编码：“可乐01”只能由字母、数字和英文符号组成，不能有空格或汉字",
        "第 3 行，编码：“A 2”只能由字母、数字和英文符号组成，不能有空格或汉字",
    ]
    assert products(db) == {}


def test_gbk_csv_from_chinese_excel_is_read(db: Database, tmp_path: Path) -> None:
    """A CSV saved by Chinese Excel (GBK) with Chinese headers imports correctly."""
    csv_text = (
        "编码,名称,售价,会员价,单位,条码,分类\r\n"
        f"1001,康师傅 红烧牛肉面,4.50,4.00,袋,{COLA},粮油\r\n"
    )
    report = import_catalog(db, write_csv(tmp_path, csv_text, encoding="gbk"))
    assert report.errors == [] and report.inserted == 1
    assert products(db)["1001"] == ("康师傅 红烧牛肉面", 450, 400, "袋", False, None)


def test_utf8_with_bom_is_read(db: Database, tmp_path: Path) -> None:
    """The BOM Excel puts before UTF-8 does not spoil the first header."""
    report = import_catalog(db, write_csv(tmp_path, GOOD_CSV, encoding="utf-8-sig"))
    assert report.inserted == 3


def test_xlsx_with_numeric_cells_is_read(db: Database, tmp_path: Path) -> None:
    """Barcodes and prices typed as numbers in Excel are read as the text a person sees."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["编码", "名称", "售价", "条码", "称重", "PLU"])
    sheet.append([1001, "可口可乐 330ml", 3.5, int(COLA), "否", None])
    sheet.append([2001, "散装 苹果", 12.9, None, "是", 7])
    path = tmp_path / "products.xlsx"
    workbook.save(path)
    report = import_catalog(db, path)
    assert report.errors == [] and report.inserted == 2
    assert products(db)["1001"][:2] == ("可口可乐 330ml", 350)
    assert products(db)["2001"][4:] == (True, "00007")
    with db.read() as session:
        assert session.get(Barcode, COLA) is not None


def test_a_barcode_twice_in_the_file_is_refused_on_its_second_row(
    db: Database, tmp_path: Path
) -> None:
    """The second row with the same barcode, or the same sku, points back at the first."""
    csv_text = f"sku,name,price,barcode\n1,可乐,3,{COLA}\n2,雪碧,3,{COLA}\n1,芬达,3,\n"
    report = import_catalog(db, write_csv(tmp_path, csv_text))
    assert report.errors == [
        RowError(3, "barcode", f"{COLA} 与第 2 行重复"),
        RowError(4, "sku", "1 与第 2 行重复"),
    ]
    assert products(db) == {}


def test_a_barcode_of_another_product_in_the_catalog_is_refused(
    db: Database, tmp_path: Path
) -> None:
    """A barcode is never moved silently from one product to another."""
    add_product(db, "7", "原有商品", barcode_body="690123456789")
    report = import_catalog(db, write_csv(tmp_path, f"sku,name,price,barcode\n1,可乐,3,{COLA}\n"))
    assert report.errors == [RowError(2, "barcode", f"{COLA} 已经是商品 7 的条码")]
    assert set(products(db)) == {"7"}


def test_skip_bad_imports_the_good_rows_and_reports_the_rest(db: Database, tmp_path: Path) -> None:
    """With skip_bad the good rows go in, in one transaction, and the bad ones are listed."""
    csv_text = GOOD_CSV + "1003,,1.00,,,,,,,\n"
    report = import_catalog(db, write_csv(tmp_path, csv_text), skip_bad=True)
    assert report.written and report.inserted == 3 and report.bad_rows == 1
    assert report.errors[0].row == 5
    assert set(products(db)) == {"1001", "1002", "2001"}


def test_an_existing_sku_is_updated_and_keeps_what_the_file_does_not_say(
    db: Database, tmp_path: Path
) -> None:
    """A new price and name replace the old; member price stays when the file has no column."""
    import_catalog(db, write_csv(tmp_path, GOOD_CSV))
    report = import_catalog(db, write_csv(tmp_path, "编码,名称,售价\n1001,可口可乐 新包装,3.80\n"))
    assert (report.inserted, report.updated) == (0, 1)
    assert products(db)["1001"] == ("可口可乐 新包装", 380, 300, "听", False, None)
    with db.read() as session:
        assert [h.sku for h in search_products(session, "新包装")] == ["1001"]


def test_a_file_without_a_price_column_is_refused_whole(db: Database, tmp_path: Path) -> None:
    """A missing required column is said up front, naming it in Chinese and English."""
    with pytest.raises(CatalogFileError, match="售价/price"):
        import_catalog(db, write_csv(tmp_path, "sku,name\n1,可乐\n"))


def test_pos_import_exits_non_zero_and_says_why(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 1 with the row problems for broken rows, 2 for an unreadable file, 0 when clean."""
    broken = write_csv(tmp_path, "sku,name,price\n1,可乐,x\n")
    assert cmd_import(db, argparse.Namespace(file=broken, skip_bad=False)) == 1
    assert "第 2 行，price" in capsys.readouterr().out
    missing = tmp_path / "nope.csv"
    assert cmd_import(db, argparse.Namespace(file=missing, skip_bad=False)) == 2
    good = write_csv(tmp_path, GOOD_CSV)
    assert cmd_import(db, argparse.Namespace(file=good, skip_bad=False)) == 0
    assert "3 new" in capsys.readouterr().out


def test_upc_e_gtin14_and_full_width_barcodes_are_imported_as_the_code_a_scan_finds(
    db: Database, tmp_path: Path
) -> None:
    """UPC-E 01234558 is stored as its EAN-13 0012345000058, GTIN-14 0 + EAN-13 as the EAN-13,
    full-width digits as ASCII; each is then found by a scan of any of its forms."""
    full_width = WATER.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    text = (
        "sku,name,price,barcode\n"
        "3001,Hershey's 巧克力,15.00,01234558\n"
        f"3002,可口可乐 330ml,3.50,0{COLA}\n"
        f"3003,农夫山泉 550ml,2.00,{full_width}\n"
    )
    report = import_catalog(db, write_csv(tmp_path, text))
    assert (report.written, report.errors) == (True, [])
    with db.read() as session:
        stored = dict(session.execute(select(Barcode.code, Product.sku).join(Product)).all())
        assert stored == {"0012345000058": "3001", COLA: "3002", WATER: "3003"}
        for scanned, sku in (("012345000058", "3001"), ("01234558", "3001"), (COLA, "3002")):
            assert [h.sku for h in search_products(session, scanned)][:1] == [sku]
