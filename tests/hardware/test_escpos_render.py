"""ESC/POS receipt bytes: Chinese text in GB18030 on exact columns, a scannable QR, safe data."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.domain.receipt import Receipt, ReceiptLine
from pos_app.domain.receipt_token import verify_receipt_token
from pos_app.hardware.escpos_render import (
    PROFILE_58MM,
    PROFILE_80MM,
    PrinterProfile,
    drawer_kick_job,
    render_receipt,
)
from pos_app.services.receipts import build_receipt, receipt_keys
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.till_data import SALE_TIME, TillData

LONG_NAME = "康师傅红烧牛肉面（五连包）超值装限时特惠 Family Pack"


def _receipt(till: TillData, sale_id: int) -> Receipt:
    with till.db.write() as session:
        return build_receipt(session, sale_id)


def _width(line: str) -> int:
    return len(line.encode("gb18030"))


def _basic_sale(till: TillData) -> int:
    return till.add_sale([("可口可乐 330ml", 2, 350), ("农夫山泉 550ml", 1, 200)])


def test_a_receipt_starts_with_reset_and_chinese_mode_and_ends_with_a_cut(till: TillData) -> None:
    """The job opens with ESC @ and FS &, and finishes with GS V 66 (feed to cutter, cut)."""
    data = render_receipt(_receipt(till, _basic_sale(till)), PROFILE_58MM)
    assert data.startswith(b"\x1b@\x1c&")
    assert data.endswith(b"\x1dVB\x00")


@pytest.mark.parametrize("profile", [PROFILE_58MM, PROFILE_80MM], ids=["58mm", "80mm"])
def test_the_bytes_decode_to_the_expected_chinese_lines(
    till: TillData, profile: PrinterProfile
) -> None:
    """Decoded as GB18030 the receipt reads as expected, amounts flush right on the last column."""
    cols = profile.columns
    lines = decode_escpos(render_receipt(_receipt(till, _basic_sale(till)), profile)).lines
    assert "门店通便利店" in lines[0]
    assert "单号: T01-000001" in lines
    assert f"时间: {SALE_TIME + timedelta(hours=8):%Y-%m-%d %H:%M:%S}" in lines
    assert "收银台: T01" + " " * (cols - 23) + "收银员: 张三" in lines
    assert "小计" + " " * (cols - 10) + "￥9.00" in lines
    assert "合计" + " " * (cols - 10) + "￥9.00" in lines
    assert "现金" + " " * (cols - 10) + "￥9.00" in lines
    amounts = [line for line in lines if "￥" in line and line[-1].isdigit()]
    assert len(amounts) == 5  # two item rows, subtotal, total, cash
    assert all(_width(line) == cols for line in amounts)


def test_an_80mm_receipt_puts_figures_beside_the_name(till: TillData) -> None:
    """On 48 columns quantity, unit price and amount share the name's row."""
    lines = decode_escpos(render_receipt(_receipt(till, _basic_sale(till)), PROFILE_80MM)).lines
    row = next(line for line in lines if line.startswith("可口可乐"))
    assert row.split() == ["可口可乐", "330ml", "2", "￥3.50", "￥7.00"]


@pytest.mark.parametrize(
    ("profile", "continued"),
    [
        (PROFILE_58MM, ["限时特惠 Family Pack"]),
        (PROFILE_80MM, ["连包）超值装限时特惠", "Family Pack"]),
    ],
    ids=["58mm", "80mm"],
)
def test_long_names_wrap_within_the_paper_width(
    till: TillData, profile: PrinterProfile, continued: list[str]
) -> None:
    """A name longer than its column continues on the next rows; no row is wider than the paper."""
    sale_id = till.add_sale([(LONG_NAME, 1, 1290)])
    body = decode_escpos(render_receipt(_receipt(till, sale_id), profile)).lines[1:]
    assert all(_width(line) <= profile.columns for line in body)  # [0] is the double-size name
    first = next(i for i, line in enumerate(body) if line.startswith("康师傅红烧牛肉面"))
    assert body[first + 1 : first + 1 + len(continued)] == continued


