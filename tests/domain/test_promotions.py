"""Tests for the promotions engine: each kind of promotion, time windows in the store's zone,
scopes, stacking and priority, and the deterministic allocation of order-level discounts.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.domain.promotion_rules import PromotionRuleError, RuleSet
from pos_app.domain.promotions import PromoContext, PromoItem, apply_promotions

# 2026-12-07 is a Monday; 10:00 in Shanghai is 02:00 UTC.
MONDAY_10AM = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
AT_SHOP = PromoContext(store_id="S01", at=MONDAY_10AM)


def item(line_no: int, sku: str, qty: int, unit_fen: int, category: str = "饮料") -> PromoItem:
    return PromoItem(line_no, sku, category, qty, False, qty * unit_fen)


def rules(*data: dict[str, object], version: int = 7) -> RuleSet:
    return RuleSet.from_dict({"version": version, "rules": list(data)})


SPEND_OFF = {
    "id": "MJ",
    "name": "满100减10 满200减30",
    "kind": "spend_off",
    "steps": [[10000, 1000], [20000, 3000]],
}
SECOND_HALF = {
    "id": "HALF",
    "name": "第二件半价",
    "kind": "multi_buy",
    "skus": ["COLA"],
    "group_qty": 2,
    "discounted_qty": 1,
    "percent_bp": 5000,
}


def test_stepped_spend_off_takes_the_highest_step_reached() -> None:
    """满100减10, 满200减30: ¥150 saves ¥10, ¥250 saves ¥30, ¥99.99 saves nothing."""
    for base, saving in ((15000, 1000), (25000, 3000), (9999, 0), (10000, 1000)):
        result = apply_promotions([item(1, "A", 1, base)], rules(SPEND_OFF), AT_SHOP)
        assert result.discount_fen == saving
        assert result.total_fen == base - saving


def test_spend_off_is_spread_over_lines_in_proportion_and_sums_exactly() -> None:
    """¥10 off ¥33.33 + ¥33.33 + ¥33.34 ... goes 333/333/334 fen, ties to the lower line."""
    items = [item(1, "A", 1, 3333), item(2, "B", 1, 3333), item(3, "C", 1, 3334)]
    result = apply_promotions(items, rules(SPEND_OFF), AT_SHOP)
    assert [line.discount_fen for line in result.lines] == [333, 333, 334]
    assert result.total_fen == 10000 - 1000
    assert [a.name for a in result.line(1).applied] == ["满100减10 满200减30"]


def test_repeated_spend_off_counts_each_full_step() -> None:
    """每满100减10: ¥350 saves ¥30."""
    each = {
        "id": "EACH",
        "name": "每满100减10",
        "kind": "spend_off",
        "steps": [[10000, 1000]],
        "repeat": True,
    }
    result = apply_promotions([item(1, "A", 1, 35000)], rules(each), AT_SHOP)
    assert result.discount_fen == 3000


def test_second_item_half_price_discounts_the_cheaper_of_each_pair() -> None:
    """3 cans at ¥3.50: one pair, the second can half price (¥1.75 off); the third is full."""
    result = apply_promotions([item(1, "COLA", 3, 350)], rules(SECOND_HALF), AT_SHOP)
    assert result.total_fen == 3 * 350 - 175
    assert result.line(1).applied[0].name == "第二件半价"


def test_multi_buy_pairs_dearest_first_across_lines() -> None:
    """买3付2 over ¥10, ¥8, ¥5, ¥2: the group of the three dearest frees the ¥5 item."""
    three_for_two = {
        "id": "3F2",
        "name": "买3付2",
        "kind": "multi_buy",
        "group_qty": 3,
        "discounted_qty": 1,
        "percent_bp": 10000,
    }
    items = [
        item(1, "A", 1, 1000),
        item(2, "B", 1, 200),
        item(3, "C", 1, 800),
        item(4, "D", 1, 500),
    ]
    result = apply_promotions(items, rules(three_for_two), AT_SHOP)
    assert [line.discount_fen for line in result.lines] == [0, 0, 0, 500]


def test_gift_line_costs_nothing_and_a_missing_gift_is_reported() -> None:
    """买2赠1: two packs of noodles make one cup free; with four packs a second cup is owed."""
    gift = {
        "id": "GIFT",
        "name": "买2袋面送杯子",
        "kind": "gift",
        "skus": ["NOODLE"],
        "buy_qty": 2,
        "gift_sku": "CUP",
        "gift_qty": 1,
    }
    items = [item(1, "NOODLE", 4, 450), item(2, "CUP", 1, 1200)]
    result = apply_promotions(items, rules(gift), AT_SHOP)
    assert result.line(2).net_fen == 0
    assert result.line(1).discount_fen == 0
    assert result.gifts_due == (("CUP", 1),)


def test_special_price_only_within_its_window_in_the_store_time_zone() -> None:
    """限时特价 from 10:00 Shanghai time: 09:59 is list price, 10:00 is special (02:00 UTC)."""
    special = {
        "id": "SP",
        "name": "限时特价",
        "kind": "special_price",
        "skus": ["A"],
        "price_fen": 199,
        "start": "2026-12-07T10:00",
        "end": "2026-12-07T12:00",
    }
    before = PromoContext("S01", datetime(2026, 12, 7, 1, 59, tzinfo=UTC))
    assert apply_promotions([item(1, "A", 2, 300)], rules(special), before).discount_fen == 0
    on = apply_promotions([item(1, "A", 2, 300)], rules(special), AT_SHOP)
    assert on.total_fen == 398
    after = PromoContext("S01", datetime(2026, 12, 7, 4, 0, tzinfo=UTC))
    assert apply_promotions([item(1, "A", 2, 300)], rules(special), after).discount_fen == 0


def test_special_price_of_a_weighed_item_is_per_kg() -> None:
    """Apples at ¥9.98/kg special: 1.5 kg cost ¥14.97."""
    special = {
        "id": "SP",
        "name": "苹果特价",
        "kind": "special_price",
        "skus": ["APPLE"],
        "price_fen": 998,
    }
    apples = PromoItem(1, "APPLE", "水果", 1500, True, 1797)
    assert apply_promotions([apples], rules(special), AT_SHOP).total_fen == 1497


def test_member_day_and_tier_price_apply_only_to_those_members() -> None:
    """会员日 (Mondays) 9折 for members; 金卡 price ¥2.50; a walk-in pays list price."""
    member_day = {
        "id": "MD",
        "name": "周一会员日9折",
        "kind": "percent_off",
        "weekdays": [1],
        "members_only": True,
        "percent_bp": 1000,
    }
    gold = {
        "id": "GOLD",
        "name": "金卡价",
        "kind": "special_price",
        "tiers": ["gold"],
        "skus": ["A"],
        "price_fen": 250,
        "priority": 5,
    }
    items = [item(1, "A", 1, 300), item(2, "B", 1, 1000)]
    walk_in = apply_promotions(items, rules(member_day, gold), AT_SHOP)
    assert walk_in.discount_fen == 0
    silver = apply_promotions(
        items, rules(member_day, gold), PromoContext("S01", MONDAY_10AM, "silver")
    )
    assert [line.discount_fen for line in silver.lines] == [30, 100]
    golden = apply_promotions(
        items, rules(member_day, gold), PromoContext("S01", MONDAY_10AM, "gold")
    )
    assert [[a.rule_id for a in line.applied] for line in golden.lines] == [["GOLD"], ["MD"]]
    tuesday = PromoContext("S01", datetime(2026, 12, 8, 2, 0, tzinfo=UTC), "silver")
    assert apply_promotions(items, rules(member_day), tuesday).discount_fen == 0


def test_category_and_store_scopes() -> None:
    """A 饮料 rule skips snacks; a rule for store S02 does nothing in S01."""
    drinks = {
        "id": "D",
        "name": "饮料8折",
        "kind": "percent_off",
        "categories": ["饮料"],
        "percent_bp": 2000,
    }
    elsewhere = {**drinks, "id": "E", "stores": ["S02"]}
    items = [item(1, "A", 1, 500), item(2, "B", 1, 500, category="零食")]
    assert [
        line.discount_fen for line in apply_promotions(items, rules(drinks), AT_SHOP).lines
    ] == [
        100,
        0,
    ]
    assert apply_promotions(items, rules(elsewhere), AT_SHOP).discount_fen == 0


def test_spend_off_stacks_on_what_the_special_price_left() -> None:
    """特价 first, then 满减 on the lower amount: ¥110 at 20% off is ¥88, below 满100."""
    off = {"id": "P", "name": "8折", "kind": "percent_off", "percent_bp": 2000}
    result = apply_promotions([item(1, "A", 1, 11000)], rules(off, SPEND_OFF), AT_SHOP)
    assert result.total_fen == 8800


def test_a_rule_that_does_not_stack_takes_only_untouched_lines_and_keeps_them() -> None:
    """不与其他优惠同享: the exclusive 满减 skips the half-price cola; the later 9折 skips
    the lines the exclusive rule took."""
    exclusive = {**SPEND_OFF, "stackable": False, "steps": [[1000, 100]]}
    later = {
        "id": "LATE",
        "name": "全场再减",
        "kind": "spend_off",
        "steps": [[100, 50]],
        "priority": -1,
    }
    items = [item(1, "COLA", 2, 350), item(2, "B", 1, 1000)]
    result = apply_promotions(items, rules(SECOND_HALF, exclusive, later), AT_SHOP)
    assert [a.rule_id for a in result.line(1).applied] == ["HALF", "LATE"]
    assert [a.rule_id for a in result.line(2).applied] == ["MJ"]


def test_priority_decides_between_price_rules_before_the_saving() -> None:
    """Two price rules on one line: the higher priority wins even when it saves less."""
    small = {"id": "S", "name": "小优惠", "kind": "percent_off", "percent_bp": 500, "priority": 9}
    big = {"id": "B", "name": "大优惠", "kind": "percent_off", "percent_bp": 5000}
    result = apply_promotions([item(1, "A", 1, 1000)], rules(small, big), AT_SHOP)
    assert [a.rule_id for a in result.line(1).applied] == ["S"]


def test_manually_priced_lines_take_only_order_rules() -> None:
    """A line with a manager's price keeps it: no 8折 on it, but it counts towards 满减."""
    off = {"id": "P", "name": "8折", "kind": "percent_off", "percent_bp": 2000}
    manual = PromoItem(1, "A", "", 1, False, 10000, plain=False)
    result = apply_promotions([manual], rules(off, SPEND_OFF), AT_SHOP)
    assert [a.rule_id for a in result.line(1).applied] == ["MJ"]


