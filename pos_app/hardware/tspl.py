"""Shelf labels for TSPL label printers (TSC, Gprinter, Xprinter label models) on small stock.

The shelf label is the same PriceLabel the A4 sheet draws (hardware/labels.py); a weighed-goods
label (WeighedGoodsLabel) is what a counter that weighs prints on the bag. We draw it ourselves at
the printer's 203 dpi (8 dots per mm) — Chinese name, price, member price, EAN-13 and the mall
QR — and send it as one TSPL BITMAP, so no printer font or code page is involved and what the
preview shows is exactly what prints. Each label is one job fragment:

    SIZE 40 mm,30 mm / GAP 2 mm,0 mm / DIRECTION 1 / REFERENCE 0,0 / CLS
    BITMAP 0,0,<width bytes>,<height dots>,0,<rows of bits, 1 = white> / PRINT 1,1

(BITMAP mode 0 overwrites; in TSPL a 0 bit prints a dot, the same as Pillow's mode "1" bytes.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from pos_app.hardware.fonts import cjk_font
from pos_app.hardware.labels import PriceLabel, price_text, wrap_px
from pos_app.hardware.layout import printable
from pos_app.hardware.receipt_layout import yuan
from pos_app.hardware.symbols import EAN_QUIET_MODULES, ean13_image, qr_image

__all__ = [
    "LABEL_STOCK",
    "LabelStock",
    "WeighedGoodsLabel",
    "draw_small_label",
    "draw_weighed_label",
    "render_tspl_job",
    "tspl_job",
]

DOTS_PER_MM = 8  # 203 dpi, the resolution of nearly every TSPL desktop label printer
GAP_MM = 2
WHITE, BLACK = 255, 0


@dataclass(frozen=True)
class LabelStock:
    """A roll of labels: width and height in mm."""

    width_mm: int
    height_mm: int

    @property
    def dots(self) -> tuple[int, int]:
        return self.width_mm * DOTS_PER_MM, self.height_mm * DOTS_PER_MM

    @property
    def name(self) -> str:
        return f"{self.width_mm}x{self.height_mm}"


LABEL_STOCK = {
    stock.name: stock for stock in (LabelStock(40, 30), LabelStock(50, 30), LabelStock(60, 40))
}


def draw_small_label(label: PriceLabel, stock: LabelStock) -> Image.Image:
    """The label at 8 dots/mm as a mode "1" image the size of the stock."""
    width, height = stock.dots
    scale = height / 240  # the layout is drawn for 30 mm high stock and grows with it
    pad = int(12 * scale)
    image = Image.new("L", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    qr = qr_image(label.qr_url, max(2, int(3 * scale)), int(height * 0.55))
    quiet = (qr.width - _qr_ink(qr)) // 2  # the QR's quiet zone may overlap the label's margin
    qr_x = width - pad - qr.width + quiet
    image.paste(qr, (qr_x, pad - quiet))
    text_width = qr_x + quiet - 2 * pad
    y = pad
    name_font = cjk_font(int(24 * scale), bold=True, mono=False)
    for row in wrap_px(printable(label.name), name_font, text_width)[:2]:
        draw.text((pad, y), row, font=name_font, fill=BLACK)
        y += int(name_font.size * 1.1)
    price_font = cjk_font(int(36 * scale), bold=True, mono=False)
    draw.text((pad, y), price_text(label), font=price_font, fill=BLACK)
    y += int(price_font.size * 1.15)
    if label.member_price_fen is not None:
        small = cjk_font(int(20 * scale), mono=False)
        draw.text((pad, y), f"会员价 {yuan(label.member_price_fen)}", font=small, fill=BLACK)
    if label.ean13:
        _barcode(image, label.ean13, scale)
    return image.point(lambda v: WHITE if v > 127 else BLACK).convert("1")


def _qr_ink(qr: Image.Image) -> int:
    """Width of the QR without its quiet zone."""
    box = Image.eval(qr.convert("L"), lambda v: 255 - v).getbbox()
    return qr.width if box is None else box[2] - box[0]


def _barcode(image: Image.Image, ean13: str, scale: float) -> None:
    """EAN-13 (2 dots a module, 0.25 mm) with its digits, along the bottom left."""
    module = 2
    bar_height = int(40 * scale)
    digits = cjk_font(int(16 * scale), mono=False)
    bars = ean13_image(ean13, module, bar_height)
    top = image.height - bar_height - int(digits.size) - 4
    left = max(0, int(12 * scale) - EAN_QUIET_MODULES * module)
    image.paste(bars, (left, top))
    x = left + int((bars.width - digits.getlength(ean13)) / 2)
    ImageDraw.Draw(image).text((x, top + bar_height), ean13, font=digits, fill=BLACK)


def _bitmap_command(image: Image.Image) -> bytes:
    width_bytes = (image.width + 7) // 8
    header = f"BITMAP 0,0,{width_bytes},{image.height},0,".encode()
    return header + image.tobytes() + b"\r\n"


def tspl_job(images: Sequence[Image.Image], stock: LabelStock) -> bytes:
    """Label images (the size of the stock) as one TSPL job, one printed label each."""
    setup = (
        f"SIZE {stock.width_mm} mm,{stock.height_mm} mm\r\n"
        f"GAP {GAP_MM} mm,0 mm\r\n"
        "DIRECTION 1\r\nREFERENCE 0,0\r\n"
    ).encode()
    job = [setup]
    for image in images:
        job += [b"CLS\r\n", _bitmap_command(image), b"PRINT 1,1\r\n"]
    return b"".join(job)


def render_tspl_job(labels: Sequence[PriceLabel], stock: LabelStock) -> bytes:
    """Shelf labels as one TSPL job."""
    return tspl_job([draw_small_label(label, stock) for label in labels], stock)


@dataclass(frozen=True)
class WeighedGoodsLabel:
    """The sticker on a bag weighed at the counter; barcode is a 13-digit scale code carrying
    the item's PLU and the amount, which the till's scale layouts read back at checkout."""

    name: str
    weight_g: int
    price_per_kg_fen: int
    amount_fen: int
    barcode: str


def draw_weighed_label(label: WeighedGoodsLabel, stock: LabelStock) -> Image.Image:
    """Name, weight and unit price, the amount in large type, and the scale barcode."""
    width, height = stock.dots
    scale = height / 240
    pad = int(12 * scale)
    image = Image.new("L", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    y = pad
    rows = (
        (printable(label.name), cjk_font(int(24 * scale), bold=True, mono=False)),
        (
            f"{qty_kg(label.weight_g)} kg × {yuan(label.price_per_kg_fen)}/kg",
            cjk_font(int(20 * scale), mono=False),
        ),
        (f"金额 {yuan(label.amount_fen)}", cjk_font(int(36 * scale), bold=True, mono=False)),
    )
    for text, font in rows:
        draw.text((pad, y), wrap_px(text, font, width - 2 * pad)[0], font=font, fill=BLACK)
        y += int(font.size * 1.15)
    _barcode(image, label.barcode, scale)
    return image.point(lambda v: WHITE if v > 127 else BLACK).convert("1")


def qty_kg(weight_g: int) -> str:
    """1234 -> "1.234" """
    kg, grams = divmod(weight_g, 1000)
    return f"{kg}.{grams:03d}"