def test_yen_sign_is_sent_as_the_gbk_fullwidth_character(till: TillData) -> None:
    """Amounts use ￥ (A3 A4), never the 4-byte GB18030 code of ¥ that printers lack."""
    data = render_receipt(_receipt(till, _basic_sale(till)), PROFILE_58MM)
    assert b"\xa3\xa4" in data
    assert "¥".encode("gb18030") not in data


@pytest.mark.parametrize("profile", [PROFILE_58MM, PROFILE_80MM], ids=["58mm", "80mm"])
def test_the_qr_raster_decodes_to_the_receipt_url_whose_token_verifies(
    till: TillData, profile: PrinterProfile
) -> None:
    """The GS v 0 image, rebuilt from the bytes, scans to the receipt URL; its token is genuine."""
    receipt = _receipt(till, _basic_sale(till))
    decoded = decode_escpos(render_receipt(receipt, profile))
    assert len(decoded.rasters) == 1
    assert decoded.rasters[0].width <= profile.dots
    found = zxingcpp.read_barcodes(decoded.rasters[0].convert("L"))
    assert [code.text for code in found] == [receipt.qr_url]
    assert receipt.qr_url is not None
    assert receipt.qr_url.startswith("https://mall.example.cn/r/")
    with till.db.read() as session:
        keys = receipt_keys(session)
    token = receipt.qr_url.rsplit("/", 1)[1]
    claim = verify_receipt_token(token, keys, now=SALE_TIME, max_age=timedelta(days=30))
    assert (claim.store_id, claim.till_id, claim.till_seq, claim.amount_fen) == (
        "S001",
        "T01",
        1,
        900,
    )


def test_native_qr_is_a_per_printer_option_with_error_correction_m(till: TillData) -> None:
    """With native_qr the printer gets GS ( k with level M and the URL, and no raster image."""
    receipt = _receipt(till, _basic_sale(till))
    data = render_receipt(receipt, replace(PROFILE_58MM, native_qr=True))
    decoded = decode_escpos(data)
    assert decoded.native_qr == [receipt.qr_url]
    assert decoded.rasters == []
    assert b"\x1d(k\x03\x001E1" in data  # function 169: error correction level M


def test_a_product_named_with_escape_bytes_prints_as_plain_text(till: TillData) -> None:
    """ESC/GS sequences and newlines in a product name come out as harmless text on one row."""
    name = "坏\x1b@\x1dV\x00名\n第二行\x1b!\x30\r\t尾\x07"
    decoded = decode_escpos(
        render_receipt(_receipt(till, till.add_sale([(name, 1, 100)])), PROFILE_80MM)
    )
    assert any(line.startswith("坏@V名 第二行!0 尾") for line in decoded.lines)
    assert decoded.commands.count("1b 40") == 1  # only our own reset
    assert "1d 56 00" not in decoded.commands  # no cut smuggled in


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(max_size=60), footer=st.text(max_size=40))
def test_no_shop_data_can_become_a_printer_command(name: str, footer: str) -> None:
    """Whatever text a name or footer holds, the bytes decode to our commands and text only."""
    receipt = Receipt(
        store_name=name,
        sale_no="T01-000001",
        till_id="T01",
        cashier=name,
        issued_at=SALE_TIME,
        lines=(ReceiptLine(name=name, qty_text="1", unit_price_fen=100, amount_fen=100),),
        subtotal_fen=100,
        total_fen=100,
        footer=footer,
    )
    decoded = decode_escpos(render_receipt(receipt, PROFILE_58MM))  # raises on foreign commands
    assert decoded.commands.count("1b 40") == 1
    assert all(_width(line) <= PROFILE_58MM.columns for line in decoded.lines)


def test_a_drawer_job_pulses_pin_2_for_100_ms() -> None:
    """The drawer kick is ESC p 0 with 50 x 2 ms on and off, after the reset."""
    assert drawer_kick_job(PROFILE_58MM) == b"\x1b@\x1c&\x1bp\x00\x32\x32"
