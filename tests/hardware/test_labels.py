"""Price labels: from the catalog, on the receipt printer and on an A4 sheet, all scannable."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp

from pos_app.domain.gtin import make_ean13
from pos_app.hardware.escpos_render import PROFILE_58MM
from pos_app.hardware.labels import (
    PriceLabel,
    label_sheet_pages,
    product_url,
    render_labels_job,
    save_label_sheet_pdf,
)
from pos_app.services.labels import UnknownSku, load_labels
from pos_app.store.models import Barcode, Product
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.till_data import TillData

OUT_DIR = Path(__file__).resolve().parents[2] / "out"
COLA = PriceLabel(
    sku="1001",
    name="可口可乐 330ml",
    unit="瓶",
    price_fen=350,
    member_price_fen=300,
    ean13="6901234567892",
    qr_url="https://mall.example.cn/p/1001?s=S001",
)


def _label(i: int) -> PriceLabel:
    return PriceLabel(
        sku=f"2{i:03d}",
        name=f"测试商品{i} 特别长的名字会换行显示在标签上",
        unit="个",
        price_fen=100 + i,
        member_price_fen=None if i % 2 else 90 + i,
        ean13=make_ean13(f"690000000{i:03d}"),
        qr_url=product_url("https://mall.example.cn", f"2{i:03d}", "S001"),
    )


def test_the_product_link_carries_sku_and_store() -> None:
    """The QR link is {mall}/p/{sku}?s={store}, with odd characters escaped."""
    assert product_url("https://mall.example.cn/", "A 1/2", "S001") == (
        "https://mall.example.cn/p/A%201%2F2?s=S001"
    )


def test_a_label_job_prints_name_prices_barcode_and_qr() -> None:
    """On the receipt printer a label shows the price large, the EAN-13 and the product QR."""
    decoded = decode_escpos(render_labels_job([COLA, COLA], PROFILE_58MM))
    assert "可口可乐 330ml" in decoded.lines
    assert any(line.strip() == "￥3.50/瓶" for line in decoded.lines)
    assert any(line.strip() == "会员价 ￥3.00" for line in decoded.lines)
    assert decoded.barcodes == [COLA.ean13, COLA.ean13]
    assert decoded.commands.count("1d 56 42 00") == 2  # one cut per label
    scanned = zxingcpp.read_barcodes(decoded.rasters[0].convert("L"))
    assert [code.text for code in scanned] == [COLA.qr_url]


def test_every_label_on_the_a4_sheet_scans_to_its_barcode_and_link() -> None:
    """Each label's EAN-13 and QR code decode from the rendered page."""
    labels = [COLA, *(_label(i) for i in range(5))]
    [page] = label_sheet_pages(labels)
    assert page.size == (2480, 3508)
    found = {code.text for code in zxingcpp.read_barcodes(page.convert("L"))}
    assert {label.ean13 for label in labels} <= found
    assert {label.qr_url for label in labels} <= found


def test_the_pdf_has_a_page_for_every_24_labels(tmp_path: Path) -> None:
    """25 labels make a two-page A4 PDF."""
    labels = [_label(i) for i in range(25)]
    path = tmp_path / "labels.pdf"
    assert save_label_sheet_pdf(labels, path) == 2
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") == 2
    OUT_DIR.mkdir(exist_ok=True)
    label_sheet_pages(labels[:6])[0].save(OUT_DIR / "labels_page.png")


def test_labels_come_from_the_catalog_in_the_order_asked(till: TillData) -> None:
    """Prices, member price, EAN-13 and this store's product link are read per SKU."""
    with till.db.write() as session:
        product = session.get(Product, till.product_ids["1001"])
        assert product is not None
        product.member_price_fen = 300
        product.barcodes.append(Barcode(code="6901234567892"))
        session.add(Product(sku="1002", name="农夫山泉 550ml", price_fen=200))
    with till.db.read() as session:
        labels = load_labels(session, ["1002", "1001"])
    assert [label.sku for label in labels] == ["1002", "1001"]
    assert (labels[1].price_fen, labels[1].member_price_fen, labels[1].ean13) == (
        350,
        300,
        "6901234567892",
    )
    assert labels[0].ean13 is None
    assert labels[1].qr_url == "https://mall.example.cn/p/1001?s=S001"


def test_an_unknown_sku_is_named_in_the_error(till: TillData) -> None:
    """Asking for labels of SKUs not in the catalog names them all."""
    with till.db.read() as session, pytest.raises(UnknownSku, match="9998, 9999"):
        load_labels(session, ["1001", "9998", "9999"])
