"""A picture of what the printer will print: the same blocks drawn on a paper-wide image.

The image is as wide as the paper in dots (384 or 576); each column is dots/columns pixels wide
(12) and a double-byte character takes two, exactly as the printer places its 12x24 and 24x24
glyphs. Noto Sans Mono CJK (新宋体 on Windows) stands in for the printer's font. Saved as PNG
for tests and shown on screen by the UI.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from pos_app.domain.receipt import Receipt
from pos_app.hardware.escpos_render import PrinterProfile
from pos_app.hardware.fonts import FontMissing, cjk_font
from pos_app.hardware.layout import BarcodeBlock, Block, QrBlock, TextRow, text_width
from pos_app.hardware.receipt_layout import receipt_blocks
from pos_app.hardware.symbols import ean13_image, qr_image

__all__ = ["FontMissing", "cjk_font", "receipt_preview", "render_preview"]

LINE_PX = 30  # the printer's default line spacing in dots
MARGIN_PX = 16
BARCODE_HEIGHT_PX = 80
WHITE, BLACK = 255, 0


def _text_image(text: str, *, bold: bool, cell_px: int) -> Image.Image:
    """One row at normal size, each character placed on its column like the printer does."""
    font = cjk_font(2 * cell_px, bold=bold)
    image = Image.new("L", (max(1, text_width(text)) * cell_px, LINE_PX), WHITE)
    draw = ImageDraw.Draw(image)
    top = (LINE_PX - 2 * cell_px) // 2 - font.getbbox("中")[1]  # centre a Hanzi's ink in the line
    x = 0
    for ch in text:
        cell = text_width(ch) * cell_px
        draw.text((x + (cell - font.getlength(ch)) / 2, top), ch, font=font, fill=BLACK)
        x += cell
    return image


def _row(row: TextRow, cell_px: int) -> Image.Image:
    image = _text_image(row.text, bold=row.bold, cell_px=cell_px)
    factor_w, factor_h = row.size.width_factor, row.size.height_factor
    if (factor_w, factor_h) == (1, 1):
        return image
    size = (image.width * factor_w, image.height * factor_h)
    return image.resize(size, Image.Resampling.NEAREST)


def _barcode(block: BarcodeBlock, cell_px: int) -> Image.Image:
    bars = ean13_image(block.ean13, 2, BARCODE_HEIGHT_PX)
    digits = _text_image(block.ean13, bold=False, cell_px=cell_px)
    image = Image.new("L", (max(bars.width, digits.width), bars.height + digits.height), WHITE)
    image.paste(bars, ((image.width - bars.width) // 2, 0))
    image.paste(digits, ((image.width - digits.width) // 2, bars.height))
    return image


def _part(block: Block, profile: PrinterProfile) -> tuple[Image.Image, bool]:
    """The block's picture and whether it is centred."""
    cell_px = profile.dots // profile.columns
    if isinstance(block, TextRow):
        return _row(block, cell_px), False
    if isinstance(block, QrBlock):
        return qr_image(block.url, profile.qr_module_dots, profile.dots).convert("L"), True
    return _barcode(block, cell_px), True


def _cut_line(draw: ImageDraw.ImageDraw, y: int, width: int) -> None:
    for x in range(0, width, 12):
        draw.line([(x, y), (x + 6, y)], fill=BLACK)


def render_preview(blocks: Sequence[Block], profile: PrinterProfile) -> Image.Image:
    """The job as a grey-scale image the width of the paper, with a dashed cut line at the end."""
    parts = [_part(block, profile) for block in blocks]
    height = 2 * MARGIN_PX + sum(image.height for image, _ in parts) + LINE_PX
    page = Image.new("L", (profile.dots, height), WHITE)
    y = MARGIN_PX
    for image, centred in parts:
        page.paste(image, ((profile.dots - image.width) // 2 if centred else 0, y))
        y += image.height
    _cut_line(ImageDraw.Draw(page), height - MARGIN_PX, profile.dots)
    return page


def receipt_preview(receipt: Receipt, profile: PrinterProfile) -> Image.Image:
    """The receipt as it will print on this printer (save it with .save("x.png"))."""
    return render_preview(receipt_blocks(receipt, profile.columns), profile)
