"""Tests for pos_app.domain.barcodes: GS1 check digits, EAN/UPC/ITF, internal and scale codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.gtin import gs1_check_digit, make_ean8, make_ean13
from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode, ParsedBarcode
from pos_app.domain.scale_layouts import (
    DEFAULT_SCALE_LAYOUTS,
    InvalidScaleLayout,
    ScaleLayout,
    make_scale_barcode,
    validate_layouts,
)

PRICE_13 = ScaleLayout.parse_spec("20-29:FFCCCCCPPPPPK")
WEIGHT_13 = ScaleLayout.parse_spec("20-29:FFCCCCCWWWWWK")
PRICE_WEIGHT_18 = ScaleLayout.parse_spec("20-29:FFCCCCCPPPPPWWWWWK")


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("400638133393", 1),  # EAN-13 4006381333931
        ("690123456789", 2),  # China prefix 690
        ("9638507", 4),  # EAN-8 96385074
        ("03600029145", 2),  # UPC-A 036000291452
        ("1540014128876", 3),  # ITF-14 15400141288763
        ("00000000000000000", 0),
    ],
)
def test_gs1_check_digit_matches_published_examples(body: str, check: int) -> None:
    """The mod-10 check digit agrees with known EAN-13, EAN-8, UPC-A and ITF-14 codes."""
    assert gs1_check_digit(body) == check


@pytest.mark.parametrize("body", ["", "12a4", "12 34", "١٢٣"])
def test_gs1_check_digit_refuses_non_digits(body: str) -> None:
    """Only ASCII digits have a check digit; anything else raises InvalidBarcode."""
    with pytest.raises(InvalidBarcode):
        gs1_check_digit(body)


@given(digits(12))
def test_make_ean13_output_always_parses_as_ean13(body: str) -> None:
    """Any 12 digits plus the computed check digit form a valid EAN-13 (or a scale code)."""
    code = make_ean13(body)
    parsed = parse_barcode(code, layouts=())
    assert parsed == ParsedBarcode(BarcodeKind.EAN13, code)


@given(digits(12), st.integers(min_value=0, max_value=12), st.integers(min_value=1, max_value=9))
def test_changing_any_single_digit_breaks_the_check(body: str, pos: int, delta: int) -> None:
    """A single wrong digit anywhere in an EAN-13 is always caught by the check digit."""
    code = make_ean13(body)
    wrong = code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1 :]
    with pytest.raises(InvalidBarcode, match="check digit wrong"):
        parse_barcode(wrong, layouts=())


@given(st.sampled_from("23456789"), digits(6))
def test_make_ean8_output_always_parses_as_ean8(first: str, rest: str) -> None:
    """Any 7 digits not starting 0 or 1 (those are UPC-E) plus the check digit parse as EAN-8."""
    code = make_ean8(first + rest)
    assert parse_barcode(code) == ParsedBarcode(BarcodeKind.EAN8, code)


def test_make_ean13_refuses_the_wrong_number_of_digits() -> None:
    """make_ean13 needs exactly 12 digits and says so."""
    with pytest.raises(InvalidBarcode, match="12 digits"):
        make_ean13("12345")


def test_ean13_with_china_prefix_parses() -> None:
    """A 690-699 Chinese EAN-13 is an ordinary EAN-13."""
    assert parse_barcode("6901234567892") == ParsedBarcode(BarcodeKind.EAN13, "6901234567892")


def test_upc_a_becomes_ean13_with_a_leading_zero() -> None:
    """A 12-digit UPC-A is looked up as the 13-digit EAN with a leading 0."""
    parsed = parse_barcode("036000291452")
    assert parsed == ParsedBarcode(BarcodeKind.EAN13, "0036000291452")


def test_upc_a_with_wrong_check_digit_is_refused() -> None:
    """UPC-A check digits are verified too."""
    with pytest.raises(InvalidBarcode, match="check digit wrong"):
        parse_barcode("036000291453")


def test_itf14_parses_with_check_digit() -> None:
    """A 14-digit case code is ITF-14 and its check digit is verified."""
    assert parse_barcode("15400141288763") == ParsedBarcode(BarcodeKind.ITF14, "15400141288763")
    with pytest.raises(InvalidBarcode, match="check digit wrong"):
        parse_barcode("15400141288764")


def test_surrounding_whitespace_from_the_scanner_is_ignored() -> None:
    """Scanners may add CR/LF or spaces; they are stripped before parsing."""
    assert parse_barcode(" 6901234567892\r\n").code == "6901234567892"


@pytest.mark.parametrize("code", ["1234", "00123", "123456", "1234567", "A-100", "abc123XYZ"])
def test_short_numbers_and_alphanumeric_codes_are_internal(code: str) -> None:
    """4-7 digit store codes and alphanumeric item codes are INTERNAL, without a check."""
    assert parse_barcode(code) == ParsedBarcode(BarcodeKind.INTERNAL, code)


def test_price_scale_code_gives_item_code_and_price() -> None:
    """Flag 2x + 5-digit item code + 5-digit price in fen + check is a SCALE code."""
    code = make_scale_barcode(PRICE_13, "12345", price_fen=1599, flag="22")
    assert code[:12] == "221234501599"
    parsed = parse_barcode(code)
    assert parsed == ParsedBarcode(BarcodeKind.SCALE, code, "12345", price_fen=1599)


def test_weight_scale_code_gives_item_code_and_weight() -> None:
    """A weight layout yields the weight in grams and no price."""
    code = make_scale_barcode(WEIGHT_13, "00042", weight_g=1250)
    parsed = parse_barcode(code, layouts=[WEIGHT_13])
    assert parsed == ParsedBarcode(BarcodeKind.SCALE, code, "00042", weight_g=1250)


def test_eighteen_digit_scale_code_gives_price_and_weight() -> None:
    """The default 18-digit layout carries item code, price and weight."""
    code = make_scale_barcode(PRICE_WEIGHT_18, "123", price_fen=2380, weight_g=456)
    assert len(code) == 18
    parsed = parse_barcode(code)
    assert parsed.kind is BarcodeKind.SCALE
    assert (parsed.scale_item_code, parsed.price_fen, parsed.weight_g) == ("00123", 2380, 456)


def test_scale_code_with_wrong_check_digit_is_refused() -> None:
    """Scale codes are verified like any GS1 code."""
    code = make_scale_barcode(PRICE_13, "12345", price_fen=1599)
    broken = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(InvalidBarcode, match="check digit wrong"):
        parse_barcode(broken)


def test_flag_not_configured_means_plain_ean13() -> None:
    """A 13-digit code whose prefix is no scale flag is an EAN-13, even with a 2x store."""
    code = make_ean13("210000000000")
    parsed = parse_barcode(code, layouts=[ScaleLayout.parse_spec("20:FFCCCCCPPPPPK")])
    assert parsed.kind is BarcodeKind.EAN13


def test_eighteen_digits_without_a_matching_layout_are_refused() -> None:
    """An 18-digit code that fits no scale layout is not an item barcode."""
    with pytest.raises(InvalidBarcode, match="18 digits"):
        parse_barcode("134567890123456789")


@given(
    st.sampled_from([PRICE_13, WEIGHT_13, PRICE_WEIGHT_18]),
    st.text(alphabet="0123456789", min_size=1, max_size=5),
    st.integers(min_value=0, max_value=99999),
    st.integers(min_value=0, max_value=99999),
    st.sampled_from(PRICE_13.flags),
)
def test_make_scale_barcode_round_trips(
    layout: ScaleLayout, item: str, price: int, weight: int, flag: str
) -> None:
    """Whatever a scale encodes (item code, price, weight) comes back out of parse_barcode."""
    has_price, has_weight = layout.width("P") > 0, layout.width("W") > 0
    code = make_scale_barcode(
        layout,
        item,
        price_fen=price if has_price else None,
        weight_g=weight if has_weight else None,
        flag=flag,
    )
    parsed = parse_barcode(code, layouts=[layout], allow_zero_price=True)
    assert parsed.kind is BarcodeKind.SCALE
    assert parsed.code == code
    assert parsed.scale_item_code == item.zfill(5)
    assert parsed.price_fen == (price if has_price else None)
    assert parsed.weight_g == (weight if has_weight else None)


def test_make_scale_barcode_refuses_values_that_do_not_fit() -> None:
    """A price wider than the layout's field, or a missing field, is a clear ValueError."""
    with pytest.raises(ValueError, match="does not fit"):
        make_scale_barcode(PRICE_13, "1", price_fen=100000)
    with pytest.raises(ValueError, match="needs price_fen"):
        make_scale_barcode(PRICE_13, "1")
    with pytest.raises(ValueError, match="no room for weight_g"):
        make_scale_barcode(PRICE_13, "1", price_fen=1, weight_g=1)
    with pytest.raises(ValueError, match="not one of the layout's flags"):
        make_scale_barcode(PRICE_13, "1", price_fen=1, flag="30")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("12345678901", "unsupported length 11"),
        ("123", "unsupported length 3"),
        ("1234567890123456", "unsupported length 16"),
        ("6901 234567892", "not allowed"),
        ("690123456789٣", "not allowed"),
        ("abc!", "not allowed"),
        ("A" * 33, "too long"),
        ("6901234567893", "check digit wrong"),
        ("96385075", "check digit wrong"),
    ],
)
def test_malformed_codes_raise_invalid_barcode_saying_why(text: str, message: str) -> None:
    """Non-digits, wrong lengths, empty input and bad check digits each get a clear message."""
    with pytest.raises(InvalidBarcode, match=message):
        parse_barcode(text)


