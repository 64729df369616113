"""Tests for scan routing in pos_app.domain.scan: the same digits mean different things in the
item, payment, member and refund steps.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode
from pos_app.domain.scale_layouts import DEFAULT_SCALE_LAYOUTS, ScaleLayout, make_scale_barcode
from pos_app.domain.scan import (
    CouponOutOfPlace,
    CouponScan,
    ItemScan,
    MemberCodeScan,
    PaymentCodeScan,
    PaymentProvider,
    ReceiptScan,
    ScanContext,
    WrongScanContext,
    detect_payment_provider,
    mask_payment_code,
    route_scan,
)

WECHAT = "134567890123456789"
ALIPAY = "281234567890123456"
SCALE_18 = make_scale_barcode(DEFAULT_SCALE_LAYOUTS[1], "12345", price_fen=1880, weight_g=940)


def test_wechat_payment_code_in_payment_step_is_a_payment() -> None:
    """An 18-digit 10-15 code scanned at the payment step is a WeChat payment code."""
    assert route_scan(WECHAT, ScanContext.PAYMENT) == PaymentCodeScan(
        PaymentProvider.WECHAT, WECHAT
    )


@pytest.mark.parametrize("code", [ALIPAY, "2512345678901234", "301234567890123456789012"])
def test_alipay_payment_codes_in_payment_step_are_payments(code: str) -> None:
    """Alipay codes start 25-30 and are 16-24 digits long."""
    assert route_scan(code, ScanContext.PAYMENT) == PaymentCodeScan(PaymentProvider.ALIPAY, code)


def test_a_payment_code_is_never_an_item_even_where_a_layout_would_read_it() -> None:
    """Even when a WeChat code would parse as a scale code, the payment step charges it and
    the item step refuses it without a lookup."""
    layouts = [ScaleLayout.parse_spec("10-15:FFCCCCCPPPPPWWWWWK")]
    code = make_scale_barcode(layouts[0], "1", price_fen=1, weight_g=1, flag="13")
    with pytest.raises(WrongScanContext):
        route_scan(code, ScanContext.ITEM, layouts)
    routed = route_scan(code, ScanContext.PAYMENT, layouts)
    assert routed == PaymentCodeScan(PaymentProvider.WECHAT, code)


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.sampled_from("012345"))
def test_every_wechat_shaped_code_is_a_payment_in_payment_step(rest: str, second: str) -> None:
    """Any 1[0-5] + 16 digits code routes to WeChat payment, never an item."""
    code = "1" + second + rest
    assert route_scan(code, ScanContext.PAYMENT) == PaymentCodeScan(PaymentProvider.WECHAT, code)


@pytest.mark.parametrize("code", ["6901234567892", SCALE_18, "abc", "16" + "0" * 16])
def test_non_payment_codes_in_payment_step_are_refused(code: str) -> None:
    """An item barcode at the payment step is refused with a message, not added to the cart."""
    with pytest.raises(WrongScanContext, match="Not a WeChat or Alipay payment code"):
        route_scan(code, ScanContext.PAYMENT)


def test_payment_code_in_item_step_tells_the_cashier_to_press_pay() -> None:
    """A WeChat code scanned while ringing up items says to start payment first."""
    with pytest.raises(WrongScanContext, match="scan it at checkout"):
        route_scan(WECHAT, ScanContext.ITEM)


def test_eighteen_digit_scale_code_in_item_step_is_an_item() -> None:
    """In the item step an 18-digit code that parses as a scale code is an item."""
    routed = route_scan(SCALE_18, ScanContext.ITEM)
    assert isinstance(routed, ItemScan)
    assert routed.barcode.kind is BarcodeKind.SCALE
    assert (routed.barcode.scale_item_code, routed.barcode.price_fen) == ("12345", 1880)
    assert routed.barcode.weight_g == 940


def test_ean13_in_item_step_is_an_item() -> None:
    """An ordinary product barcode in the item step is an item lookup."""
    routed = route_scan("6901234567892", ScanContext.ITEM)
    assert isinstance(routed, ItemScan)
    assert routed.barcode.code == "6901234567892"


def test_broken_barcode_in_item_step_raises_invalid_barcode() -> None:
    """A misread barcode that is not a payment code raises InvalidBarcode."""
    with pytest.raises(InvalidBarcode, match="check digit wrong"):
        route_scan("6901234567893", ScanContext.ITEM)


@pytest.mark.parametrize("code", [WECHAT, "6901234567892", "M:abc.def", "13800138000"])
def test_member_step_takes_any_non_empty_code(code: str) -> None:
    """In the member step everything scanned is a member code, even payment-shaped digits."""
    assert route_scan(f" {code}\n", ScanContext.MEMBER) == MemberCodeScan(code)


@pytest.mark.parametrize("text", ["https://mall.example.cn/r/AbC123_-", "S0001-000042"])
def test_refund_step_takes_receipt_links_and_sale_numbers(text: str) -> None:
    """In the refund step a scan is the receipt QR link or sale number of the original sale."""
    assert route_scan(text, ScanContext.REFUND) == ReceiptScan(text)


@pytest.mark.parametrize("context", list(ScanContext))
def test_empty_scan_is_refused_in_every_step(context: ScanContext) -> None:
    """An empty scan is never routed anywhere."""
    with pytest.raises(InvalidBarcode, match="Nothing was scanned"):
        route_scan("  \r\n", context)


@pytest.mark.parametrize(
    ("code", "provider"),
    [
        (WECHAT, PaymentProvider.WECHAT),
        ("100000000000000000", PaymentProvider.WECHAT),
        (ALIPAY, PaymentProvider.ALIPAY),
        ("16" + "0" * 16, None),
        ("13456789012345678", None),  # 17 digits
        ("2412345678901234", None),  # 24 is no Alipay prefix
        ("25123456789012", None),  # too short for Alipay
        ("13456789012345678٩", None),  # non-ASCII digit
        ("", None),
    ],
)
def test_detect_payment_provider_follows_the_published_patterns(
    code: str, provider: PaymentProvider | None
) -> None:
    """Provider detection follows the WeChat and Alipay code patterns exactly."""
    assert detect_payment_provider(code) == provider


def test_mask_payment_code_hides_the_middle() -> None:
    """Payment codes are shown and logged with only the first and last four digits."""
    assert mask_payment_code("1345678901231234") == "1345********1234"
    assert mask_payment_code(WECHAT) == "1345********6789"
    assert mask_payment_code("123") == "********"


def test_payment_scan_repr_never_shows_the_full_code() -> None:
    """Logging a PaymentCodeScan object does not leak the payment code."""
    text = repr(PaymentCodeScan(PaymentProvider.WECHAT, WECHAT))
    assert WECHAT not in text
    assert "1345********6789" in text


def test_a_coupon_is_taken_on_the_sale_screen_and_refused_elsewhere() -> None:
    """A coupon QR means "use this coupon" in the item step; while paying or finding a member
    it is refused with a message that says where it goes; never an item lookup."""
    code = "CP1" + "A" * 150
    assert route_scan(code, ScanContext.ITEM) == CouponScan(code)
    for context in (ScanContext.PAYMENT, ScanContext.MEMBER):
        with pytest.raises(CouponOutOfPlace):
            route_scan(code, context)
