"""Money as integer fen (分): formatting, parsing, 抹零 rounding and integer percentages.

Amounts never pass through float; Decimal is used only to read what a person typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation, localcontext
from enum import StrEnum

from pos_app.domain.coded import CodedError

__all__ = [
    "BASIS_POINTS",
    "FEN_PER_JIAO",
    "FEN_PER_YUAN",
    "InvalidAmount",
    "RoundingMode",
    "allocate_proportionally",
    "format_fen",
    "mul_div_half_up",
    "parse_yuan",
    "percent_of",
    "round_total",
]

FEN_PER_YUAN = 100
FEN_PER_JIAO = 10
BASIS_POINTS = 10_000  # 10000 bp = 100 %
MAX_YUAN_DIGITS = 15  # ¥999 trillion is more than any till will ever see

_CURRENCY_MARKS = ("¥", "￥", "元", "RMB", "CNY")
_NUMBER = re.compile(r"^(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<frac>[0-9]*))?$")


class InvalidAmount(CodedError, ValueError):
    """Text that is not an amount of money in yuan, with a message for the cashier."""


class RoundingMode(StrEnum):
    """How the payable total is rounded (抹零); the store picks one in its settings."""

    NONE = "none"
    FEN_TO_JIAO_DOWN = "jiao_down"  # 抹分: drop the fen
    FEN_TO_JIAO_HALF_UP = "jiao_half_up"
    FEN_TO_YUAN_DOWN = "yuan_down"  # 抹角: drop jiao and fen
    FEN_TO_YUAN_HALF_UP = "yuan_half_up"
    FEN_TO_JIAO_BANKERS = "jiao_bankers"  # half to even jiao


def _require_int(value: object, name: str) -> int:
    """Return value if it is a real int (not bool, not float), else raise TypeError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int number of fen, got {type(value).__name__}")
    return value


def format_fen(amount_fen: int, *, symbol: bool = True) -> str:
    """Format fen as yuan with two decimals: 1230 -> "¥12.30", -5 -> "-¥0.05"."""
    _require_int(amount_fen, "amount_fen")
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(amount_fen), FEN_PER_YUAN)
    mark = "¥" if symbol else ""
    return f"{sign}{mark}{yuan}.{fen:02d}"


def _strip_currency(text: str) -> tuple[bool, str]:
    """Split off a minus sign and currency marks; return (negative, bare number text)."""
    bare = text.strip()
    negative = signed = False
    for _ in range(2):  # "-¥1.00" and "¥-1.00" are both accepted
        if not signed and bare.startswith(("-", "+")):
            negative, signed = bare[0] == "-", True
            bare = bare[1:].strip()
        for mark in _CURRENCY_MARKS:
            if bare.startswith(mark):
                bare = bare[len(mark) :].strip()
            if bare.endswith(mark):
                bare = bare[: -len(mark)].strip()
    return negative, bare


def parse_yuan(text: str) -> int:
    """Read an amount typed in yuan ("12.3", "¥1,234.56", "-0.05") and return fen.

    Raises InvalidAmount for empty text, garbage, or more precision than a fen.
    """
    if not text.strip():
        raise InvalidAmount("No amount entered", code="amount_empty")
    negative, bare = _strip_currency(text)
    match = _NUMBER.match(bare)
    if not bare or match is None or not (match["int"] or match["frac"]):
        raise InvalidAmount(
            f"{text.strip()!r} is not an amount of money", code="amount_bad", text=text.strip()
        )
    int_digits = match["int"].replace(",", "")
    if len(int_digits.lstrip("0")) > MAX_YUAN_DIGITS:
        raise InvalidAmount(
            f"{text.strip()!r} is too large", code="amount_too_large", text=text.strip()
        )
    frac_digits = match["frac"] or ""
    try:
        with localcontext() as ctx:
            ctx.prec = MAX_YUAN_DIGITS + len(frac_digits) + 8
            fen = Decimal(f"{int_digits or '0'}.{frac_digits or '0'}") * FEN_PER_YUAN
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise InvalidAmount(
            f"{text.strip()!r} is not an amount of money", code="amount_bad", text=text.strip()
        ) from exc
    if fen != fen.to_integral_value():
        raise InvalidAmount(
            f"{text.strip()!r} has more than 2 decimals (smallest unit is ¥0.01)",
            code="amount_decimals",
            text=text.strip(),
        )
    return -int(fen) if negative else int(fen)


