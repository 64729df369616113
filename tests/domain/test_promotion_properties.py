"""Property tests of the promotions engine: no total below zero, no line above what it cost,
refunds of any lines in any order never give back more than was paid (and all of them exactly
what was paid), and the result does not depend on the order the lines are given in.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from pos_app.domain.promotion_rules import RuleSet
from pos_app.domain.promotions import PromoContext, PromoItem, apply_promotions, returned_share
from pos_app.services.refund import SoldLine, Tendered, plan_refund

SKUS = ["A", "B", "C", "D"]
CATEGORIES = ["饮料", "零食", ""]

common = st.fixed_dictionaries(
    {},
    optional={
        "skus": st.lists(st.sampled_from(SKUS), max_size=2, unique=True),
        "categories": st.lists(st.sampled_from(CATEGORIES[:2]), max_size=1),
        "priority": st.integers(-3, 3),
        "stackable": st.booleans(),
        "members_only": st.booleans(),
        "weekdays": st.lists(st.integers(1, 7), min_size=1, max_size=3, unique=True),
    },
)
kinds = st.one_of(
    st.fixed_dictionaries({"kind": st.just("special_price"), "price_fen": st.integers(0, 3000)}),
    st.fixed_dictionaries({"kind": st.just("percent_off"), "percent_bp": st.integers(1, 10_000)}),
    st.integers(2, 4).flatmap(
        lambda n: st.fixed_dictionaries(
            {
                "kind": st.just("multi_buy"),
                "group_qty": st.just(n),
                "discounted_qty": st.integers(1, n - 1),
                "percent_bp": st.integers(1, 10_000),
            }
        )
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("gift"),
            "buy_qty": st.integers(1, 3),
            "gift_sku": st.sampled_from(SKUS),
            "gift_qty": st.integers(1, 2),
        }
    ),
    st.lists(st.integers(1, 40_000), min_size=1, max_size=3, unique=True).flatmap(
        lambda thresholds: st.fixed_dictionaries(
            {
                "kind": st.just("spend_off"),
                "steps": st.tuples(
                    *(st.integers(1, t).map(lambda off, t=t: [t, off]) for t in sorted(thresholds))
                ).map(list),
            }
        )
    ),
)


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    rules: list[dict[str, Any]] = []
    for number in range(draw(st.integers(0, 5))):
        rules.append({"id": f"R{number}", "name": f"促销{number}", **draw(common), **draw(kinds)})
    return RuleSet.from_dict({"version": draw(st.integers(0, 99)), "rules": rules})


@st.composite
def carts(draw: st.DrawFn) -> list[PromoItem]:
    items = []
    for line_no in range(1, draw(st.integers(1, 6)) + 1):
        weighed = draw(st.booleans()) and line_no % 3 == 0
        qty = draw(st.integers(1, 2000) if weighed else st.integers(1, 6))
        base = draw(st.integers(0, 20_000)) if weighed else qty * draw(st.integers(0, 5_000))
        items.append(
            PromoItem(
                line_no=line_no,
                sku=draw(st.sampled_from(SKUS)),
                category=draw(st.sampled_from(CATEGORIES)),
                qty=qty,
                weighed=weighed,
                base_fen=base,
                plain=draw(st.booleans()) or line_no != 2,
            )
        )
    return items


contexts = st.builds(
    PromoContext,
    store_id=st.sampled_from(["S01", "S02"]),
    at=st.integers(0, 14 * 24 * 60).map(
        lambda minutes: datetime(2026, 12, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    ),
    member_tier=st.sampled_from([None, "", "gold"]),
)


@settings(max_examples=300, deadline=None)
@given(carts(), rule_sets(), contexts)
def test_no_line_and_no_total_goes_below_zero(
    items: list[PromoItem], rules: RuleSet, context: PromoContext
) -> None:
    """Whatever the rules, each line costs between ¥0 and its price, so the total is ≥ 0."""
    result = apply_promotions(items, rules, context)
    kinds_applied = sorted({a.kind for line in result.lines for a in line.applied})
    event(f"applied: {'+'.join(kinds_applied) or 'none'}")
    for line in result.lines:
        assert 0 <= line.net_fen <= line.base_fen
        assert all(a.discount_fen > 0 for a in line.applied)
    assert 0 <= result.total_fen <= sum(item.base_fen for item in items)


@settings(max_examples=200, deadline=None)
@given(carts(), rule_sets(), contexts, st.randoms(use_true_random=False))
def test_refunds_of_any_lines_never_exceed_what_was_paid(
    items: list[PromoItem], rules: RuleSet, context: PromoContext, rnd: random.Random
) -> None:
    """Returning the goods in random portions, each refund planned by the till's refund rule,
    never gives back more than was paid in all, and everything returned gives back all of it;
    each promotion's shares given back add up to exactly what it took off."""
    result = apply_promotions(items, rules, context)
    paid = result.total_fen
    qty = {item.line_no: item.qty for item in items}
    returned = dict.fromkeys(qty, 0)
    given_back: dict[tuple[int, str], int] = {}
    back = 0
    while any(returned[n] < qty[n] for n in qty):
        open_lines = [n for n in qty if returned[n] < qty[n]]
        chosen = rnd.sample(open_lines, rnd.randint(1, len(open_lines)))
        asked = {n: rnd.randint(1, qty[n] - returned[n]) for n in chosen}
        lines = [
            SoldLine(line.line_no, qty[line.line_no], line.net_fen, returned[line.line_no])
            for line in result.lines
        ]
        plan = plan_refund(lines, [Tendered("cash", "", paid, back)], asked)
        back += plan.amount_fen
        assert 0 <= back <= paid
        assert sum(plan.line_fen.values()) <= paid
        for n, units in asked.items():
            line = result.line(n)
            shares = returned_share(
                line.applied,
                qty=qty[n],
                gross_fen=line.base_fen,
                net_fen=line.net_fen,
                before=returned[n],
                returned=units,
            )
            for share in shares:
                given_back[(n, share.rule_id)] = given_back.get((n, share.rule_id), 0) + (
                    share.discount_fen
                )
            returned[n] += units
    assert back == paid
    assert given_back == {
        (line.line_no, a.rule_id): a.discount_fen for line in result.lines for a in line.applied
    }


@settings(max_examples=100, deadline=None)
@given(carts(), rule_sets(), contexts, st.randoms(use_true_random=False))
def test_the_same_cart_in_any_line_order_gets_the_same_result(
    items: list[PromoItem], rules: RuleSet, context: PromoContext, rnd: random.Random
) -> None:
    """Till and mall may list lines differently; the engine's answer is the same."""
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert apply_promotions(shuffled, rules, context) == apply_promotions(items, rules, context)
