"""Barcode parsing: EAN-13/EAN-8/UPC-A/ITF-14 with check digits, store-internal codes, and
scale (weighed goods) barcodes whose flag and layout each store configures.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DEFAULT_SCALE_LAYOUTS",
    "BarcodeKind",
    "InvalidBarcode",
    "InvalidScaleLayout",
    "ParsedBarcode",
    "ScaleLayout",
    "gs1_check_digit",
    "is_gs1_valid",
    "make_ean8",
    "make_ean13",
    "make_scale_barcode",
    "parse_barcode",
]

_DIGITS = re.compile(r"^[0-9]+$")  # ASCII only: str.isdigit() would accept "²" or "٣"
_INTERNAL = re.compile(r"^[A-Za-z0-9-]{1,32}$")
_INTERNAL_DIGIT_LENGTHS = range(4, 8)  # store codes / PLU typed or printed without a check
_SCALE_LENGTHS = (13, 18)
_LAYOUT_LETTERS = "FCPWK"


class InvalidBarcode(ValueError):
    """A scanned or typed code that cannot be a barcode; the message says what is wrong."""


class InvalidScaleLayout(ValueError):
    """A scale barcode layout setting that makes no sense; the message says why."""


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
        raise InvalidBarcode(f"Barcode contains non-digits: {body!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_gs1_valid(code: str) -> bool:
    """True if code is at least two ASCII digits and its last digit is the right check digit."""
    return len(code) >= 2 and _is_digits(code) and gs1_check_digit(code[:-1]) == int(code[-1])


def _verify_check_digit(code: str) -> None:
    if not is_gs1_valid(code):
        raise InvalidBarcode(f"Barcode {code}: check digit wrong, scan again")


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
        return "may only use F (flag), C (item code), P (price), W (weight), K (check digit)"
    if not re.fullmatch(r"F+[CPW]+K", pattern):
        return "must start with the flag digits F and end with one check digit K"
    letters = [letter for letter, _ in _runs(pattern)]
    if len(letters) != len(set(letters)):
        return "each field (C, P, W) must be one block of consecutive digits"
    if "C" not in letters:
        return "needs item code digits C"
    if "P" not in letters and "W" not in letters:
        return "needs price digits P or weight digits W"
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

    Letters: F flag, C item code (PLU), P price in fen, W weight in grams, K GS1 check digit.
    A layout is only used for codes that start with one of its flags and have its length.
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
            raise InvalidBarcode(f"Barcode {code} is not a scale code of layout {self.pattern}")
        _verify_check_digit(code)
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


_FLAGS_2X = tuple(str(n) for n in range(20, 30))

DEFAULT_SCALE_LAYOUTS: tuple[ScaleLayout, ...] = (
    ScaleLayout(pattern="FFCCCCCPPPPPK", flags=_FLAGS_2X),
    ScaleLayout(pattern="FFCCCCCPPPPPWWWWWK", flags=_FLAGS_2X),
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
        digits = values[letter]
        if not _is_digits(digits) or len(digits) > width:
            raise ValueError(f"{digits!r} does not fit in {width} digit(s) of {layout.pattern}")
        body += digits.zfill(width)
    return body + str(gs1_check_digit(body))


def _describe_bad_characters(text: str) -> str:
    bad = sorted({ch for ch in text if not (ch.isascii() and (ch.isalnum() or ch == "-"))})
    shown = "".join(bad[:5])
    return f"Barcode contains characters that are not allowed: {shown!r}"


def _parse_digits(code: str, layouts: Sequence[ScaleLayout]) -> ParsedBarcode:
    length = len(code)
    if length == 12:  # UPC-A is an EAN-13 with a leading zero
        code, length = "0" + code, 13
    if length in _SCALE_LENGTHS:
        for layout in layouts:
            if layout.matches(code):
                return layout.decode(code)
    if length == 13:
        _verify_check_digit(code)
        return ParsedBarcode(BarcodeKind.EAN13, code)
    if length == 8:
        _verify_check_digit(code)
        return ParsedBarcode(BarcodeKind.EAN8, code)
    if length == 14:
        _verify_check_digit(code)
        return ParsedBarcode(BarcodeKind.ITF14, code)
    if length in _INTERNAL_DIGIT_LENGTHS:
        return ParsedBarcode(BarcodeKind.INTERNAL, code)
    if length == 18:
        raise InvalidBarcode(f"Barcode {code} is 18 digits but not a scale code of this store")
    raise InvalidBarcode(f"Barcode {code} has unsupported length {length}")


def parse_barcode(
    text: str, layouts: Sequence[ScaleLayout] = DEFAULT_SCALE_LAYOUTS
) -> ParsedBarcode:
    """Parse a scanned or typed code into a ParsedBarcode, verifying GS1 check digits.

    All-digit codes: 8 EAN-8, 12 UPC-A (as EAN-13), 13 scale or EAN-13, 14 ITF-14, 18 scale,
    4-7 internal. Alphanumeric codes of up to 32 letters, digits and "-" are internal codes.
    Anything else raises InvalidBarcode with a message saying what is wrong.
    """
    code = text.strip()
    if not code:
        raise InvalidBarcode("Nothing was scanned (empty barcode)")
    if _is_digits(code):
        return _parse_digits(code, layouts)
    if _INTERNAL.match(code):
        return ParsedBarcode(BarcodeKind.INTERNAL, code)
    if len(code) > 32 and _INTERNAL.match(code[:32]):
        raise InvalidBarcode(f"Code is too long ({len(code)} characters, at most 32)")
    raise InvalidBarcode(_describe_bad_characters(code))
