"""Receipt previews: the same layout drawn paper-wide with a CJK font, saved as PNG."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp

from pos_app.hardware.escpos_render import PROFILE_58MM, PROFILE_80MM, PrinterProfile
from pos_app.hardware.preview import receipt_preview
from pos_app.services.receipts import build_receipt
from tests.hardware.till_data import TillData

OUT_DIR = Path(__file__).resolve().parents[2] / "out"


def _sale(till: TillData) -> int:
    return till.add_sale(
        [
            ("可口可乐 330ml", 2, 350),
            ("康师傅红烧牛肉面（五连包）超值装限时特惠", 1, 1290),
            ("农夫山泉 550ml", 3, 200),
        ],
        payments=(("wechat", 1000), ("cash", 1390)),
        member_id="13812345678",
        discount_fen=200,
    )


@pytest.mark.parametrize("profile", [PROFILE_58MM, PROFILE_80MM], ids=["58mm", "80mm"])
def test_a_preview_is_as_wide_as_the_paper_and_its_qr_scans(
    till: TillData, profile: PrinterProfile, tmp_path: Path
) -> None:
    """The PNG is 384 or 576 px wide, and its QR code scans to the receipt's link."""
    with till.db.write() as session:
        receipt = build_receipt(session, _sale(till))
    image = receipt_preview(receipt, profile)
    assert image.width == profile.dots
    assert image.height > 30 * 30  # 30-odd rows of 30 px plus the QR code
    for folder in (tmp_path, OUT_DIR):
        folder.mkdir(exist_ok=True)
        image.save(folder / f"receipt_{profile.name}.png")
    assert (tmp_path / f"receipt_{profile.name}.png").stat().st_size > 10_000
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [receipt.qr_url]


def test_right_aligned_amounts_reach_the_last_column_in_the_preview(till: TillData) -> None:
    """Ink of the total's amount touches the right edge zone, as on paper."""
    with till.db.write() as session:
        receipt = build_receipt(session, _sale(till))
    image = receipt_preview(receipt, PROFILE_58MM)
    right_strip = image.crop((image.width - 12, 0, image.width, image.height))
    assert right_strip.getextrema()[0] == 0  # some black pixels in the last column