@given(st.text(max_size=40))
def test_parse_barcode_never_fails_with_anything_but_invalid_barcode(text: str) -> None:
    """Fuzzed input either parses or raises InvalidBarcode; never another exception."""
    try:
        parsed = parse_barcode(text)
    except InvalidBarcode as err:
        assert str(err)
    else:
        assert parsed.code


def test_default_layouts_read_21_as_weight_and_leave_payment_flags_alone() -> None:
    """The defaults: 21 weight labels, 20-29 price labels, 18-digit labels only on 20-24 (25-29
    at 18 digits are Alipay payment codes); the set passes its own validation."""
    assert [layout.to_spec() for layout in DEFAULT_SCALE_LAYOUTS] == [
        "21:FFCCCCCWWWWWK",
        "20-24:FFCCCCCPPPPPWWWWWK",
        "20-29:FFCCCCCPPPPPK",
    ]
    assert validate_layouts(DEFAULT_SCALE_LAYOUTS) == DEFAULT_SCALE_LAYOUTS


def test_layout_spec_accepts_lists_and_ranges_of_flags() -> None:
    """Settings strings may list flags and ranges; to_spec writes them back compactly."""
    layout = ScaleLayout.parse_spec(" 21, 23-25 : ffcccccwwwwwk ")
    assert layout.flags == ("21", "23", "24", "25")
    assert layout.pattern == "FFCCCCCWWWWWK"
    assert layout.to_spec() == "21,23-25:FFCCCCCWWWWWK"


