"""Scale (weighed goods) barcodes: the layouts a store's scales print (flags, item code, price,
weight, check digits), checked so that every label reads one way only; the defaults; and
printing a code for a layout as a scale would."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pos_app.domain.coded import CodedError
from pos_app.domain.gtin import gs1_check_digit, is_digits, price_check_digit, verify_check_digit
from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode, ParsedBarcode

SCALE_LENGTHS = (13, 18)
_LAYOUT_LETTERS = "FCPWVK"
_PAYMENT_FLAGS_18 = frozenset({*(f"1{n}" for n in range(6)), *(f"2{n}" for n in range(5, 10))})


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


def _runs(pattern: str) -> list[tuple[str, int]]:
    return [(letter, len(list(group))) for letter, group in itertools.groupby(pattern)]


def _layout_problem(pattern: str) -> str | None:
    """Return why a layout pattern is unusable, or None if it is fine."""
    if len(pattern) not in SCALE_LENGTHS:
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
        if not is_digits(first) or (dash and not is_digits(last)):
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
            if len(flag) != width or not is_digits(flag):
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
        if not self.matches(code) or not is_digits(code):
            raise InvalidBarcode(
                f"Barcode {code} is not a scale code of layout {self.pattern}",
                code="barcode_unreadable",
                barcode=code,
            )
        verify_check_digit(code)
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
        if not is_digits(digits) or len(digits) > width:
            raise ValueError(f"{digits!r} does not fit in {width} digit(s) of {layout.pattern}")
        body += digits.zfill(width)
    return body + str(gs1_check_digit(body))
