"""Tests for pos_app.domain.cart: lines, member prices, weighed goods, discounts, rounding,
order discount allocation and the hold/recall round trip.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartError, CartLine, PriceSource, ProductInfo
from pos_app.domain.money import RoundingMode, allocate_proportionally

COLA = ProductInfo("SKU-COLA", "可口可乐 330ml", "罐", 350, member_price_fen=300)
BREAD = ProductInfo("SKU-BREAD", "全麦面包", "袋", 1290)
APPLES = ProductInfo("SKU-APPLE", "红富士苹果", "kg", 1198, member_price_fen=998, weighed=True)


def test_new_cart_is_empty_and_costs_nothing() -> None:
    """A fresh cart has no lines and all totals are zero."""
    cart = Cart()
    assert cart.is_empty
    assert (cart.subtotal_fen, cart.total_fen, cart.item_count) == (0, 0, 0)


def test_scanning_the_same_item_again_increments_the_last_line() -> None:
    """Scanning the same counted product twice in a row gives one line with qty 2."""
    cart = Cart()
    first = cart.add(COLA, barcode="6901234567892")
    second = cart.add(COLA, barcode="6901234567892")
    assert first is second
    assert len(cart.lines) == 1
    assert cart.lines[0].qty == 2
    assert cart.total_fen == 700


def test_same_item_after_another_item_adds_to_its_line() -> None:
    """An identical product scanned after another item adds to its earlier line."""
    cart = Cart()
    cart.add(COLA)
    cart.add(BREAD)
    cart.add(COLA)
    assert [(line.line_no, line.qty) for line in cart.lines] == [(1, 2), (2, 1)]


def test_member_price_applies_when_member_is_attached_and_goes_back_when_detached() -> None:
    """Attaching a member reprices list lines to member price; detaching restores them."""
    cart = Cart()
    cola = cart.add(COLA, qty=2)
    bread = cart.add(BREAD)
    cart.attach_member("M0001")
    assert (cola.unit_price_fen, cola.price_source) == (300, PriceSource.MEMBER)
    assert (bread.unit_price_fen, bread.price_source) == (1290, PriceSource.LIST)
    assert cart.total_fen == 600 + 1290
    cart.detach_member()
    assert (cola.unit_price_fen, cola.price_source) == (350, PriceSource.LIST)
    assert cart.member_id is None


def test_items_added_after_member_attach_get_member_price() -> None:
    """With a member attached, new lines start at the member price."""
    cart = Cart()
    cart.attach_member("M0001")
    assert cart.add(COLA).unit_price_fen == 300


def test_member_price_never_costs_more_than_list_price() -> None:
    """A member price above the list price (bad data) is ignored in the member's favour."""
    odd = ProductInfo("SKU-X", "X", "个", 100, member_price_fen=150)
    cart = Cart()
    cart.attach_member("M1")
    assert cart.add(odd).unit_price_fen == 100


def test_manual_and_scale_prices_are_untouched_by_member_changes() -> None:
    """A manager's price override and a scale label price stay when a member attaches."""
    cart = Cart()
    manual = cart.add(COLA)
    cart.set_manual_price(manual.line_no, 200)
    scale = cart.add(APPLES, fixed_amount_fen=1523)
    cart.attach_member("M1")
    assert (manual.unit_price_fen, manual.price_source) == (200, PriceSource.MANUAL)
    assert scale.price_source is PriceSource.SCALE
    assert scale.gross_fen == 1523


def test_weighed_goods_are_priced_per_kg_by_grams_half_up() -> None:
    """456 g of apples at ¥11.98/kg cost round(1198 * 456 / 1000) = ¥5.46."""
    cart = Cart()
    line = cart.add(APPLES, weight_g=456)
    assert line.qty == 456
    assert line.gross_fen == 546  # 546.288
    assert cart.item_count == 1


def test_weighed_goods_always_get_their_own_line() -> None:
    """Two weighings of the same product are two lines, never merged."""
    cart = Cart()
    cart.add(APPLES, weight_g=500)
    cart.add(APPLES, weight_g=700)
    assert len(cart.lines) == 2
    assert cart.item_count == 2


