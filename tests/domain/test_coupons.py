"""Coupons on the cart: a coupon is spread over the lines after the promotions, needs its
minimum spend, is one per sale, survives hold/recall, and never takes a cart below ¥0."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartError, CouponBelowMinimum, ProductInfo
from pos_app.domain.cart_promotions import PromotionPricing
from pos_app.domain.coupons import COUPON_KIND, CouponUse
from tests.domain.test_cart_promotions import COLA, NOON, RICE, RULES


def use(value_fen: int = 1000, min_spend_fen: int = 5000) -> CouponUse:
    return CouponUse("C0123456789AB", "满50减10券", value_fen, min_spend_fen, "CHabc")


def test_a_coupon_is_spread_over_the_lines_after_the_promotions() -> None:
    """Rice ¥99.90 and two colas (¥5.25 after 第二件半价) reach 满100减10 (¥95.15 left); the
    ¥10 coupon then takes ¥10.00 off in proportion, named on each line."""
    cart = Cart()
    cart.use_promotions(PromotionPricing(RULES, "S01", lambda: NOON))
    cart.add(RICE)
    cart.add(COLA, qty=2)
    before = cart.total_fen
    cart.use_coupon(use())
    assert cart.total_fen == before - 1000 and cart.coupon_fen == 1000
    shares = [
        a.discount_fen for line in cart.lines for a in line.promotions if a.kind == COUPON_KIND
    ]
    assert sum(shares) == 1000 and len(shares) == 2
    assert all(line.promotions[-1].name == "满50减10券" for line in cart.lines)


def test_a_coupon_needs_its_minimum_spend_and_comes_once_per_sale() -> None:
    """¥3.50 of cola does not reach ¥50; a second coupon is refused; dropping gives it back."""
    cart = Cart()
    cart.add(COLA)
    with pytest.raises(CouponBelowMinimum):
        cart.use_coupon(use())
    cart.use_coupon(use(min_spend_fen=0))
    with pytest.raises(CartError):
        cart.use_coupon(use(min_spend_fen=0))
    assert cart.total_fen == 0  # ¥10 off ¥3.50 takes it to zero, never below
    assert cart.drop_coupon() == use(min_spend_fen=0) and cart.total_fen == 350


def test_a_held_cart_keeps_its_coupon() -> None:
    """Hold and recall: the coupon, its hold and its shares come back the same."""
    cart = Cart()
    cart.add(RICE)
    cart.use_coupon(use())
    again = Cart.from_dict(cart.to_dict())
    assert again.coupon == cart.coupon and again.total_fen == cart.total_fen == 8990


def test_voiding_below_the_minimum_spend_leaves_the_coupon_unused() -> None:
    """The coupon stays on the cart but takes nothing once the goods fall below ¥50."""
    cart = Cart()
    rice = cart.add(RICE)
    cart.add(COLA)
    cart.use_coupon(use())
    cart.void_line(rice.line_no)
    assert cart.coupon_fen == 0 and cart.total_fen == 350


@given(
    prices=st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=6),
    value=st.integers(min_value=1, max_value=50_000),
    min_spend=st.integers(min_value=0, max_value=30_000),
)
def test_a_coupon_never_takes_a_cart_below_zero_nor_more_than_its_value(
    prices: list[int], value: int, min_spend: int
) -> None:
    """Any goods, any coupon: the total stays ≥ ¥0, the saving ≤ the value, shares add up."""
    cart = Cart()
    for n, price in enumerate(prices):
        cart.add(ProductInfo(f"S{n}", f"商品{n}", "个", price))
    goods = cart.total_fen
    try:
        cart.use_coupon(use(value, min_spend))
    except CouponBelowMinimum:
        assert goods < min_spend or goods == 0
        return
    assert cart.total_fen >= 0 and cart.coupon_fen == min(value, goods)
    assert cart.total_fen == goods - cart.coupon_fen
