"""Barcode parsing: EAN-13/EAN-8/UPC-A/UPC-E/ITF-14 with check digits, store-internal codes,
and scale (weighed goods) barcodes whose flag and layout each store configures.

Every code is normalised the same way wherever it enters (scan, import, search): NFKC turns
full-width digits and letters into ASCII, UPC-A and UPC-E become their EAN-13, and a GTIN-14
with indicator 0 becomes the EAN-13 inside it, so one product has one key.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.coded import CodedError

__all__ = [
    "DEFAULT_PRICE_LAYOUT",
    "DEFAULT_SCALE_LAYOUTS",
    "DEFAULT_WEIGHT_LAYOUT",
    "BarcodeKind",
    "DeadLayout",
    "InvalidBarcode",
    "InvalidScaleLayout",
    "OverlappingLayouts",
    "ParsedBarcode",
    "ScaleLayout",
    "ZeroPriceLabel",
    "gs1_check_digit",
    "is_gs1_valid",
    "make_ean8",
    "make_ean13",
    "make_scale_barcode",
    "normalise_code",
    "order_layouts",
    "parse_barcode",
    "price_check_digit",
    "upc_e_to_upc_a",
    "validate_layouts",
]

_DIGITS = re.compile(r"^[0-9]+$")  # ASCII only: str.isdigit() would accept "²" or "٣"
_INTERNAL = re.compile(r"^[A-Za-z0-9-]{1,32}$")
_INTERNAL_DIGIT_LENGTHS = range(4, 8)  # store codes / PLU typed or printed without a check
_SCALE_LENGTHS = (13, 18)
_LAYOUT_LETTERS = "FCPWVK"
_PAYMENT_FLAGS_18 = frozenset({*(f"1{n}" for n in range(6)), *(f"2{n}" for n in range(5, 10))})


class InvalidBarcode(CodedError, ValueError):
    """A scanned or typed code that cannot be a barcode; the message says what is wrong."""


class InvalidScaleLayout(CodedError, ValueError):
    """A scale barcode layout setting that makes no sense; the message says why."""

    default_code = "scale_layout"


class OverlappingLayouts(InvalidScaleLayout):
    """Two layouts of one length share flags and neither is a narrower exception of the other."""

    def __init__(self, first: ScaleLayout, second: ScaleLayout, flags: str) -> None:
        super().__init__(
            f"Scale layouts {first.to_spec()} and {second.to_spec()} share flags {flags}: "
            "a label could be read either way"
        )
        self.first, self.second, self.flags = first, second, flags


class DeadLayout(InvalidScaleLayout):
    """A layout that can never read a label: narrower layouts or payment codes take its flags."""

    def __init__(self, layout: ScaleLayout) -> None:
        super().__init__(
            f"Scale layout {layout.to_spec()} never reads a label: its flags are taken by "
            "more specific layouts or by payment codes (18 digits starting 10-15, 25-29)"
        )
        self.layout = layout


class ZeroPriceLabel(InvalidBarcode):
    """A scale label that says ¥0.00 (or 0 g): refused unless the store allows ¥0 labels."""


class BarcodeKind(StrEnum):
    """What kind of code was scanned, which decides how it is looked up."""

    EAN13 = "ean13"  # also UPC-A, stored with a leading 0
    EAN8 = "ean8"
    ITF14 = "itf14"
    INTERNAL = "internal"  # store codes, PLU numbers, alphanumeric item codes
    SCALE = "scale"  # printed by a weighing scale: item code + price and/or weight


def _is_digits(text: str) -> bool:
    return _DIGITS.match(text) is not None


def gs1_check_digit(body: str) -> int:
    """Return the GS1 mod-10 check digit for the digits before it (any GTIN/SSCC length)."""
    if not body or not _is_digits(body):
        raise InvalidBarcode(
            f"Barcode contains non-digits: {body!r}", code="barcode_chars", chars=body
        )
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_gs1_valid(code: str) -> bool:
    """True if code is at least two ASCII digits and its last digit is the right check digit."""
    return len(code) >= 2 and _is_digits(code) and gs1_check_digit(code[:-1]) == int(code[-1])


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
    if len(price) not in (4, 5) or not _is_digits(price):
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
    if len(code) != 8 or not _is_digits(code) or code[0] not in "01":
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


def _verify_check_digit(code: str) -> None:
    if not is_gs1_valid(code):
        raise InvalidBarcode(
            f"Barcode {code}: check digit wrong, scan again", code="barcode_check", barcode=code
        )


def _make_gtin(body: str, length: int) -> str:
    if len(body) != length - 1 or not _is_digits(body):
        raise InvalidBarcode(f"Need {length - 1} digits for a {length}-digit code, got {body!r}")
    return body + str(gs1_check_digit(body))


def make_ean13(body12: str) -> str:
    """Append the check digit to 12 digits, e.g. for demo data or in-store labels."""
    return _make_gtin(body12, 13)


def make_ean8(body7: str) -> str:
    """Append the check digit to 7 digits."""
    return _make_gtin(body7, 8)


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


def _runs(pattern: str) -> list[tuple[str, int]]:
    return [(letter, len(list(group))) for letter, group in itertools.groupby(pattern)]


def _layout_problem(pattern: str) -> str | None:
    """Return why a layout pattern is unusable, or None if it is fine."""
    if len(pattern) not in _SCALE_LENGTHS:
        return f"must be 13 or 18 characters long, not {len(pattern)}"
    if any(ch not in _LAYOUT_LETTERS for ch in pattern):
        return (
            "may only use F (flag), C (item code), P (price), W (weight), "
            "V (price check digit), K (check digit)"
        )
    if not re.fullmatch(r"F+[CPWV]+K", pattern):
        return "must start with the flag digits F and end with one check digit K"
    letters = [letter for letter, _ in _runs(pattern)]
    if len(letters) != len(set(letters)):
        return "each field (C, P, W) must be one block of consecutive digits"
    if "C" not in letters:
        return "needs item code digits C"
    if "P" not in letters and "W" not in letters:
        return "needs price digits P or weight digits W"
    if "V" in letters and (pattern.count("V") != 1 or pattern.count("P") not in (4, 5)):
        return "may have one price check digit V, and only with 4 or 5 price digits P"
    return None


def _expand_flags(text: str, width: int) -> tuple[str, ...]:
    """Turn "20-29" or "20,21,25-27" into a tuple of flag strings of the given width."""
    flags: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        first, dash, last = (s.strip() for s in part.partition("-"))
        if not _is_digits(first) or (dash and not _is_digits(last)):
            raise InvalidScaleLayout(f"Scale flags {text!r}: {part!r} is not a flag or range")
        if not dash:
            flags.append(first)
            continue
        if len(first) != len(last) or int(last) < int(first):
            raise InvalidScaleLayout(f"Scale flags {text!r}: bad range {part!r}")
        flags.extend(str(n).zfill(width) for n in range(int(first), int(last) + 1))
    return tuple(flags)


def _compress_flags(flags: Iterable[str]) -> str:
    """Inverse of _expand_flags: consecutive ascending flags become one range."""
    parts: list[list[str]] = []
    for flag in flags:
        last = parts[-1][-1] if parts else None
        if last is not None and len(last) == len(flag) and int(flag) == int(last) + 1:
            parts[-1].append(flag)
        else:
            parts.append([flag])
    return ",".join(p[0] if len(p) == 1 else f"{p[0]}-{p[-1]}" for p in parts)


@dataclass(frozen=True)
class ScaleLayout:
    """Where a scale barcode keeps its fields, e.g. "FFCCCCCPPPPPK" with flags 20-29.

    Letters: F flag, C item code (PLU), P price in fen, W weight in grams, V the GS1 check digit
    of the price field, K GS1 check digit. A layout is only used for codes that start with one
    of its flags and have its length; of several that match, the one with fewest flags wins
    (see order_layouts).
    """

    pattern: str
    flags: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "flags", tuple(self.flags))
        problem = _layout_problem(self.pattern)
        if problem:
            raise InvalidScaleLayout(f"Scale layout {self.pattern!r} {problem}")
        width = self.pattern.count("F")
        if not self.flags:
            raise InvalidScaleLayout(f"Scale layout {self.pattern!r} needs at least one flag")
        for flag in self.flags:
            if len(flag) != width or not _is_digits(flag):
                raise InvalidScaleLayout(
                    f"Scale flag {flag!r} must be {width} digit(s) for {self.pattern!r}"
                )

    @property
    def length(self) -> int:
        """Number of digits in a barcode of this layout, check digit included."""
        return len(self.pattern)

    def field(self, letter: str) -> slice | None:
        """Where the field for letter (F, C, P, W, K) sits in the code, or None if absent."""
        start = self.pattern.find(letter)
        if start < 0:
            return None
        return slice(start, start + self.pattern.count(letter))

    def width(self, letter: str) -> int:
        """How many digits the field for letter has (0 if the layout lacks it)."""
        return self.pattern.count(letter)

    def matches(self, code: str) -> bool:
        """True if code has this layout's length and starts with one of its flags."""
        flag = self.field("F")
        return len(code) == self.length and flag is not None and code[flag] in self.flags

    def decode(self, code: str) -> ParsedBarcode:
        """Read item code, price and weight out of a code that matches this layout."""
        if not self.matches(code) or not _is_digits(code):
            raise InvalidBarcode(
                f"Barcode {code} is not a scale code of layout {self.pattern}",
                code="barcode_unreadable",
                barcode=code,
            )
        _verify_check_digit(code)
        price = self._digits(code, "P")
        check = self._digits(code, "V")
        if price is not None and check is not None and price_check_digit(price) != int(check):
            raise InvalidBarcode(
                f"Barcode {code}: price check digit wrong, scan again",
                code="barcode_check",
                barcode=code,
            )
        return ParsedBarcode(
            kind=BarcodeKind.SCALE,
            code=code,
            scale_item_code=self._digits(code, "C"),
            price_fen=self._number(code, "P"),
            weight_g=self._number(code, "W"),
        )

    def _digits(self, code: str, letter: str) -> str | None:
        where = self.field(letter)
        return None if where is None else code[where]

    def _number(self, code: str, letter: str) -> int | None:
        digits = self._digits(code, letter)
        return None if digits is None else int(digits)

    @staticmethod
    def parse_spec(text: str) -> ScaleLayout:
        """Read a settings string "FLAGS:PATTERN", e.g. "20-29:FFCCCCCPPPPPK" or "21,23:…"."""
        flags_text, sep, pattern = text.strip().partition(":")
        if not sep or not flags_text.strip() or not pattern.strip():
            raise InvalidScaleLayout(
                f"Scale layout {text!r} must look like FLAGS:PATTERN, e.g. 20-29:FFCCCCCPPPPPK"
            )
        pattern = pattern.strip().upper()
        return ScaleLayout(pattern=pattern, flags=_expand_flags(flags_text, pattern.count("F")))

    def to_spec(self) -> str:
        """The settings string for this layout; parse_spec(to_spec()) gives it back."""
        return f"{_compress_flags(self.flags)}:{self.pattern}"


