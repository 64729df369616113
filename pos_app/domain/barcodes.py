"""Parsing a scanned or typed code: EAN-13/EAN-8/UPC-A/UPC-E/ITF-14 with check digits (gtin),
store-internal codes, and scale (weighed goods) barcodes whose flag and layout each store
configures (scale_layouts).

Every code is normalised the same way wherever it enters (scan, import, search): NFKC turns
full-width digits and letters into ASCII, UPC-A and UPC-E become their EAN-13, and a GTIN-14
with indicator 0 becomes the EAN-13 inside it, so one product has one key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pos_app.domain.gtin import (
    is_digits,
    is_gs1_valid,
    normalise_code,
    upc_e_to_upc_a,
    verify_check_digit,
)
from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode, ParsedBarcode
from pos_app.domain.scale_layouts import (
    DEFAULT_SCALE_LAYOUTS,
    SCALE_LENGTHS,
    ScaleLayout,
    order_layouts,
)

_INTERNAL = re.compile(r"^[A-Za-z0-9-]{1,32}$")
_INTERNAL_DIGIT_LENGTHS = range(4, 8)  # store codes / PLU typed or printed without a check


class ZeroPriceLabel(InvalidBarcode):
    """A scale label that says ¥0.00 (or 0 g): refused unless the store allows ¥0 labels."""


def _bad_characters(text: str) -> InvalidBarcode:
    bad = sorted({ch for ch in text if not (ch.isascii() and (ch.isalnum() or ch == "-"))})
    shown = "".join(bad[:5])
    return InvalidBarcode(
        f"Barcode contains characters that are not allowed: {shown!r}",
        code="barcode_chars",
        chars=shown,
    )


def _parse_scale(
    code: str, layouts: Sequence[ScaleLayout], allow_zero_price: bool
) -> ParsedBarcode | None:
    for layout in order_layouts(layouts):
        if layout.matches(code):
            parsed = layout.decode(code)
            if not allow_zero_price and 0 in (parsed.price_fen, parsed.weight_g):
                raise ZeroPriceLabel(
                    f"Scale label {code} says ¥0.00 or 0 g: weigh the item again",
                    code="zero_price",
                    barcode=code,
                )
            return parsed
    return None


def _parse_eight(code: str) -> ParsedBarcode:
    """UPC-E when it starts with 0 or 1 and its UPC-A checks out (EAN-8 codes starting 0/1 are
    store-internal), else EAN-8."""
    if code[0] in "01" and is_gs1_valid(upc_a := upc_e_to_upc_a(code)):
        return ParsedBarcode(BarcodeKind.EAN13, "0" + upc_a)
    verify_check_digit(code)
    return ParsedBarcode(BarcodeKind.EAN8, code)


def _parse_digits(
    code: str, layouts: Sequence[ScaleLayout], allow_zero_price: bool
) -> ParsedBarcode:
    length = len(code)
    if length == 12:  # UPC-A is an EAN-13 with a leading zero
        code, length = "0" + code, 13
    if length in SCALE_LENGTHS and (scale := _parse_scale(code, layouts, allow_zero_price)):
        return scale
    if length == 13:
        verify_check_digit(code)
        return ParsedBarcode(BarcodeKind.EAN13, code)
    if length == 8:
        return _parse_eight(code)
    if length == 14:
        verify_check_digit(code)
        if code[0] == "0":  # GTIN-14 indicator 0: the EAN-13 itself
            return ParsedBarcode(BarcodeKind.EAN13, code[1:])
        return ParsedBarcode(BarcodeKind.ITF14, code)
    if length in _INTERNAL_DIGIT_LENGTHS:
        return ParsedBarcode(BarcodeKind.INTERNAL, code)
    if length == 18:
        raise InvalidBarcode(
            f"Barcode {code} is 18 digits but not a scale code of this store",
            code="barcode_not_scale",
            barcode=code,
        )
    raise InvalidBarcode(
        f"Barcode {code} has unsupported length {length}",
        code="barcode_length",
        barcode=code,
        length=length,
    )


def parse_barcode(
    text: str,
    layouts: Sequence[ScaleLayout] = DEFAULT_SCALE_LAYOUTS,
    *,
    allow_zero_price: bool = False,
) -> ParsedBarcode:
    """Parse a scanned or typed code into a ParsedBarcode, verifying GS1 check digits.

    All-digit codes (full-width digits count): 8 UPC-E (as EAN-13) or EAN-8, 12 UPC-A (as
    EAN-13), 13 scale or EAN-13, 14 ITF-14 (indicator 0: its EAN-13), 18 scale, 4-7 internal.
    Alphanumeric codes of up to 32 letters, digits and "-" are internal codes. A ¥0.00 scale
    label raises ZeroPriceLabel unless allow_zero_price. Anything else raises InvalidBarcode
    with a message saying what is wrong.
    """
    code = normalise_code(text)
    if not code:
        raise InvalidBarcode("Nothing was scanned (empty barcode)", code="barcode_empty")
    if is_digits(code):
        return _parse_digits(code, layouts, allow_zero_price)
    if _INTERNAL.match(code):
        return ParsedBarcode(BarcodeKind.INTERNAL, code)
    if len(code) > 32 and _INTERNAL.match(code[:32]):
        raise InvalidBarcode(
            f"Code is too long ({len(code)} characters, at most 32)",
            code="barcode_too_long",
            length=len(code),
        )
    raise _bad_characters(code)
