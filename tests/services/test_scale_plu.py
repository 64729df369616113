"""Label scales and the till agree: the PLU file for the scale software, and the report of scale
labels whose printed price is not the till's price for the printed weight."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pos_app.cli import main
from pos_app.domain.cart import Cart
from pos_app.domain.scale_layouts import ScaleLayout, make_scale_barcode
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.scale_plu import plu_file, scale_price_mismatches, weighed_plus
from pos_app.services.selling import add_scanned_item
from pos_app.services.till import scale_layouts, scan_rules
from pos_app.store.db import Database
from pos_app.store.models import Product
from tests.conftest import CASHIER_ID

# The vendor's PLU.txt sample line for a counted item (Aclas DWL PLU format), verbatim.
VENDOR_SAMPLE_LINE = (
    "PLU\t2\t10002\t1234567890123\t2\t500,2\t0,0\t0,0\t0\t0\t0\t0\t0\t0\t9\tMineral water"
    "\t\t\t\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0,0\t0,0\t0\t127\t0,0\t0,0\t0,0\t0"
    "\t127\t0,0\t0,0\t0,0\t0\t127\t0,0\t0,0\t0,0\t0\t127\t0,0\t0,0\t0,0\t0\t0\t0\t0\t0\t0\t0\t"
)


def test_the_aclas_plu_file_lists_weighed_items_in_the_vendors_layout(db: Database) -> None:
    """DWL header, one PLU line per item with the PLU, item code, by-weight flag, 12.90 as
    "1290,2" and the Chinese name (GBK), every other field where the vendor's sample has it."""
    with db.read() as session:
        items = weighed_plus(session)
    lines = plu_file(items, "aclas").decode("gbk").split("\r\n")
    assert lines[0] == "DWL\tPLU\t" and lines[-2:] == ["END\tPLU\t", ""]
    [apples] = [line.split("\t") for line in lines[1:-2]]
    assert (apples[1], apples[2], apples[4], apples[5], apples[15]) == (
        "42",
        "00042",
        "1",
        "1290,2",
        "散装苹果",
    )
    vendor = VENDOR_SAMPLE_LINE.split("\t")
    mine = {i: field for i, field in enumerate(apples) if i not in (1, 2, 3, 4, 5, 15)}
    assert len(apples) == len(vendor)
    assert mine == {i: field for i, field in enumerate(vendor) if i not in (1, 2, 3, 4, 5, 15)}


def test_the_csv_plu_file_opens_in_excel_with_chinese_headers(db: Database) -> None:
    """UTF-8 with BOM; price in yuan; 称重 for weighed goods."""
    with db.read() as session:
        data = plu_file(weighed_plus(session), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["PLU号", "货号", "品名", "单价(元)", "计价方式"],
        ["42", "00042", "散装苹果", "12.90", "称重"],
    ]


PRICE_AND_WEIGHT = ScaleLayout.parse_spec("20-24:FFCCCCCPPPPPWWWWWK")


def scale_label(plu: str, price_fen: int, weight_g: int) -> str:
    """An 18-digit label as a scale prints it: 20, item code, price, weight, check digit."""
    return make_scale_barcode(PRICE_AND_WEIGHT, plu, price_fen=price_fen, weight_g=weight_g)


def sell(db: Database, *codes: str) -> None:
    cart = Cart()
    with db.read() as session:
        rules = scan_rules(session)
        for code in codes:
            add_scanned_item(session, cart, code, rules)
    checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 100_000)], cashier_id=CASHIER_ID)


def test_a_scale_still_on_an_old_price_shows_up_in_the_mismatch_report(db: Database) -> None:
    """Two apple labels: 1.000 kg at ¥12.90 agrees; 0.500 kg at ¥6.95 was priced at ¥13.90/kg
    by a scale that missed the last price change — reported with the exact difference."""
    good = scale_label("00042", 1290, 1000)
    stale = scale_label("00042", 695, 500)
    sell(db, good, stale)
    with db.read() as session:
        [mismatch] = scale_price_mismatches(session, scale_layouts(session))
    assert (mismatch.barcode, mismatch.sku, mismatch.weight_g) == (stale, "2001", 500)
    assert (mismatch.label_fen, mismatch.till_fen, mismatch.difference_fen) == (695, 645, 50)
    assert mismatch.scale_price_per_kg_fen == 1390


def test_after_a_price_change_the_export_carries_the_new_price(db: Database) -> None:
    """Change the till's price, export again: the scale file has it."""
    with db.write() as session:
        apples = session.query(Product).filter_by(sku="2001").one()
        apples.price_fen = 1390
    with db.read() as session:
        [item] = weighed_plus(session)
    assert item.price_fen == 1390
    assert "1390,2" in plu_file([item], "aclas").decode("gbk")


def test_the_cli_writes_the_file_and_reports_mismatches(db: Database, tmp_path: Path) -> None:
    """`pos plu-export` writes the file; `pos scale-price-report` lists the stale label, exit 1."""
    out = tmp_path / "plu.txt"
    assert main(["--db", str(db.path), "plu-export", str(out)]) == 0
    assert "散装苹果" in out.read_bytes().decode("gbk")
    assert main(["--db", str(db.path), "scale-price-report"]) == 0
    sell(db, scale_label("00042", 695, 500))
    assert main(["--db", str(db.path), "scale-price-report"]) == 1
