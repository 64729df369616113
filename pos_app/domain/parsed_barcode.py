"""What a scanned or typed code is read as (its kind, its key, what a scale label says), and
the error for a code that cannot be a barcode."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.coded import CodedError


class InvalidBarcode(CodedError, ValueError):
    """A scanned or typed code that cannot be a barcode; the message says what is wrong."""


class BarcodeKind(StrEnum):
    """What kind of code was scanned, which decides how it is looked up."""

    EAN13 = "ean13"  # also UPC-A, stored with a leading 0
    EAN8 = "ean8"
    ITF14 = "itf14"
    INTERNAL = "internal"  # store codes, PLU numbers, alphanumeric item codes
    SCALE = "scale"  # printed by a weighing scale: item code + price and/or weight


@dataclass(frozen=True)
class ParsedBarcode:
    """A parsed barcode. `code` is the normalised key for the barcodes table (UPC-A gains a
    leading 0). For SCALE codes `scale_item_code` holds the item code digits exactly as printed
    (zero padded to the layout width, e.g. "00123") and is the PLU lookup key; price and weight
    are set when the layout carries them.
    """

    kind: BarcodeKind
    code: str
    scale_item_code: str | None = None
    price_fen: int | None = None
    weight_g: int | None = None
