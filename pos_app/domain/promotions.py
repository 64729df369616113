"""The promotions engine: which rules of a RuleSet apply to a cart, and what each line then costs.

Pure and deterministic (standard library only): the till prices its cart with it and the mall
prices the same cart with the same function, so both get the same total to the fen. Order-level
discounts (满减) are spread over the lines they cover in proportion to what those lines cost
(largest remainder, ties to the lower line number), so every line's net is what the customer
paid for it and a refund of any lines gives back exactly that.

Stages, in order (pos_app.domain.promotion_rules.Stage): price rules (the one rule of highest
priority per line, ties to the bigger saving), item rules (第二件半价, 买赠; one per line), order
rules (满减), each on what the earlier stages left. A rule that is not stackable takes only lines
no rule touched yet, and keeps them from every later rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from fractions import Fraction

from pos_app.domain.money import allocate_proportionally, mul_div_half_up, percent_of
from pos_app.domain.promotion_rules import (
    STAGE_OF,
    PromoKind,
    Rule,
    RuleSet,
    Stage,
    rules_in_stage,
)

__all__ = [
    "Applied",
    "PricedLine",
    "PromoContext",
    "PromoItem",
    "PromotionResult",
    "apply_promotions",
    "returned_share",
]

GRAMS_PER_KG = 1_000
COUPON_KIND = "coupon"  # a coupon's share on a line (pos_app.domain.coupons)


@dataclass(frozen=True)
class PromoItem:
    """A cart line as the engine sees it. base_fen is what the line costs before promotions
    (after a manual discount, if any); only `plain` lines (list or member price, no manual
    change) take price and item rules, every line counts towards order rules."""

    line_no: int
    sku: str
    category: str
    qty: int  # units, or grams when weighed
    weighed: bool
    base_fen: int
    plain: bool = True


@dataclass(frozen=True)
class PromoContext:
    """Where and when the cart is priced, and for whom (member tier "" for a walk-in member
    without a tier, None for no member)."""

    store_id: str
    at: datetime  # aware
    member_tier: str | None = None


@dataclass(frozen=True)
class Applied:
    """One rule's saving on one line (a 满减 shows its share on each line it covers)."""

    rule_id: str
    name: str
    kind: str
    discount_fen: int

    @property
    def is_order_level(self) -> bool:
        """A share of an order promotion (满减): shown once for the order, not on each line."""
        if self.kind == COUPON_KIND:
            return True
        return STAGE_OF.get(PromoKind(self.kind)) is Stage.ORDER


@dataclass(frozen=True)
class PricedLine:
    line_no: int
    base_fen: int
    applied: tuple[Applied, ...] = ()

    @property
    def discount_fen(self) -> int:
        return sum(a.discount_fen for a in self.applied)

    @property
    def net_fen(self) -> int:
        return self.base_fen - self.discount_fen


@dataclass(frozen=True)
class PromotionResult:
    """The outcome: per line what applied, the version used, and gifts the customer is owed but
    has not picked up (sku -> units) so the till can say so."""

    version: int
    lines: tuple[PricedLine, ...]
    gifts_due: tuple[tuple[str, int], ...] = ()

    @property
    def discount_fen(self) -> int:
        return sum(line.discount_fen for line in self.lines)

    @property
    def total_fen(self) -> int:
        return sum(line.net_fen for line in self.lines)

    def line(self, line_no: int) -> PricedLine:
        return next(line for line in self.lines if line.line_no == line_no)

    def by_rule(self) -> list[tuple[str, str, int]]:
        """(rule id, name, total saving) for each rule that applied, in the order applied."""
        totals: dict[str, tuple[str, int]] = {}
        for line in self.lines:
            for a in line.applied:
                name, fen = totals.get(a.rule_id, (a.name, 0))
                totals[a.rule_id] = (name, fen + a.discount_fen)
        return [(rule_id, name, fen) for rule_id, (name, fen) in totals.items()]