def test_scale_label_with_price_costs_exactly_the_printed_amount() -> None:
    """A price-embedded scale code makes a SCALE line worth exactly the printed price."""
    cart = Cart()
    line = cart.add(APPLES, barcode="2212345015230", fixed_amount_fen=1523)
    assert line.price_source is PriceSource.SCALE
    assert line.gross_fen == 1523
    assert line.qty == 1271  # grams estimated from ¥11.98/kg for the stock ledger
    again = cart.add(APPLES, fixed_amount_fen=1523)
    assert again is not line


def test_scale_label_with_price_and_weight_keeps_the_weight() -> None:
    """When the label carries the weight too, that is the line's quantity in grams."""
    line = Cart().add(APPLES, fixed_amount_fen=1880, weight_g=1570)
    assert (line.qty, line.gross_fen) == (1570, 1880)


def test_price_labelled_line_refuses_quantity_and_price_changes() -> None:
    """A scale label's printed price is final; the cashier voids and rescans instead."""
    cart = Cart()
    line = cart.add(APPLES, fixed_amount_fen=1523)
    with pytest.raises(CartError, match="void it"):
        cart.set_qty(line.line_no, 2)
    with pytest.raises(CartError, match="void it"):
        cart.set_manual_price(line.line_no, 100)


def test_weight_for_a_counted_product_is_refused() -> None:
    """A weight for a product not sold by weight is a data error with a clear message."""
    with pytest.raises(CartError, match="not sold by weight"):
        Cart().add(COLA, weight_g=500)


@pytest.mark.parametrize(
    ("product", "qty", "message"),
    [
        (COLA, 100000, "Quantity 100000 is not plausible"),
        (COLA, 10000, "Quantity 10000 is not plausible"),
        (COLA, 0, "Quantity 0 is not plausible"),
        (COLA, -1, "Quantity -1 is not plausible"),
        (APPLES, 100000, "Weight 100000 g is not plausible"),
    ],
)
def test_absurd_quantities_are_refused(product: ProductInfo, qty: int, message: str) -> None:
    """Quantities outside 1-9999 units or 1-99999 g (e.g. a barcode in the qty field) fail."""
    with pytest.raises(CartError, match=message):
        Cart().add(product, qty=qty)


def test_increment_past_the_limit_is_refused() -> None:
    """Merging a scan into the last line may not take it past 9999 units."""
    cart = Cart()
    cart.add(COLA, qty=9999)
    with pytest.raises(CartError, match="not plausible"):
        cart.add(COLA)
    assert cart.lines[0].qty == 9999


def test_set_qty_changes_units_and_grams() -> None:
    """Quantities can be corrected: units for counted goods, grams for weighed goods."""
    cart = Cart()
    cola = cart.add(COLA)
    apples = cart.add(APPLES, weight_g=1000)
    cart.set_qty(cola.line_no, 6)
    cart.set_qty(apples.line_no, 2000)
    assert cart.subtotal_fen == 6 * 350 + 2396
    with pytest.raises(CartError):
        cart.set_qty(cola.line_no, True)  # type: ignore[arg-type]


def test_line_discount_must_be_between_zero_and_the_line_amount() -> None:
    """A line discount above the line amount or below zero is refused."""
    cart = Cart()
    line = cart.add(BREAD)
    cart.set_line_discount(line.line_no, 290)
    assert (line.net_fen, cart.total_fen, cart.discount_fen) == (1000, 1000, 290)
    cart.set_line_discount(line.line_no, 1290)
    assert line.net_fen == 0
    with pytest.raises(CartError, match=r"between ¥0\.00 and the line amount ¥12\.90"):
        cart.set_line_discount(line.line_no, 1291)
    with pytest.raises(CartError):
        cart.set_line_discount(line.line_no, -1)


