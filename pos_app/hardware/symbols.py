"""QR codes and EAN-13 barcodes as black-and-white images, for receipts, previews and label sheets.

QR codes use error correction M and the standard four-module quiet zone. Images are mode "1"
(0 = black) with every module an exact square of whole pixels, so a printer's dots match them.
"""

from __future__ import annotations

import qrcode
from PIL import Image

from pos_app.domain.gtin import is_gs1_valid
from pos_app.domain.parsed_barcode import InvalidBarcode

__all__ = ["ean13_image", "ean13_modules", "qr_image", "qr_matrix"]

QR_QUIET_MODULES = 4
EAN_QUIET_MODULES = 9

# EAN-13 digit patterns (7 modules each): L and G on the left half, R on the right half; the
# first digit picks which left digits use G.
_L_CODES = (
    "0001101",
    "0011001",
    "0010011",
    "0111101",
    "0100011",
    "0110001",
    "0101111",
    "0111011",
    "0110111",
    "0001011",
)
_R_CODES = tuple(code.translate(str.maketrans("01", "10")) for code in _L_CODES)
_G_CODES = tuple(code[::-1] for code in _R_CODES)
_PARITY = [
    "LLLLLL",
    "LLGLGG",
    "LLGGLG",
    "LLGGGL",
    "LGLLGG",
    "LGGLLG",
    "LGGGLL",
    "LGLGLG",
    "LGLGGL",
    "LGGLGL",
]


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code's modules (True = dark), quiet zone included, smallest version that fits."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_QUIET_MODULES)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def _bitmap(rows: list[list[bool]], module_px: int, height_px: int | None = None) -> Image.Image:
    width, height = len(rows[0]), len(rows)
    small = Image.frombytes(
        "1", (width, height), b"".join(_pack_row(row) for row in rows), "raw", "1;I"
    )
    return small.resize(
        (width * module_px, height_px or height * module_px), Image.Resampling.NEAREST
    )


def _pack_row(row: list[bool]) -> bytes:
    bits = "".join("1" if dark else "0" for dark in row)
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def qr_image(data: str, module_px: int, max_px: int) -> Image.Image:
    """The QR code with `module_px` pixels per module, or smaller modules if wider than max_px."""
    matrix = qr_matrix(data)
    return _bitmap(matrix, max(1, min(module_px, max_px // len(matrix))))


def ean13_modules(code: str) -> str:
    """The 95 modules of an EAN-13 symbol ("1" = bar), guards included; code has 13 digits."""
    if len(code) != 13 or not is_gs1_valid(code):
        raise InvalidBarcode(f"{code!r} is not a valid EAN-13 code")
    digits = [int(d) for d in code]
    tables = {"L": _L_CODES, "G": _G_CODES}
    left = "".join(tables[p][d] for p, d in zip(_PARITY[digits[0]], digits[1:7], strict=True))
    right = "".join(_R_CODES[d] for d in digits[7:])
    return f"101{left}01010{right}101"


def ean13_image(code: str, module_px: int, height_px: int) -> Image.Image:
    """The EAN-13 bars (no digits), quiet zones included, `height_px` tall."""
    quiet = "0" * EAN_QUIET_MODULES
    row = [bit == "1" for bit in quiet + ean13_modules(code) + quiet]
    return _bitmap([row], module_px, height_px)