def _specificity(layout: ScaleLayout) -> int:
    return len(layout.flags)


def order_layouts(layouts: Iterable[ScaleLayout]) -> tuple[ScaleLayout, ...]:
    """The layouts in the order a code is tried: fewest flags first, so "21:…" added after
    "20-29:…" still reads the labels that start with 21 (ties keep the order given)."""
    return tuple(sorted(layouts, key=_specificity))


def _live_flags(layout: ScaleLayout, before: Sequence[ScaleLayout]) -> set[str]:
    """The flags of layout that no earlier layout of its length takes, nor a payment code."""
    flags = set(layout.flags)
    for other in before:
        if other.length == layout.length:
            flags -= set(other.flags)
    if layout.length == 18:
        flags -= _PAYMENT_FLAGS_18
    return flags


def validate_layouts(layouts: Sequence[ScaleLayout]) -> tuple[ScaleLayout, ...]:
    """Refuse a set of layouts a store cannot mean: two layouts of one length whose flags
    overlap without one being a narrower exception of the other, and a layout that never reads
    a label (its flags all taken by more specific layouts or, at 18 digits, by WeChat/Alipay
    payment codes, which always win). Returns the layouts in the order they are tried."""
    ordered = order_layouts(layouts)
    for i, layout in enumerate(ordered):
        for other in ordered[:i]:
            same, mine = set(other.flags), set(layout.flags)
            if other.length == layout.length and same & mine and not same < mine:
                raise OverlappingLayouts(other, layout, _compress_flags(sorted(same & mine)))
        if not _live_flags(layout, ordered[:i]):
            raise DeadLayout(layout)
    return ordered