def test_percent_line_discount_follows_quantity_changes() -> None:
    """A 10 % line discount stays 10 % when the quantity changes."""
    cart = Cart()
    line = cart.add(BREAD)
    cart.set_line_discount_percent(line.line_no, 1000)
    assert line.line_discount_fen == 129
    cart.set_qty(line.line_no, 3)
    assert line.line_discount_fen == 387
    with pytest.raises(CartError, match="between 0 % and 100 %"):
        cart.set_line_discount_percent(line.line_no, 10001)


def test_discounted_line_is_not_merged_with_a_new_scan() -> None:
    """Rescanning after discounting the last line starts a fresh full-price line."""
    cart = Cart()
    line = cart.add(BREAD)
    cart.set_line_discount(line.line_no, 100)
    assert cart.add(BREAD) is not line


def test_manual_price_is_recorded_as_manual_and_must_be_sensible() -> None:
    """A price override marks the line MANUAL; negative prices are refused."""
    cart = Cart()
    line = cart.add(BREAD, qty=2)
    cart.set_manual_price(line.line_no, 999)
    assert (line.price_source, line.gross_fen) == (PriceSource.MANUAL, 1998)
    with pytest.raises(CartError, match="not plausible"):
        cart.set_manual_price(line.line_no, -1)


def test_lowering_a_price_keeps_the_line_discount_within_the_line() -> None:
    """When an override drops below the discount, the discount shrinks to the line amount."""
    cart = Cart()
    line = cart.add(BREAD)
    cart.set_line_discount(line.line_no, 1000)
    cart.set_manual_price(line.line_no, 500)
    assert line.line_discount_fen == 500
    assert cart.total_fen == 0


def test_order_discount_must_not_exceed_what_the_lines_cost() -> None:
    """The order discount is limited to the subtotal after line discounts."""
    cart = Cart()
    line = cart.add(BREAD)
    cart.set_line_discount(line.line_no, 290)
    with pytest.raises(CartError, match=r"between ¥0\.00 and ¥10\.00"):
        cart.set_order_discount(1001)
    cart.set_order_discount(1000)
    assert cart.total_fen == 0
    assert cart.discount_fen == 1290


def test_voiding_a_line_keeps_other_line_numbers_and_clamps_the_order_discount() -> None:
    """Voided lines disappear; the rest keep their numbers; the total never goes negative."""
    cart = Cart()
    cart.add(COLA)
    bread = cart.add(BREAD)
    cart.set_order_discount(1000)
    cart.void_line(bread.line_no)
    assert [line.line_no for line in cart.lines] == [1]
    assert cart.order_discount_fen == 350
    assert cart.total_fen == 0
    assert cart.add(BREAD).line_no == 3
    with pytest.raises(CartError, match="no line 2"):
        cart.void_line(2)


def test_payable_applies_the_store_rounding_mode() -> None:
    """抹零: 12.37 rounds to 12.30 with jiao_down, and the rounding is -0.07."""
    cart = Cart()
    line = cart.add(BREAD)
    cart.set_line_discount(line.line_no, 53)
    assert cart.total_fen == 1237
    assert cart.payable_fen(RoundingMode.FEN_TO_JIAO_DOWN) == 1230
    assert cart.rounding_fen(RoundingMode.FEN_TO_JIAO_DOWN) == -7
    assert cart.payable_fen(RoundingMode.FEN_TO_YUAN_HALF_UP) == 1200
    assert cart.rounding_fen(RoundingMode.NONE) == 0


def test_order_discount_is_allocated_in_proportion_to_line_amounts() -> None:
    """¥1.00 off a ¥3.50 + ¥12.90 order splits 21/79 fen and sums exactly."""
    cart = Cart()
    cart.add(COLA)
    cart.add(BREAD)
    cart.set_order_discount(100)
    assert cart.allocate_order_discount() == {1: 21, 2: 79}
    assert cart.paid_by_line() == {1: 329, 2: 1211}


def test_allocation_of_no_discount_is_all_zero() -> None:
    """Without an order discount every line gets zero."""
    cart = Cart()
    cart.add(COLA)
    assert cart.allocate_order_discount() == {1: 0}


