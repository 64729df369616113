"""The cart priced with promotions: lines show what applied, totals and refunds follow, a
manager's price is final, members get member rules, and hold/recall prices again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartError, ProductInfo
from pos_app.domain.cart_promotions import PromotionPricing
from pos_app.domain.promotion_rules import RuleSet

COLA = ProductInfo("COLA", "可口可乐 330ml", "罐", 350, category="饮料")
RICE = ProductInfo("RICE", "五常大米 5kg", "袋", 9990, category="粮油")
NOON = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)  # Monday 12:00 in Shanghai

RULES = RuleSet.from_dict(
    {
        "version": 3,
        "rules": [
            {"id": "HALF", "name": "可乐第二件半价", "kind": "multi_buy", "skus": ["COLA"],
             "group_qty": 2, "discounted_qty": 1, "percent_bp": 5000},
            {"id": "MJ", "name": "满100减10", "kind": "spend_off", "steps": [[10000, 1000]]},
            {"id": "MD", "name": "会员日9折", "kind": "percent_off", "members_only": True,
             "categories": ["粮油"], "percent_bp": 1000, "weekdays": [1]},
        ],
    }
)  # fmt: skip


def priced_cart() -> Cart:
    cart = Cart()
    cart.use_promotions(PromotionPricing(RULES, "S01", lambda: NOON))
    return cart


def test_second_cola_is_half_price_on_its_line() -> None:
    """Two colas: ¥7.00 - ¥1.75; the line names the promotion; the sale records version 3."""
    cart = priced_cart()
    cart.add(COLA)
    assert cart.total_fen == 350
    line = cart.add(COLA)
    assert (line.promo_discount_fen, line.net_fen) == (175, 525)
    assert [a.name for a in line.promotions] == ["可乐第二件半价"]
    assert (cart.discount_fen, cart.total_fen, cart.promotion_version) == (175, 525, 3)


def test_spend_off_is_shared_over_lines_and_goes_when_a_line_is_voided() -> None:
    """¥99.90 + ¥3.50 × 2 reaches 满100: ¥10 spread by amount; voiding the rice takes it away."""
    cart = priced_cart()
    rice = cart.add(RICE)
    cola = cart.add(COLA, qty=2)
    assert cart.total_fen == 9990 + 525 - 1000
    assert rice.promo_discount_fen + cola.promo_discount_fen == 175 + 1000
    assert cart.paid_by_line() == {1: rice.net_fen, 2: cola.net_fen}
    cart.void_line(rice.line_no)
    assert cart.total_fen == 525


def test_member_day_applies_when_a_member_is_attached() -> None:
    """会员日9折 on rice only for members, and gone again when the member is removed."""
    cart = priced_cart()
    rice = cart.add(RICE)
    assert rice.promo_discount_fen == 0
    cart.attach_member("M1", tier="silver")
    assert [a.rule_id for a in rice.promotions] == ["MD"]
    assert rice.net_fen == 9990 - 999
    cart.detach_member()
    assert rice.promo_discount_fen == 0


def test_a_managers_price_takes_no_price_promotion() -> None:
    """A manual price is final: 第二件半价 stops on that line."""
    cart = priced_cart()
    cola = cart.add(COLA, qty=2)
    cart.set_manual_price(cola.line_no, 300)
    assert (cola.promo_discount_fen, cart.total_fen) == (0, 600)


def test_order_discount_stays_within_the_promoted_total() -> None:
    """The manual order discount is capped by what the lines cost after promotions."""
    cart = priced_cart()
    cart.add(COLA, qty=2)
    cart.set_order_discount(525)
    assert cart.total_fen == 0
    cart.void_line(1)
    assert cart.order_discount_fen == 0


def test_a_copied_cart_keeps_its_promotions_and_a_recalled_one_is_priced_again() -> None:
    """The payment step's copy (to_dict/from_dict) charges exactly what was shown, version
    included; a held cart recalled under (possibly new) rules is priced with those."""
    cart = priced_cart()
    cart.add(COLA, qty=2)
    cart.attach_member("M1", tier="gold")
    copy = Cart.from_dict(cart.to_dict())
    assert (copy.total_fen, copy.promotion_version, copy.member_tier) == (525, 3, "gold")
    assert copy.lines[0].promotions == cart.lines[0].promotions
    copy.use_promotions(PromotionPricing(RuleSet(version=4), "S01", lambda: NOON))
    assert (copy.total_fen, copy.promotion_version) == (700, 4)


def test_a_saved_cart_with_promotions_that_do_not_add_up_is_refused() -> None:
    cart = priced_cart()
    cart.add(COLA, qty=2)
    data = cart.to_dict()
    data["lines"][0]["promo_discount_fen"] = 701
    with pytest.raises(CartError, match="impossible discount"):
        Cart.from_dict(data)
    data["lines"][0]["promo_discount_fen"] = 100
    with pytest.raises(CartError, match="do not add up"):
        Cart.from_dict(data)