def mul_div_half_up(a: int, b: int, c: int) -> int:
    """Return a*b/c rounded half away from zero, in exact integer arithmetic.

    Used for weighed goods: mul_div_half_up(price_per_kg_fen, grams, 1000).
    """
    _require_int(a, "a")
    _require_int(b, "b")
    _require_int(c, "c")
    if c == 0:
        raise ZeroDivisionError("mul_div_half_up: division by zero")
    numerator = a * b
    negative = (numerator < 0) != (c < 0)
    quotient, remainder = divmod(abs(numerator), abs(c))
    if 2 * remainder >= abs(c):
        quotient += 1
    return -quotient if negative else quotient


def percent_of(amount_fen: int, percent_bp: int) -> int:
    """Return percent_bp basis points of amount_fen (1000 bp = 10 %), half-up to the fen."""
    return mul_div_half_up(amount_fen, percent_bp, BASIS_POINTS)


def _round_to_unit(amount_fen: int, unit: int, how: str) -> int:
    """Round a non-negative amount to a multiple of unit: "down", "half_up" or "half_even"."""
    units, rest = divmod(amount_fen, unit)
    if how == "down" or 2 * rest < unit:
        return units * unit
    if 2 * rest > unit or how == "half_up":
        return (units + 1) * unit
    return (units + (units % 2)) * unit  # exactly half, banker's: to the even multiple


_ROUNDING_RULES: dict[RoundingMode, tuple[int, str]] = {
    RoundingMode.FEN_TO_JIAO_DOWN: (FEN_PER_JIAO, "down"),
    RoundingMode.FEN_TO_JIAO_HALF_UP: (FEN_PER_JIAO, "half_up"),
    RoundingMode.FEN_TO_JIAO_BANKERS: (FEN_PER_JIAO, "half_even"),
    RoundingMode.FEN_TO_YUAN_DOWN: (FEN_PER_YUAN, "down"),
    RoundingMode.FEN_TO_YUAN_HALF_UP: (FEN_PER_YUAN, "half_up"),
}


def round_total(total_fen: int, mode: RoundingMode) -> int:
    """Return the payable total after 抹零 rounding in the given mode.

    Negative totals (refunds) are rounded symmetrically on their absolute value, so a refund
    of a sale is rounded exactly like the sale was.
    """
    _require_int(total_fen, "total_fen")
    mode = RoundingMode(mode)
    if mode is RoundingMode.NONE:
        return total_fen
    unit, how = _ROUNDING_RULES[mode]
    rounded = _round_to_unit(abs(total_fen), unit, how)
    return -rounded if total_fen < 0 else rounded


def allocate_proportionally(amount_fen: int, weights: Mapping[int, int]) -> dict[int, int]:
    """Split amount_fen over keys in proportion to non-negative weights, sums exactly.

    Uses the largest-remainder method (ties go to the smaller key), so when
    |amount| <= sum(weights) no key gets more than its weight.
    """
    if any(w < 0 for w in weights.values()):
        raise ValueError("Weights for an allocation cannot be negative")
    total_weight = sum(weights.values())
    if amount_fen == 0:
        return dict.fromkeys(weights, 0)
    if total_weight == 0:
        raise ValueError(f"Cannot spread {format_fen(amount_fen)} over nothing")
    sign, amount = (-1, -amount_fen) if amount_fen < 0 else (1, amount_fen)
    shares = {key: divmod(amount * w, total_weight) for key, w in weights.items()}
    left_over = amount - sum(q for q, _ in shares.values())
    by_remainder = sorted(shares, key=lambda key: (-shares[key][1], key))
    lucky = set(by_remainder[:left_over])
    return {key: sign * (q + (key in lucky)) for key, (q, _) in shares.items()}