@settings(max_examples=150)
@given(
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12),
    st.data(),
)
def test_allocation_sums_exactly_and_never_exceeds_a_line(
    nets: list[int], data: st.DataObject
) -> None:
    """Allocated shares sum to the order discount and each stays within 0..line net."""
    cart = Cart()
    for i, net in enumerate(nets):
        cart.add(ProductInfo(f"SKU{i}", f"P{i}", "个", net))
        cart.add(BREAD)  # separates identical prices so no line merges
    discount = data.draw(st.integers(min_value=0, max_value=cart.total_fen))
    cart.set_order_discount(discount)
    shares = cart.allocate_order_discount()
    assert sum(shares.values()) == discount
    assert set(shares) == {line.line_no for line in cart.lines}
    for line in cart.lines:
        assert 0 <= shares[line.line_no] <= line.net_fen


@given(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.dictionaries(st.integers(0, 50), st.integers(1, 10**5), min_size=1, max_size=10),
)
def test_allocate_proportionally_handles_negative_amounts(
    amount: int, weights: dict[int, int]
) -> None:
    """A negative amount (e.g. 抹零 rounding) is spread the same way and still sums exactly."""
    shares = allocate_proportionally(amount, weights)
    assert sum(shares.values()) == amount
    assert allocate_proportionally(-amount, weights) == {k: -v for k, v in shares.items()}


def test_allocating_money_over_nothing_is_refused() -> None:
    """Spreading a non-zero amount over zero weights is an error."""
    with pytest.raises(ValueError, match="over nothing"):
        allocate_proportionally(5, {1: 0})


def _busy_cart() -> Cart:
    cart = Cart()
    cart.add(COLA, qty=3, barcode="6901234567892")
    bread = cart.add(BREAD)
    cart.add(APPLES, weight_g=733)
    cart.add(APPLES, fixed_amount_fen=1523, barcode="2212345015230")
    cart.set_line_discount_percent(bread.line_no, 500)
    cart.attach_member("M0001")
    cart.void_line(1)
    cart.set_order_discount(50)
    return cart


def test_held_cart_survives_a_json_round_trip() -> None:
    """to_dict is JSON-safe and from_dict restores an identical cart, totals included."""
    cart = _busy_cart()
    text = json.dumps(cart.to_dict(), ensure_ascii=False)
    restored = Cart.from_dict(json.loads(text))
    assert restored.to_dict() == cart.to_dict()
    assert restored.total_fen == cart.total_fen
    assert restored.member_id == "M0001"
    assert restored.add(BREAD).line_no == 5
    assert isinstance(restored.lines[0], CartLine)
    assert restored.lines[0].price_source is PriceSource.LIST


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("lines"),
        lambda d: d.update(version=99),
        lambda d: d["lines"][0].update(qty=0),
        lambda d: d["lines"][0].update(price_source="free"),
        lambda d: d["lines"][0].update(line_discount_fen=10**9),
        lambda d: d["lines"][1].update(line_no=d["lines"][0]["line_no"]),
        lambda d: d.update(order_discount_fen=10**9),
        lambda d: d["lines"][0].update(product="nonsense"),
        lambda d: d.update(member_id=42),
    ],
)
def test_damaged_held_cart_raises_cart_error(damage: object) -> None:
    """A corrupted saved cart is refused with CartError, never half-loaded."""
    data = json.loads(json.dumps(_busy_cart().to_dict()))
    damage(data)  # type: ignore[operator]
    with pytest.raises(CartError):
        Cart.from_dict(data)


def test_member_id_must_not_be_empty() -> None:
    """Attaching an empty member id is refused."""
    with pytest.raises(CartError, match="empty"):
        Cart().attach_member("  ")


def test_negative_product_prices_are_refused() -> None:
    """A product with a negative price cannot even be built."""
    with pytest.raises(CartError):
        ProductInfo("X", "X", "个", -1)