def test_one_digit_flag_layouts_work() -> None:
    """A store whose scale uses a single flag digit 2 and a 6-digit PLU is supported."""
    layout = ScaleLayout.parse_spec("2:FCCCCCCPPPPPK")
    code = make_scale_barcode(layout, "123456", price_fen=999)
    parsed = parse_barcode(code, layouts=[layout])
    assert (parsed.scale_item_code, parsed.price_fen) == ("123456", 999)


@given(
    st.lists(st.integers(min_value=0, max_value=99), min_size=1, max_size=12),
    st.sampled_from(["FFCCCCCPPPPPK", "FFCCCCCWWWWWK", "FFCCCCCPPPPPWWWWWK", "FFPPPPPCCCCCK"]),
)
def test_layout_spec_round_trips(flag_numbers: list[int], pattern: str) -> None:
    """parse_spec(to_spec()) gives back the same layout, flags in the same order."""
    layout = ScaleLayout(pattern=pattern, flags=tuple(f"{n:02d}" for n in flag_numbers))
    assert ScaleLayout.parse_spec(layout.to_spec()) == layout


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("FFCCCCCPPPPPK", "FLAGS:PATTERN"),
        ("20-29:FFCCCCCPPPPK", "13 or 18"),
        ("20-29:FFCCCCCXXXXXK", "may only use"),
        ("20-29:CCFFFFFPPPPPK", "start with the flag"),
        ("20-29:FFCCCCCPPPPPP", "end with one check digit"),
        ("20-29:FFCCPPPCCPPPK", "one block"),
        ("20-29:FFPPPPPWWWWWK", "item code"),
        ("20-29:FFCCCCCCCCCCK", "price digits P or weight digits W"),
        ("2:FFCCCCCPPPPPK", "must be 2 digit"),
        ("29-20:FFCCCCCPPPPPK", "bad range"),
        ("2x:FFCCCCCPPPPPK", "not a flag or range"),
    ],
)
def test_bad_layout_specs_raise_with_a_clear_message(spec: str, message: str) -> None:
    """A broken scale layout setting is refused with a message naming the problem."""
    with pytest.raises(InvalidScaleLayout, match=message):
        ScaleLayout.parse_spec(spec)


def test_invalid_scale_layout_is_a_value_error() -> None:
    """Callers that catch ValueError for settings also catch layout errors."""
    with pytest.raises(ValueError):
        ScaleLayout(pattern="FFK", flags=("20",))
