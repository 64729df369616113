"""Every barcode kind checked against python-stdnum as an independent oracle, scale layouts by
hypothesis, and the layout set a store may save (specific before general, nothing dead)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import ean

from pos_app.domain.barcodes import ZeroPriceLabel, parse_barcode
from pos_app.domain.gtin import price_check_digit, upc_e_to_upc_a
from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode
from pos_app.domain.scale_layouts import (
    InvalidScaleLayout,
    ScaleLayout,
    make_scale_barcode,
    validate_layouts,
)

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def with_check(body: str) -> str:
    return body + ean.calc_check_digit(body)


def codes(length: int) -> st.SearchStrategy[str]:
    """Half valid codes (stdnum's check digit), half any digits (mostly corrupt)."""
    return st.one_of(digits(length - 1).map(with_check), digits(length))


def outcome(code: str) -> tuple[BarcodeKind, str] | None:
    try:
        parsed = parse_barcode(code, layouts=())
    except InvalidBarcode:
        return None
    return parsed.kind, parsed.code


@given(codes(13))
def test_ean13_is_accepted_exactly_when_stdnum_accepts_it(code: str) -> None:
    """13 digits: accepted as that EAN-13 iff stdnum says the check digit is right."""
    assert outcome(code) == ((BarcodeKind.EAN13, code) if ean.is_valid(code) else None)


@given(codes(12))
def test_upc_a_is_accepted_exactly_when_stdnum_accepts_it(code: str) -> None:
    """12 digits: UPC-A, stored as its EAN-13 (a leading 0), iff stdnum accepts it."""
    assert outcome(code) == ((BarcodeKind.EAN13, "0" + code) if ean.is_valid(code) else None)


@given(st.sampled_from("23456789"), codes(7))
def test_ean8_is_accepted_exactly_when_stdnum_accepts_it(first: str, rest: str) -> None:
    """8 digits not starting 0/1: EAN-8 iff stdnum accepts it."""
    code = with_check(first + rest[:6]) if ean.is_valid(rest) else first + rest
    assert outcome(code) == ((BarcodeKind.EAN8, code) if ean.is_valid(code) else None)


@given(st.sampled_from("01"), digits(7))
def test_upc_e_is_its_upc_a_when_stdnum_accepts_that(system: str, rest: str) -> None:
    """8 digits starting 0/1: UPC-E when its UPC-A expansion passes stdnum, else EAN-8 if
    stdnum accepts the 8 digits, else refused."""
    code = system + rest
    upc_a = upc_e_to_upc_a(code)
    if ean.is_valid(upc_a):
        expected: tuple[BarcodeKind, str] | None = (BarcodeKind.EAN13, "0" + upc_a)
    elif ean.is_valid(code):
        expected = (BarcodeKind.EAN8, code)
    else:
        expected = None
    assert outcome(code) == expected


@pytest.mark.parametrize(
    ("upc_e", "upc_a"),
    [
        ("01234558", "012345000058"),  # last digit 5-9: manufacturer 12345, item 5
        ("04252614", "042100005264"),  # last digit 0-2
        ("01234531", "012300000451"),  # last digit 3
        ("01234543", "012340000053"),  # last digit 4
    ],
)
def test_upc_e_expands_by_the_published_rules(upc_e: str, upc_a: str) -> None:
    """UPC-E expansion for each kind of last digit, and the expansions pass stdnum."""
    assert upc_e_to_upc_a(upc_e) == upc_a
    assert ean.is_valid(upc_a)
    assert parse_barcode(upc_e).code == "0" + upc_a


@given(codes(14))
def test_gtin14_is_accepted_exactly_when_stdnum_accepts_it(code: str) -> None:
    """14 digits: ITF-14 iff stdnum accepts it; with indicator 0 it is the EAN-13 inside."""
    if not ean.is_valid(code):
        assert outcome(code) is None
    elif code[0] == "0":
        assert outcome(code) == (BarcodeKind.EAN13, code[1:])
        assert ean.is_valid(code[1:])
    else:
        assert outcome(code) == (BarcodeKind.ITF14, code)


@given(st.sampled_from([8, 12, 13, 14]).flatmap(codes))
def test_full_width_digits_read_the_same_as_ascii(code: str) -> None:
    """A code typed with full-width digits (an input method) reads exactly like ASCII."""
    assert outcome(code.translate(FULL_WIDTH)) == outcome(code)


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_invalid_barcode(text: str) -> None:
    """Whatever arrives (NUL, control characters, any script), parsing never crashes."""
    with contextlib.suppress(InvalidBarcode):
        parse_barcode(text)


# -- scale layouts ---------------------------------------------------------------------------


@st.composite
def layouts(draw: st.DrawFn) -> ScaleLayout:
    """A random well-formed layout: flag, item code, then price and/or weight (a price may
    carry a V check digit), 13 or 18 digits long."""
    length = draw(st.sampled_from([13, 18]))
    flag = draw(st.integers(1, 2))
    price = draw(st.sampled_from([0, 4, 5]))
    check = price and draw(st.booleans())
    room = length - 1 - flag - price - int(check)
    weight = draw(st.integers(0 if price else 1, min(room - 1, 6)))
    code = room - weight
    assume(code >= 1)
    parts = ["F" * flag, "C" * code, "V" * int(check), "P" * price, "W" * weight]
    pattern = "".join(parts) + "K"
    first = draw(st.integers(0, 10**flag - 1))
    return ScaleLayout(pattern=pattern, flags=(str(first).zfill(flag),))


@given(layouts(), st.data())
def test_any_layout_reads_back_what_a_scale_printed(
    layout: ScaleLayout, data: st.DataObject
) -> None:
    """make_scale_barcode then parse_barcode gives the item code, price and weight back, and
    the code passes stdnum's GS1 check (13 digits) or our own (18)."""
    item = data.draw(digits(layout.width("C")))
    price = data.draw(st.integers(1, 10 ** layout.width("P") - 1)) if layout.width("P") else None
    weight = data.draw(st.integers(1, 10 ** layout.width("W") - 1)) if layout.width("W") else None
    code = make_scale_barcode(layout, item, price_fen=price, weight_g=weight)
    if len(code) == 13:
        assert ean.is_valid(code)
    parsed = parse_barcode(code, layouts=[layout])
    assert (parsed.kind, parsed.scale_item_code) == (BarcodeKind.SCALE, item)
    assert (parsed.price_fen, parsed.weight_g) == (price, weight)


@given(layouts(), st.data())
def test_a_wrong_price_check_digit_is_refused(layout: ScaleLayout, data: st.DataObject) -> None:
    """With a V digit, a label whose V does not fit its price is refused even when K fits."""
    assume(layout.width("V") == 1)
    price = data.draw(st.integers(1, 10 ** layout.width("P") - 1))
    weight = data.draw(st.integers(1, 10 ** layout.width("W") - 1)) if layout.width("W") else None
    code = make_scale_barcode(layout, "1", price_fen=price, weight_g=weight)
    where = layout.pattern.index("V")
    wrong = str((int(code[where]) + data.draw(st.integers(1, 9))) % 10)
    body = code[:where] + wrong + code[where + 1 : -1]
    with pytest.raises(InvalidBarcode, match="price check digit"):
        parse_barcode(with_check(body), layouts=[layout])


@pytest.mark.parametrize(("price", "check"), [("0345", 3), ("0000", 0), ("00000", 0)])
def test_price_check_digit_matches_worked_examples(price: str, check: int) -> None:
    """The GS1 price check digit: 0345 → 3 (the label 2000123303451)."""
    assert price_check_digit(price) == check


def test_zero_price_and_zero_weight_labels_are_refused_unless_allowed() -> None:
    """A label for ¥0.00 or 0 g is refused; allow_zero_price lets it through."""
    layout = ScaleLayout.parse_spec("20-29:FFCCCCCPPPPPK")
    code = make_scale_barcode(layout, "123", price_fen=0)
    with pytest.raises(ZeroPriceLabel):
        parse_barcode(code, [layout])
    assert parse_barcode(code, [layout], allow_zero_price=True).price_fen == 0


def test_a_narrower_layout_wins_whatever_order_it_was_entered_in() -> None:
    """21:weight added after 20-29:price reads 21 labels as weight, others as price."""
    general = ScaleLayout.parse_spec("20-29:FFCCCCCPPPPPK")
    weight = ScaleLayout.parse_spec("21:FFCCCCCWWWWWK")
    label = make_scale_barcode(weight, "777", weight_g=1250)
    assert parse_barcode(label, [general, weight]).weight_g == 1250
    assert parse_barcode(label, [general, weight]).price_fen is None
    other = make_scale_barcode(general, "777", price_fen=1250, flag="22")
    assert parse_barcode(other, [general, weight]).price_fen == 1250


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        (["20-29:FFCCCCCPPPPPK", "20-29:FFCCCCCWWWWWK"], "share flags 20-29"),
        (["20-25:FFCCCCCPPPPPK", "24-29:FFCCCCCWWWWWK"], "share flags 24-25"),
        (["25-29:FFCCCCCPPPPPWWWWWK"], "never reads a label"),
        (["21:FFCCCCCWWWWWK", "22:FFCCCCCWWWWWK", "21-22:FFCCCCCPPPPPK"], "never reads"),
    ],
)
def test_overlapping_and_dead_layouts_are_refused(specs: list[str], message: str) -> None:
    """Same flags twice, crossing ranges, payment-code flags at 18 digits, or a general layout
    whose every flag is taken by narrower ones: each is refused with the reason."""
    with pytest.raises(InvalidScaleLayout, match=message):
        validate_layouts([ScaleLayout.parse_spec(spec) for spec in specs])


def test_a_narrower_exception_to_a_general_layout_is_accepted_and_ordered_first() -> None:
    """20-29 price plus 21 weight is a valid set, and 21 is tried first."""
    specs = ["20-29:FFCCCCCPPPPPK", "21:FFCCCCCWWWWWK"]
    ordered = validate_layouts([ScaleLayout.parse_spec(spec) for spec in specs])
    assert [layout.to_spec() for layout in ordered] == ["21:FFCCCCCWWWWWK", "20-29:FFCCCCCPPPPPK"]