@dataclass
class _Line:
    item: PromoItem
    applied: list[Applied] = field(default_factory=list)
    locked: bool = False  # taken by a rule that is not stackable
    item_rule: bool = False  # already has an item-stage rule

    @property
    def net_fen(self) -> int:
        return self.item.base_fen - sum(a.discount_fen for a in self.applied)

    def take(self, rule: Rule, discount_fen: int) -> None:
        discount_fen = min(discount_fen, self.net_fen)
        if discount_fen <= 0:
            return
        self.applied.append(Applied(rule.id, rule.name, str(rule.kind), discount_fen))
        if not rule.stackable:
            self.locked = True


def _active(rule: Rule, rules: RuleSet, context: PromoContext) -> bool:
    """Is the rule on for this store, member and moment (wall clock of the rule set's zone)?"""
    local = context.at.astimezone(rules.zone).replace(tzinfo=None)
    if rule.scope.stores and context.store_id not in rule.scope.stores:
        return False
    if (rule.members_only or rule.tiers) and context.member_tier is None:
        return False
    if rule.tiers and context.member_tier not in rule.tiers:
        return False
    if (rule.start and local < rule.start) or (rule.end and local >= rule.end):
        return False
    if rule.weekdays and local.isoweekday() not in rule.weekdays:
        return False
    return not rule.month_days or local.day in rule.month_days


def _open_to(rule: Rule, line: _Line) -> bool:
    """May this rule touch this line (scope and stacking)?"""
    if line.locked or not rule.scope.covers(line.item.sku, line.item.category):
        return False
    return rule.stackable or not line.applied


def _price_saving(rule: Rule, line: _Line) -> int:
    item = line.item
    if rule.kind is PromoKind.PERCENT_OFF:
        return percent_of(item.base_fen, rule.percent_bp)
    if item.weighed:
        special = mul_div_half_up(rule.price_fen, item.qty, GRAMS_PER_KG)
    else:
        special = rule.price_fen * item.qty
    return max(item.base_fen - special, 0)


def _apply_price_rules(rules: Sequence[Rule], lines: Iterable[_Line]) -> None:
    """One price rule per line: the highest priority that saves anything, ties to the bigger
    saving, then the rule id."""
    for line in lines:
        if not line.item.plain:
            continue
        best: tuple[tuple[int, int, str], Rule, int] | None = None
        for rule in rules:
            saving = _price_saving(rule, line) if _open_to(rule, line) else 0
            key = (-rule.priority, -saving, rule.id)
            if saving > 0 and (best is None or key < best[0]):
                best = (key, rule, saving)
        if best is not None:
            line.take(best[1], best[2])


def _item_lines(rule: Rule, lines: Iterable[_Line]) -> list[_Line]:
    return [
        line
        for line in lines
        if line.item.plain and not line.item.weighed and not line.item_rule and _open_to(rule, line)
    ]


def _apply_multi_buy(rule: Rule, lines: Sequence[_Line]) -> None:
    """In each group of group_qty units (dearest first), the discounted_qty cheapest are
    percent_bp off: 第二件半价 is 2/1/5000, 买3付2 is 3/1/10000."""
    eligible = _item_lines(rule, lines)
    units: list[tuple[Fraction, _Line]] = []
    for line in eligible:
        units += [(Fraction(line.net_fen, line.item.qty), line)] * line.item.qty
    units.sort(key=lambda unit: (-unit[0], unit[1].item.line_no))
    whole = len(units) - len(units) % rule.group_qty
    discounted: dict[int, int] = {}
    for start in range(0, whole, rule.group_qty):
        group = units[start : start + rule.group_qty]
        for _, line in group[rule.group_qty - rule.discounted_qty :]:
            discounted[line.item.line_no] = discounted.get(line.item.line_no, 0) + 1
    for line in eligible:
        count = discounted.get(line.item.line_no, 0)
        if count:
            share = mul_div_half_up(line.net_fen, count, line.item.qty)
            line.take(rule, percent_of(share, rule.percent_bp))
            line.item_rule = True