DEFAULT_WEIGHT_LAYOUT = ScaleLayout.parse_spec("21:FFCCCCCWWWWWK")
DEFAULT_PRICE_LAYOUT = ScaleLayout.parse_spec("20-29:FFCCCCCPPPPPK")
DEFAULT_SCALE_LAYOUTS: tuple[ScaleLayout, ...] = (
    DEFAULT_WEIGHT_LAYOUT,
    ScaleLayout.parse_spec("20-24:FFCCCCCPPPPPWWWWWK"),
    DEFAULT_PRICE_LAYOUT,
)


def make_scale_barcode(
    layout: ScaleLayout,
    item_code: str,
    *,
    price_fen: int | None = None,
    weight_g: int | None = None,
    flag: str | None = None,
) -> str:
    """Build a scale barcode for layout (as a scale would print it), check digit included."""
    flag = layout.flags[0] if flag is None else flag
    if flag not in layout.flags:
        raise ValueError(f"Flag {flag!r} is not one of the layout's flags {layout.to_spec()}")
    values = {"F": flag, "C": item_code}
    for letter, number, name in (("P", price_fen, "price_fen"), ("W", weight_g, "weight_g")):
        if (number is None) != (layout.width(letter) == 0):
            need = "needs" if number is None else "has no room for"
            raise ValueError(f"Scale layout {layout.pattern} {need} {name}")
        if number is not None:
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise ValueError(f"{name} must be a non-negative int, got {number!r}")
            values[letter] = str(number)
    body = ""
    for letter, width in _runs(layout.pattern[:-1]):
        if letter == "V":
            body += str(price_check_digit(values["P"].zfill(layout.width("P"))))
            continue
        digits = values[letter]
        if not _is_digits(digits) or len(digits) > width:
            raise ValueError(f"{digits!r} does not fit in {width} digit(s) of {layout.pattern}")
        body += digits.zfill(width)
    return body + str(gs1_check_digit(body))


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
    _verify_check_digit(code)
    return ParsedBarcode(BarcodeKind.EAN8, code)


def _parse_digits(
    code: str, layouts: Sequence[ScaleLayout], allow_zero_price: bool
) -> ParsedBarcode:
    length = len(code)
    if length == 12:  # UPC-A is an EAN-13 with a leading zero
        code, length = "0" + code, 13
    if length in _SCALE_LENGTHS and (scale := _parse_scale(code, layouts, allow_zero_price)):
        return scale
    if length == 13:
        _verify_check_digit(code)
        return ParsedBarcode(BarcodeKind.EAN13, code)
    if length == 8:
        return _parse_eight(code)
    if length == 14:
        _verify_check_digit(code)
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
    if _is_digits(code):
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
