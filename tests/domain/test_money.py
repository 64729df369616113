"""Tests for pos_app.domain.money: fen formatting, yuan parsing, 抹零 rounding, percentages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.money import (
    InvalidAmount,
    RoundingMode,
    format_fen,
    mul_div_half_up,
    parse_yuan,
    percent_of,
    round_total,
)

amounts = st.integers(min_value=-(10**12), max_value=10**12)


@pytest.mark.parametrize(
    ("fen", "text"),
    [(1230, "¥12.30"), (-5, "-¥0.05"), (0, "¥0.00"), (7, "¥0.07"), (123456, "¥1234.56")],
)
def test_format_fen_shows_yuan_with_two_decimals(fen: int, text: str) -> None:
    """Fen amounts are shown as yuan with a ¥ sign and exactly two decimals."""
    assert format_fen(fen) == text


def test_format_fen_can_leave_out_the_symbol() -> None:
    """symbol=False gives the bare number for tables and receipts columns."""
    assert format_fen(1230, symbol=False) == "12.30"
    assert format_fen(-1230, symbol=False) == "-12.30"


def test_format_fen_refuses_floats() -> None:
    """A float amount is a bug, so formatting it fails loudly instead of rounding."""
    with pytest.raises(TypeError):
        format_fen(12.3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12.3", 1230),
        ("12", 1200),
        ("¥1,234.56", 123456),
        ("￥8.80", 880),
        ("  0.05 ", 5),
        ("-¥0.05", -5),
        ("12.30元", 1230),
        (".5", 50),
        ("1.230", 123),
    ],
)
def test_parse_yuan_reads_what_a_cashier_types(text: str, fen: int) -> None:
    """Typed yuan amounts, with or without ¥ and thousands commas, become exact fen."""
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text", ["0.005", "abc", "", "   ", ".", "1,23", "12.3.4", "--5", "1e3", "NaN", "١٢"]
)
def test_parse_yuan_rejects_garbage_with_invalid_amount(text: str) -> None:
    """Garbage, empty text and sub-fen precision raise InvalidAmount with a message."""
    with pytest.raises(InvalidAmount) as err:
        parse_yuan(text)
    assert str(err.value)


def test_parse_yuan_says_when_there_are_too_many_decimals() -> None:
    """The message for 0.005 tells the cashier the smallest unit is one fen."""
    with pytest.raises(InvalidAmount, match="more than 2 decimals"):
        parse_yuan("0.005")


def test_parse_yuan_refuses_absurdly_large_numbers() -> None:
    """A 40-digit amount is rejected rather than silently losing digits."""
    with pytest.raises(InvalidAmount, match="too large"):
        parse_yuan("9" * 40)


@given(amounts)
def test_parse_yuan_reads_back_what_format_fen_wrote(fen: int) -> None:
    """Formatting then parsing any amount gives the same fen, with or without the symbol."""
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_fen(fen, symbol=False)) == fen


@pytest.mark.parametrize(
    ("mode", "total", "payable"),
    [
        (RoundingMode.NONE, 1237, 1237),
        (RoundingMode.FEN_TO_JIAO_DOWN, 1237, 1230),
        (RoundingMode.FEN_TO_JIAO_DOWN, 1230, 1230),
        (RoundingMode.FEN_TO_JIAO_HALF_UP, 1234, 1230),
        (RoundingMode.FEN_TO_JIAO_HALF_UP, 1235, 1240),
        (RoundingMode.FEN_TO_YUAN_DOWN, 1299, 1200),
        (RoundingMode.FEN_TO_YUAN_HALF_UP, 1249, 1200),
        (RoundingMode.FEN_TO_YUAN_HALF_UP, 1250, 1300),
        (RoundingMode.FEN_TO_JIAO_BANKERS, 1225, 1220),
        (RoundingMode.FEN_TO_JIAO_BANKERS, 1235, 1240),
        (RoundingMode.FEN_TO_JIAO_BANKERS, 1226, 1230),
        (RoundingMode.FEN_TO_JIAO_BANKERS, 1224, 1220),
        (RoundingMode.FEN_TO_JIAO_DOWN, 7, 0),
        (RoundingMode.FEN_TO_YUAN_HALF_UP, 0, 0),
    ],
)
def test_round_total_applies_each_rounding_mode(
    mode: RoundingMode, total: int, payable: int
) -> None:
    """Each 抹零 mode rounds the total to jiao or yuan the way its name says."""
    assert round_total(total, mode) == payable


def test_round_total_accepts_the_settings_string() -> None:
    """A mode read from the settings file as a plain string works too."""
    assert round_total(1237, "jiao_down") == 1230  # type: ignore[arg-type]


_UNITS = {
    RoundingMode.NONE: 1,
    RoundingMode.FEN_TO_JIAO_DOWN: 10,
    RoundingMode.FEN_TO_JIAO_HALF_UP: 10,
    RoundingMode.FEN_TO_JIAO_BANKERS: 10,
    RoundingMode.FEN_TO_YUAN_DOWN: 100,
    RoundingMode.FEN_TO_YUAN_HALF_UP: 100,
}


@given(st.integers(min_value=0, max_value=10**10), st.sampled_from(list(RoundingMode)))
def test_round_total_stays_close_and_never_goes_negative(total: int, mode: RoundingMode) -> None:
    """Rounding lands on a multiple of the unit, within half a unit (down: below one unit)."""
    unit = _UNITS[mode]
    payable = round_total(total, mode)
    assert payable >= 0
    assert payable % unit == 0
    if mode.value.endswith("_down"):
        assert 0 <= total - payable < unit
    else:
        assert 2 * abs(payable - total) <= unit


@given(amounts, st.sampled_from(list(RoundingMode)))
def test_round_total_rounds_refunds_symmetrically(total: int, mode: RoundingMode) -> None:
    """A negative total (refund) rounds to exactly minus the rounded positive total."""
    assert round_total(-total, mode) == -round_total(total, mode)


@pytest.mark.parametrize(
    ("a", "b", "c", "result"),
    [
        (1999, 500, 1000, 1000),  # 999.5 rounds up
        (1999, 499, 1000, 998),  # 997.501 rounds up
        (1000, 333, 1000, 333),
        (-1999, 500, 1000, -1000),  # half away from zero
        (1, 1, 3, 0),
        (2, 1, 3, 1),
    ],
)
def test_mul_div_half_up_rounds_half_away_from_zero(a: int, b: int, c: int, result: int) -> None:
    """Weighed-goods arithmetic rounds price*grams/1000 half up in pure integers."""
    assert mul_div_half_up(a, b, c) == result


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),
)
def test_mul_div_half_up_is_within_half_of_the_exact_quotient(a: int, b: int, c: int) -> None:
    """The result never differs from the exact quotient by more than one half."""
    result = mul_div_half_up(a, b, c)
    assert abs(2 * (result * c - a * b)) <= c


def test_mul_div_half_up_refuses_division_by_zero() -> None:
    """Dividing by zero is an error, not a silent zero."""
    with pytest.raises(ZeroDivisionError):
        mul_div_half_up(1, 1, 0)


@pytest.mark.parametrize(
    ("amount", "bp", "result"),
    [(1000, 1000, 100), (995, 1000, 100), (994, 1000, 99), (1234, 10000, 1234), (1234, 0, 0)],
)
def test_percent_of_uses_basis_points_half_up(amount: int, bp: int, result: int) -> None:
    """1000 basis points are 10 %, rounded half up to the fen."""
    assert percent_of(amount, bp) == result
