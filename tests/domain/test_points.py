"""Points rules: points per yuan, excluded categories, tier multipliers, what points-paid
amounts earn, redemption value and the share a refund takes back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.points import (
    EarnLine,
    PointsRules,
    points_earned,
    points_for_fen,
    points_to_reverse,
)

RULES = PointsRules(
    points_per_yuan=2,
    excluded_categories=frozenset({"烟草"}),
    tier_multipliers_bp={"gold": 15_000},
    redeem_points_per_yuan=100,
)
LINES = [EarnLine("饮料", 1050), EarnLine("烟草", 2500), EarnLine(None, 399)]


def test_excluded_categories_earn_nothing_and_fen_below_a_yuan_are_dropped() -> None:
    """¥14.49 of eligible goods at 2 points per yuan is 28 points; the cigarettes earn none."""
    assert points_earned(RULES, lines=LINES, total_fen=3949) == 28


def test_a_gold_member_earns_one_and_a_half_times() -> None:
    """The tier multiplier applies to the eligible amount."""
    assert points_earned(RULES, lines=LINES, total_fen=3949, tier="gold") == 43


def test_what_points_paid_earns_no_points() -> None:
    """Paying ¥30 of ¥39.49 with points leaves ¥9.49 to earn on."""
    assert points_earned(RULES, lines=LINES, total_fen=3949, redeemed_fen=3000) == 18


def test_points_pay_at_the_redemption_rate_rounded_up() -> None:
    """100 points pay one yuan; ¥0.01 still takes a whole point."""
    assert (points_for_fen(RULES, 500), points_for_fen(RULES, 1)) == (500, 1)


def test_rules_round_trip_through_their_json_form() -> None:
    """What the mall sends and the till stores reads back as the same rules."""
    assert PointsRules.from_dict(RULES.to_dict()) == RULES


@given(
    earned=st.integers(0, 10_000),
    paid=st.integers(1, 1_000_000),
    cuts=st.lists(st.integers(0, 1_000_000), max_size=6),
)
def test_refunding_everything_in_parts_takes_back_exactly_what_was_earned(
    earned: int, paid: int, cuts: list[int]
) -> None:
    """Step by step the points taken back grow, never pass what was earned, and reach it."""
    taken = 0
    for refunded in [*sorted(min(cut, paid) for cut in cuts), paid]:
        target = points_to_reverse(earned=earned, refunded_fen=refunded, paid_fen=paid)
        assert taken <= target <= earned
        taken = target
    assert taken == earned
