"""Fixed-column text layout for receipt printers, shared by the ESC/POS renderer and the preview.

A job is a list of blocks: text rows already padded to the paper's columns, QR codes and
barcodes. Width is counted the way the printer counts it in Chinese mode: one column per ASCII
byte, two per GBK double-byte character (a Hanzi, "￥", Chinese punctuation).

`printable()` is the sanitiser every piece of shop data goes through: control characters, ESC/GS
sequences' lead bytes and invisible formatting characters are removed, line breaks and tabs become
spaces, "¥" becomes the fullwidth "￥" (U+00A5 has no GBK code), and anything a GBK printer font
cannot show becomes "?".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

__all__ = [
    "BarcodeBlock",
    "Block",
    "QrBlock",
    "Size",
    "TextRow",
    "center",
    "left_right",
    "pad_left",
    "pad_right",
    "printable",
    "rule",
    "text_width",
    "wrap",
]

_SPACES = re.compile(r"\s+")
_NO_ROW_START = frozenset("）)】」』》〉，。、；：！？,.;:!?%")  # kept with the character before


class Size(Enum):
    """Character size of a row: NORMAL, TALL (double height) or LARGE (double width and height)."""

    NORMAL = (1, 1)
    TALL = (1, 2)
    LARGE = (2, 2)

    @property
    def width_factor(self) -> int:
        return self.value[0]

    @property
    def height_factor(self) -> int:
        return self.value[1]


@dataclass(frozen=True)
class TextRow:
    """One printed line; `text` is sanitised and fits the paper at this size."""

    text: str
    size: Size = Size.NORMAL
    bold: bool = False


@dataclass(frozen=True)
class QrBlock:
    """A QR code (error correction M) holding `url`, centred."""

    url: str


@dataclass(frozen=True)
class BarcodeBlock:
    """An EAN-13 barcode with its digits below, centred."""

    ean13: str


Block = TextRow | QrBlock | BarcodeBlock


_LINE_BREAKS = frozenset("\t\n\v\f\r\x85")


@lru_cache(maxsize=8192)
def _printable_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if ch in _LINE_BREAKS or category in ("Zs", "Zl", "Zp"):
        return " "
    if category.startswith("C"):  # controls (ESC, GS, FS...), format, surrogates, private use
        return ""
    if ch == "¥":
        return "￥"
    encoded = ch.encode("gb18030")
    if len(encoded) == 2 or (len(encoded) == 1 and 0x20 <= encoded[0] < 0x7F):
        return ch
    return "?"


def printable(text: str) -> str:
    """Shop data made safe and printable on one line (see the module docstring)."""
    cleaned = "".join(map(_printable_char, unicodedata.normalize("NFC", text)))
    return _SPACES.sub(" ", cleaned).strip()


def text_width(text: str) -> int:
    """Columns `text` takes on the printer: 1 per ASCII character, 2 per other character."""
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)


def pad_left(text: str, cols: int) -> str:
    """Right-align `text` in `cols` columns (no cut if it is wider)."""
    return " " * max(0, cols - text_width(text)) + text


def pad_right(text: str, cols: int) -> str:
    """Left-align `text` in `cols` columns (no cut if it is wider)."""
    return text + " " * max(0, cols - text_width(text))


def center(text: str, cols: int) -> str:
    """Centre `text` in `cols` columns (left padding only; trailing spaces print nothing)."""
    return " " * max(0, (cols - text_width(text)) // 2) + text


def _break_at_space(row: str) -> tuple[str, str]:
    """Split a full row at its last space so a word is not cut, if that keeps half the row."""
    cut = row.rfind(" ")
    if cut <= len(row) // 2:
        return row, ""
    return row[:cut], row[cut + 1 :]


def wrap(text: str, cols: int) -> list[str]:
    """Break `text` into rows of at most `cols` columns, preferring to break at spaces."""
    rows: list[str] = []
    row, used = "", 0
    for ch in text:
        width = text_width(ch)
        if used + width > cols:
            if ch == " ":
                rows.append(row)
                row, used = "", 0
                continue
            done, row = _break_at_space(row)
            if not row and ch in _NO_ROW_START and len(done) > 1:
                done, row = done[:-1], done[-1]
            rows.append(done)
            used = text_width(row)
        row += ch
        used += width
    if row or not rows:
        rows.append(row)
    return rows


def left_right(left: str, right: str, cols: int) -> list[str]:
    """`left` at the start and `right` flush right on one row, or on two rows if too wide."""
    gap = cols - text_width(left) - text_width(right)
    if gap >= 1:
        return [left + " " * gap + right]
    return [*wrap(left, cols), *(pad_left(row, cols) for row in wrap(right, cols))]


def rule(cols: int, char: str = "-") -> TextRow:
    """A full-width separator row."""
    return TextRow(char * cols)