def test_the_result_names_the_rule_version() -> None:
    assert apply_promotions([], rules(SPEND_OFF, version=42), AT_SHOP).version == 42


def test_rule_set_round_trips_through_json() -> None:
    """to_dict/from_dict give the same rules back (the wire form)."""
    gift = {
        "id": "G",
        "name": "买赠",
        "kind": "gift",
        "buy_qty": 2,
        "gift_sku": "CUP",
        "start": "2026-12-01T00:00",
        "weekdays": [6, 7],
    }
    original = rules(SPEND_OFF, SECOND_HALF, gift)
    assert RuleSet.from_dict(original.to_dict()) == original


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"kind": "bogus"}, "类型 'bogus' 不认识"),
        ({"kind": "spend_off", "steps": [[10000, 20000]]}, "减额"),
        ({"kind": "spend_off", "steps": [[20000, 10], [10000, 5]]}, "从低到高"),
        ({"kind": "multi_buy", "group_qty": 1, "percent_bp": 5000}, "group_qty"),
        ({"kind": "percent_off", "percent_bp": 0}, "percent_bp"),
        ({"kind": "percent_off", "percent_bp": 10, "price_fen": 5}, "不接受字段 price_fen"),
        ({"kind": "percent_off", "percent_bp": 10, "start": "明天"}, "看不懂"),
        ({"kind": "percent_off", "percent_bp": 10, "weekdays": [0]}, "weekdays"),
        (
            {
                "kind": "percent_off",
                "percent_bp": 10,
                "start": "2026-12-02T00:00",
                "end": "2026-12-01T00:00",
            },
            "结束时间",
        ),
    ],
)
def test_bad_rules_are_refused_in_chinese(bad: dict[str, object], message: str) -> None:
    with pytest.raises(PromotionRuleError, match=message):
        rules({"id": "X", "name": "坏规则", **bad})


def test_duplicate_ids_and_unknown_time_zone_are_refused() -> None:
    rule = {"id": "X", "name": "a", "kind": "percent_off", "percent_bp": 10}
    with pytest.raises(PromotionRuleError, match="重复"):
        rules(rule, rule)
    with pytest.raises(PromotionRuleError, match="时区"):
        RuleSet.from_dict({"time_zone": "Mars/Olympus", "rules": []})
