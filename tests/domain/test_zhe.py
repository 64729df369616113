"""折 as cashiers type it: 9 is 九折 (pay 90 %), 8.5 and 85 are 八五折; 90 is 九折 too, never a
90 % discount (the mistake the percent field invited)."""

from __future__ import annotations

import pytest

from pos_app.domain.zhe import InvalidZhe, parse_zhe, zhe_text


@pytest.mark.parametrize(
    ("typed", "paid_bp"),
    [
        ("9", 9000),
        ("9折", 9000),
        (" 8.5 ", 8500),
        ("85", 8500),
        ("90", 9000),
        ("95", 9500),
        ("8.55", 8550),
        ("0.5", 500),
        ("10", 10000),
    ],
)
def test_what_a_cashier_types_is_read_as_the_share_paid(typed: str, paid_bp: int) -> None:
    assert parse_zhe(typed) == paid_bp


@pytest.mark.parametrize("typed", ["", "abc", "0", "-9", "100", "85.5", "120", "8.5555", "NaN"])
def test_text_that_is_no_zhe_is_refused(typed: str) -> None:
    with pytest.raises(InvalidZhe):
        parse_zhe(typed)


@pytest.mark.parametrize(
    ("paid_bp", "text"),
    [
        (9000, "九折"),
        (8500, "八五折"),
        (8800, "八八折"),
        (5000, "五折"),
        (500, "0.5折"),
        (8550, "8.55折"),
        (10000, "不打折"),
    ],
)
def test_zhe_is_shown_as_a_shop_writes_it(paid_bp: int, text: str) -> None:
    assert zhe_text(paid_bp) == text
