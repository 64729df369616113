"""Price labels and shelf tags: name, price, member price, EAN-13 barcode and the product's mall QR.

Two outputs from the same PriceLabel data: an ESC/POS job for the receipt printer (one label per
cut, through the receipt renderer) and an A4 sheet of 3 x 8 labels (70 x 36 mm) as a PDF drawn
with Pillow at 300 dpi, for an office printer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from PIL import Image, ImageDraw, ImageFont

from pos_app.hardware.escpos_render import PrinterProfile, render_job
from pos_app.hardware.layout import BarcodeBlock, Block, QrBlock, Size, TextRow, center, printable
from pos_app.hardware.layout import wrap as wrap_columns
from pos_app.hardware.preview import cjk_font
from pos_app.hardware.receipt_layout import yuan
from pos_app.hardware.symbols import EAN_QUIET_MODULES, QR_QUIET_MODULES, ean13_image, qr_image

__all__ = [
    "PriceLabel",
    "label_blocks",
    "label_sheet_pages",
    "price_text",
    "product_url",
    "render_labels_job",
    "save_label_sheet_pdf",
    "wrap_px",
]

DPI = 300
PAGE_PX = (2480, 3508)  # A4 at 300 dpi
GRID = (3, 8)
LABEL_PX = (826, 425)  # 70 x 36 mm (3 x 826 px fit the 2480 px page)
TOP_MARGIN_PX = 53  # (297 - 8 x 36) / 2 mm
PAD_X_PX, PAD_Y_PX = 50, 30  # 4.2 mm sideways: clear of an office printer's unprintable margin
LINE_GAP_PX = 6
EAN_MODULE_PX = 4  # 0.34 mm, EAN-13 at 100 % size
EAN_QUIET_PX = EAN_QUIET_MODULES * EAN_MODULE_PX
BAR_HEIGHT_PX = 70
QR_MODULE_PX = 5
QR_QUIET_PX = QR_QUIET_MODULES * QR_MODULE_PX
WHITE, BLACK = 255, 0


@dataclass(frozen=True)
class PriceLabel:
    """What one shelf label shows; amounts in fen, the barcode a valid EAN-13 or None."""

    sku: str
    name: str
    unit: str
    price_fen: int
    member_price_fen: int | None
    ean13: str | None
    qr_url: str


def product_url(mall_base_url: str, sku: str, store_id: str) -> str:
    """The mall page of a product with this store's availability: {base}/p/{sku}?s={store}."""
    return f"{mall_base_url.rstrip('/')}/p/{quote(sku, safe='')}?s={quote(store_id, safe='')}"


def price_text(label: PriceLabel) -> str:
    """The price with its unit, as every label shows it: ￥12.90/kg."""
    return f"{yuan(label.price_fen)}/{printable(label.unit)}"


def label_blocks(label: PriceLabel, cols: int) -> list[Block]:
    """One label for the receipt printer: name, big price, member price, barcode, QR."""
    blocks: list[Block] = [
        TextRow(row, bold=True) for row in wrap_columns(printable(label.name), cols)
    ]
    blocks.append(TextRow(center(price_text(label), cols // 2), Size.LARGE))
    if label.member_price_fen is not None:
        blocks.append(TextRow(center(f"会员价 {yuan(label.member_price_fen)}", cols)))
    if label.ean13:
        blocks.append(BarcodeBlock(label.ean13))
    return [*blocks, QrBlock(label.qr_url), TextRow(center(f"SKU {printable(label.sku)}", cols))]


def render_labels_job(labels: Sequence[PriceLabel], profile: PrinterProfile) -> bytes:
    """All labels as one ESC/POS job, cut after each."""
    return b"".join(render_job(label_blocks(label, profile.columns), profile) for label in labels)


def wrap_px(text: str, font: ImageFont.FreeTypeFont, width_px: int) -> list[str]:
    """Text broken into rows no wider than width_px (by character: Chinese has no spaces)."""
    rows, row = [], ""
    for ch in text:
        if row and font.getlength(row + ch) > width_px:
            rows.append(row)
            row = ""
        row += ch
    return [*rows, row]


def _text(draw: ImageDraw.ImageDraw, y: int, text: str, font: ImageFont.FreeTypeFont) -> int:
    """Draw a line of text at the left padding; return the y just below its ink."""
    draw.text((PAD_X_PX, y), text, font=font, fill=BLACK)
    return int(draw.textbbox((PAD_X_PX, y), text, font=font)[3]) + LINE_GAP_PX


def _barcode(image: Image.Image, ean13: str) -> None:
    """The EAN-13 with its digits, along the bottom of the label."""
    digits_font = cjk_font(24, mono=False)
    bars = ean13_image(ean13, EAN_MODULE_PX, BAR_HEIGHT_PX)
    top = LABEL_PX[1] - PAD_Y_PX - BAR_HEIGHT_PX - 28
    image.paste(bars, (PAD_X_PX - EAN_QUIET_PX, top))
    x = PAD_X_PX - EAN_QUIET_PX + (bars.width - digits_font.getlength(ean13)) / 2
    ImageDraw.Draw(image).text((x, top + BAR_HEIGHT_PX), ean13, font=digits_font, fill=BLACK)


def _draw_label(label: PriceLabel) -> Image.Image:
    image = Image.new("L", LABEL_PX, WHITE)
    draw = ImageDraw.Draw(image)
    qr = qr_image(label.qr_url, QR_MODULE_PX, LABEL_PX[1] // 2)
    qr_x = LABEL_PX[0] - PAD_X_PX - qr.width + QR_QUIET_PX
    image.paste(qr, (qr_x, PAD_Y_PX - QR_QUIET_PX))
    sku_font = cjk_font(24, mono=False)
    sku_at = (qr_x + QR_QUIET_PX, PAD_Y_PX + qr.height - 2 * QR_QUIET_PX)
    draw.text(sku_at, f"SKU {label.sku}", font=sku_font, fill=BLACK)
    name_font = cjk_font(30, bold=True, mono=False)
    y = PAD_Y_PX
    for row in wrap_px(printable(label.name), name_font, qr_x - 2 * PAD_X_PX)[:2]:
        y = _text(draw, y, row, name_font)
    y = _text(draw, y, price_text(label), cjk_font(64, bold=True, mono=False))
    if label.member_price_fen is not None:
        _text(draw, y, f"会员价 {yuan(label.member_price_fen)}", cjk_font(28, mono=False))
    if label.ean13:
        _barcode(image, label.ean13)
    return image


def label_sheet_pages(labels: Sequence[PriceLabel]) -> list[Image.Image]:
    """A4 pages (1-bit, 300 dpi) with up to 24 labels each, filled row by row."""
    per_page = GRID[0] * GRID[1]
    pages = []
    for start in range(0, max(1, len(labels)), per_page):
        page = Image.new("L", PAGE_PX, WHITE)
        for i, label in enumerate(labels[start : start + per_page]):
            row, col = divmod(i, GRID[0])
            page.paste(_draw_label(label), (col * LABEL_PX[0], TOP_MARGIN_PX + row * LABEL_PX[1]))
        pages.append(page.point(lambda v: WHITE if v > 127 else BLACK).convert("1"))
    return pages


def save_label_sheet_pdf(labels: Sequence[PriceLabel], path: Path) -> int:
    """Write the labels as an A4 PDF; returns the number of pages."""
    pages = label_sheet_pages(labels)
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return len(pages)
