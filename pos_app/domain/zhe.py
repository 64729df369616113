"""折: how Chinese shops say a discount. 9 折 (九折) means the customer pays 90 %, 8.5 折 (八五折)
85 %. Kept as the basis points paid (9000, 8500), integers like every other amount; the fen taken
off are computed from them by the cart with integer arithmetic."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from pos_app.domain.coded import CodedError
from pos_app.domain.money import BASIS_POINTS

__all__ = ["InvalidZhe", "parse_zhe", "zhe_text"]

_DIGITS = "零一二三四五六七八九"
_BP_PER_ZHE = 1000  # 1 折 = 10 % paid
_BP_PER_PERCENT = 100


class InvalidZhe(CodedError, ValueError):
    """Text that is not a 折 (0.1 to 10, or two digits such as 85 for 八五折)."""


def parse_zhe(text: str) -> int:
    """Basis points the customer pays for what a cashier typed: "9" or "9折" -> 9000 (九折),
    "8.5" or "85" -> 8500 (八五折), "10" -> 10000 (no discount). "90" is 九折 too, never 90 % off.
    """
    typed = text.strip().removesuffix("折").strip()
    try:
        value = Decimal(typed)
    except InvalidOperation:
        raise InvalidZhe(text) from None
    if not value.is_finite() or value <= 0:
        raise InvalidZhe(text)
    if value <= 10:
        paid = value * _BP_PER_ZHE
    elif value < 100 and value == value.to_integral_value():
        paid = value * _BP_PER_PERCENT  # 85 is how 八五折 is also written
    else:
        raise InvalidZhe(text)
    if paid != paid.to_integral_value():
        raise InvalidZhe(text)
    return int(paid)


def zhe_text(paid_bp: int) -> str:
    """九折, 八五折, 五折 for whole percents; 8.55折 otherwise; 不打折 for 100 %."""
    if paid_bp >= BASIS_POINTS:
        return "不打折"
    tens, rest = divmod(paid_bp, _BP_PER_ZHE)
    if rest == 0 and tens > 0:
        return f"{_DIGITS[tens]}折"
    if rest % _BP_PER_PERCENT == 0 and tens > 0:
        return f"{_DIGITS[tens]}{_DIGITS[rest // _BP_PER_PERCENT]}折"
    return f"{Decimal(paid_bp) / _BP_PER_ZHE:f}".rstrip("0").rstrip(".") + "折"
