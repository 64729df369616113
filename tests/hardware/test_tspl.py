"""TSPL shelf labels on 40x30, 50x30 and 60x40 mm stock: parsed back, bitmaps scanned by zxing."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from sqlalchemy import select

from pos_app.domain.gtin import make_ean13
from pos_app.hardware.labels import PriceLabel
from pos_app.hardware.tspl import LABEL_STOCK, draw_small_label, render_tspl_job
from pos_app.services.catalog_admin import save_product
from pos_app.services.device_settings import DeviceSettings, save_device_settings
from pos_app.services.printing import send_job
from pos_app.services.shelf_labels import print_pending_labels
from pos_app.store.db import Database
from pos_app.store.models import PrintJob
from tests.conftest import CASHIER_ID, MANAGER_ID
from tests.hardware.tspl_decode import parse_tspl
from tests.services.test_catalog_admin import TEA

TEA_URL = "https://mall.example.cn/p/3001?s=S001"

APPLES = PriceLabel(
    sku="2001",
    name="烟台红富士苹果（特级）新鲜直供果园精选大果",
    unit="kg",
    price_fen=1290,
    member_price_fen=1190,
    ean13=make_ean13("690123400001"),
    qr_url="https://mall.example.cn/p/2001?s=S001",
)
COLA = PriceLabel(
    "1001",
    "可口可乐 330ml",
    "罐",
    350,
    None,
    make_ean13("690123456789"),
    "https://mall.example.cn/p/1001?s=S001",
)


def scanned(label_image: object) -> set[tuple[str, str]]:
    found = zxingcpp.read_barcodes(label_image.convert("L"))  # type: ignore[attr-defined]
    return {(str(code.format), code.text) for code in found}


@pytest.mark.parametrize("size", sorted(LABEL_STOCK))
def test_each_stock_size_prints_a_label_whose_codes_scan(size: str) -> None:
    """SIZE, GAP and one BITMAP the size of the stock; zxing finds the EAN-13 and the QR."""
    stock = LABEL_STOCK[size]
    job = parse_tspl(render_tspl_job([APPLES, COLA], stock))
    width_mm, height_mm = size.split("x")
    assert job.setting("SIZE") == f"{width_mm} mm,{height_mm} mm"
    assert job.setting("GAP") == "2 mm,0 mm"
    assert [label.copies for label in job.labels] == ["1,1", "1,1"]
    for label, printed in zip((APPLES, COLA), job.labels, strict=True):
        assert printed.image.size == (int(width_mm) * 8, int(height_mm) * 8)
        assert scanned(printed.image) == {("EAN-13", label.ean13), ("QR Code", label.qr_url)}


def test_chinese_is_drawn_so_the_job_needs_no_printer_font() -> None:
    """No TEXT command and no code page: outside the bitmap the job is plain ASCII."""
    job = parse_tspl(render_tspl_job([APPLES], LABEL_STOCK["40x30"]))
    assert not [c for c in job.commands if c.startswith(("TEXT", "CODEPAGE"))]
    image = draw_small_label(APPLES, LABEL_STOCK["40x30"]).convert("L")
    name_area = image.crop((0, 0, 150, 60))
    assert name_area.getextrema()[0] == 0  # the name's strokes are printed dots


def test_the_bitmap_decoded_from_the_job_is_the_drawn_label() -> None:
    """What the printer receives is bit for bit the image we drew (1 = white in TSPL)."""
    stock = LABEL_STOCK["50x30"]
    job = parse_tspl(render_tspl_job([COLA], stock))
    assert job.labels[0].image.tobytes() == draw_small_label(COLA, stock).tobytes()


def test_the_back_office_label_queue_prints_tspl_on_the_label_printer(
    db: Database, tmp_path: Path
) -> None:
    """With a label printer set up, waiting shelf labels go to it as one TSPL job on the chosen
    stock (no ESC/POS status queries, which a TSPL printer would not answer)."""
    out = tmp_path / "label-printer.bin"
    settings = DeviceSettings("", "ascii", 5, "", f"file://{out}", "50x30")
    save_device_settings(db, settings, actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    save_product(db, TEA, actor_id=MANAGER_ID)
    assert print_pending_labels(db) == 1
    with db.read() as session:
        [job] = session.scalars(select(PrintJob)).all()
        job_id, kind = job.id, job.kind
    assert kind == "tspl_label"
    send_job(db, job_id)
    printed = parse_tspl(out.read_bytes())
    assert printed.setting("SIZE") == "50 mm,30 mm"
    [label] = printed.labels
    assert scanned(label.image) == {("EAN-13", TEA.barcodes[0]), ("QR Code", TEA_URL)}
