"""GS1 numbers (EAN-13, EAN-8, UPC-A, UPC-E, ITF-14): check digits, UPC-E expansion, making a
code from its digits, and the one normal form every code is brought to wherever it enters
(scan, import, search)."""

from __future__ import annotations

import re
import unicodedata

from pos_app.domain.parsed_barcode import InvalidBarcode

_DIGITS = re.compile(r"^[0-9]+$")  # ASCII only: str.isdigit() would accept "²" or "٣"


def is_digits(text: str) -> bool:
    """True if text is ASCII digits only (and not empty)."""
    return _DIGITS.match(text) is not None


def gs1_check_digit(body: str) -> int:
    """Return the GS1 mod-10 check digit for the digits before it (any GTIN/SSCC length)."""
    if not body or not is_digits(body):
        raise InvalidBarcode(
            f"Barcode contains non-digits: {body!r}", code="barcode_chars", chars=body
        )
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_gs1_valid(code: str) -> bool:
    """True if code is at least two ASCII digits and its last digit is the right check digit."""
    return len(code) >= 2 and is_digits(code) and gs1_check_digit(code[:-1]) == int(code[-1])


def normalise_code(text: str) -> str:
    """What a scanner or a file gave, as the ASCII we parse: full-width ６９０１ becomes 6901."""
    return unicodedata.normalize("NFKC", text).strip()


# GS1 weighting of one price digit: "2-", "3", "5+" and "5-" (General Specifications 7.9.3).
_WEIGHT_2M = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
_WEIGHT_3 = (0, 3, 6, 9, 2, 5, 8, 1, 4, 7)
_WEIGHT_5P = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
_WEIGHT_5M = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)


def price_check_digit(price: str) -> int:
    """The GS1 check digit of a 4- or 5-digit price field (the V in FFCCCCCVPPPPK)."""
    if len(price) not in (4, 5) or not is_digits(price):
        raise InvalidBarcode(f"A price check digit needs 4 or 5 price digits, got {price!r}")
    d = [int(ch) for ch in price]
    if len(d) == 4:
        total = _WEIGHT_2M[d[0]] + _WEIGHT_2M[d[1]] + _WEIGHT_3[d[2]] + _WEIGHT_5M[d[3]]
        return total * 3 % 10
    weights = (_WEIGHT_5P, _WEIGHT_2M, _WEIGHT_5M, _WEIGHT_5P, _WEIGHT_2M)
    target = -sum(w[n] for w, n in zip(weights, d, strict=True)) % 10
    return _WEIGHT_5M.index(target)


def upc_e_to_upc_a(code: str) -> str:
    """Expand an 8-digit UPC-E (number system 0 or 1, check digit last) to its 12-digit UPC-A.

    The check digit is carried over, not verified: the caller checks the UPC-A."""
    if len(code) != 8 or not is_digits(code) or code[0] not in "01":
        raise InvalidBarcode(
            f"{code!r} is not a UPC-E code", code="barcode_unreadable", barcode=code
        )
    ns, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        middle = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        middle = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        middle = d[0:4] + "00000" + d[4]
    else:
        middle = d[0:5] + "0000" + last
    return ns + middle + check


def verify_check_digit(code: str) -> None:
    """InvalidBarcode (asking for another scan) unless code's GS1 check digit is right."""
    if not is_gs1_valid(code):
        raise InvalidBarcode(
            f"Barcode {code}: check digit wrong, scan again", code="barcode_check", barcode=code
        )


def _make_gtin(body: str, length: int) -> str:
    if len(body) != length - 1 or not is_digits(body):
        raise InvalidBarcode(f"Need {length - 1} digits for a {length}-digit code, got {body!r}")
    return body + str(gs1_check_digit(body))


def make_ean13(body12: str) -> str:
    """Append the check digit to 12 digits, e.g. for demo data or in-store labels."""
    return _make_gtin(body12, 13)


def make_ean8(body7: str) -> str:
    """Append the check digit to 7 digits."""
    return _make_gtin(body7, 8)