def _apply_gift(rule: Rule, lines: Sequence[_Line], due: dict[str, int]) -> None:
    """Per buy_qty units bought in scope (the gift itself not counted), gift_qty units of
    gift_sku cost nothing; gifts owed but not in the cart are reported in `due`."""
    eligible = _item_lines(rule, lines)
    bought = sum(line.item.qty for line in eligible if line.item.sku != rule.gift_sku)
    owed = bought // rule.buy_qty * rule.gift_qty
    gifts = [
        line
        for line in lines
        if line.item.sku == rule.gift_sku
        and line.item.plain
        and not line.item.weighed
        and not line.item_rule
        and not line.locked
    ]
    for line in gifts:
        free = min(owed, line.item.qty)
        if free:
            line.take(rule, mul_div_half_up(line.net_fen, free, line.item.qty))
            line.item_rule = True
            owed -= free
    if owed:
        due[rule.gift_sku] = due.get(rule.gift_sku, 0) + owed


def _spend_off(rule: Rule, base_fen: int) -> int:
    if rule.repeat:
        threshold, off = rule.steps[0]
        return base_fen // threshold * off
    reached = [off for threshold, off in rule.steps if base_fen >= threshold]
    return max(reached, default=0)


def _apply_spend_off(rule: Rule, lines: Sequence[_Line]) -> None:
    """满减 on the lines it covers, spread over them in proportion to what they cost now."""
    covered = [line for line in lines if _open_to(rule, line) and line.net_fen > 0]
    base = sum(line.net_fen for line in covered)
    off = min(_spend_off(rule, base), base)
    if off <= 0:
        return
    shares = allocate_proportionally(off, {line.item.line_no: line.net_fen for line in covered})
    for line in covered:
        line.take(rule, shares[line.item.line_no])


def apply_promotions(
    items: Sequence[PromoItem], rules: RuleSet, context: PromoContext
) -> PromotionResult:
    """Price the cart's lines with the rule set; the same input gives the same result anywhere."""
    lines = [_Line(item) for item in sorted(items, key=lambda item: item.line_no)]
    active = [rule for rule in rules.rules if _active(rule, rules, context)]
    _apply_price_rules(rules_in_stage(active, Stage.PRICE), lines)
    due: dict[str, int] = {}
    for rule in rules_in_stage(active, Stage.ITEM):
        if rule.kind is PromoKind.MULTI_BUY:
            _apply_multi_buy(rule, lines)
        else:
            _apply_gift(rule, lines, due)
    for rule in rules_in_stage(active, Stage.ORDER):
        _apply_spend_off(rule, lines)
    return PromotionResult(
        version=rules.version,
        lines=tuple(
            PricedLine(line.item.line_no, line.item.base_fen, tuple(line.applied)) for line in lines
        ),
        gifts_due=tuple(sorted(due.items())),
    )


def returned_share(
    applied: Sequence[Applied],
    *,
    qty: int,
    gross_fen: int,
    net_fen: int,
    before: int,
    returned: int,
) -> tuple[Applied, ...]:
    """Each promotion's share of returning `returned` units of a sold line (qty, gross, net;
    `before` units went back already). The refund gives back the line's discount as the
    refund does its money, cumulatively (mul_div half up of gross and net); that discount is
    split over the promotions (and what else was off the line) in proportion, so the shares
    add up to the refund line's discount, and over all returns to each promotion exactly."""

    def spread(units: int) -> dict[int, int]:
        discount = mul_div_half_up(gross_fen, units, qty) - mul_div_half_up(net_fen, units, qty)
        weights = {i: a.discount_fen for i, a in enumerate(applied)}
        weights[len(applied)] = max(gross_fen - net_fen - sum(weights.values()), 0)
        if not any(weights.values()):
            return dict.fromkeys(weights, 0)
        return allocate_proportionally(discount, weights)

    after, earlier = spread(before + returned), spread(before)
    shares = (replace(a, discount_fen=after[i] - earlier[i]) for i, a in enumerate(applied))
    return tuple(share for share in shares if share.discount_fen)
