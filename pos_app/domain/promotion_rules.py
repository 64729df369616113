"""Promotion rules as the shop owner sets them on the mall, and their JSON form on the wire.

A RuleSet is one numbered version of all of a chain's promotions. The till and the mall both
price carts with it (pos_app.domain.promotions), and a sale records the version it used, so an
offline sale is audited with exactly the rules it was rung up with. Messages are Chinese: the
owner who typed the rule reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DEFAULT_TIME_ZONE",
    "PromoKind",
    "PromotionRuleError",
    "Rule",
    "RuleSet",
    "Scope",
    "Stage",
    "rules_in_stage",
]

DEFAULT_TIME_ZONE = "Asia/Shanghai"
MAX_FEN = 10**11
_BP = 10_000


class PromotionRuleError(ValueError):
    """A rule that cannot be applied as written; the message says which and why (Chinese)."""


class PromoKind(StrEnum):
    """What a rule does. Each kind belongs to one stage of the engine (see Stage)."""

    SPECIAL_PRICE = "special_price"  # 限时特价 / 会员价 by tier: a unit price (per kg if weighed)
    PERCENT_OFF = "percent_off"  # 会员日 9折: percent_bp off the line
    MULTI_BUY = "multi_buy"  # 第二件半价 / 买3付2: in each group of n units, k cheapest at bp off
    GIFT = "gift"  # 买赠: per buy_qty units bought, gift_qty of gift_sku at ¥0
    SPEND_OFF = "spend_off"  # 满减: stepped (满100减10, 满200减30) or repeated (每满100减10)


class Stage(StrEnum):
    """The engine applies price rules, then item rules, then order rules, each on what the
    previous stages left; a line gets at most one rule of the price stage."""

    PRICE = "price"
    ITEM = "item"
    ORDER = "order"


STAGE_OF: dict[PromoKind, Stage] = {
    PromoKind.SPECIAL_PRICE: Stage.PRICE,
    PromoKind.PERCENT_OFF: Stage.PRICE,
    PromoKind.MULTI_BUY: Stage.ITEM,
    PromoKind.GIFT: Stage.ITEM,
    PromoKind.SPEND_OFF: Stage.ORDER,
}


@dataclass(frozen=True)
class Scope:
    """Which goods and stores a rule covers; an empty set means all of them. A line is in scope
    when its sku or its category is listed (or both sets are empty)."""

    skus: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    stores: frozenset[str] = frozenset()

    def covers(self, sku: str, category: str) -> bool:
        if not self.skus and not self.categories:
            return True
        return sku in self.skus or (bool(category) and category in self.categories)


@dataclass(frozen=True)
class Rule:
    """One promotion. start/end are wall-clock times in the rule set's time zone (end excluded);
    weekdays (1 = Monday) and month_days narrow it to 会员日; members_only or tiers limit it to
    members (of those tiers). Higher priority is applied first; a rule that is not stackable
    (不与其他优惠同享) only takes lines no other rule touched, and no later rule touches them."""

    id: str
    name: str
    kind: PromoKind
    scope: Scope = Scope()
    start: datetime | None = None
    end: datetime | None = None
    weekdays: frozenset[int] = frozenset()
    month_days: frozenset[int] = frozenset()
    members_only: bool = False
    tiers: frozenset[str] = frozenset()
    priority: int = 0
    stackable: bool = True
    price_fen: int = 0
    percent_bp: int = 0
    group_qty: int = 0
    discounted_qty: int = 1
    buy_qty: int = 0
    gift_sku: str = ""
    gift_qty: int = 1
    steps: tuple[tuple[int, int], ...] = ()  # (threshold_fen, off_fen), ascending
    repeat: bool = False

    def __post_init__(self) -> None:
        _check_rule(self)

    @property
    def stage(self) -> Stage:
        return STAGE_OF[self.kind]

    @property
    def order_key(self) -> tuple[int, str]:
        """Rules of a stage apply in this order: higher priority first, then by id."""
        return (-self.priority, self.id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; Rule.from_dict() gives the same rule back."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": str(self.kind),
            "skus": sorted(self.scope.skus),
            "categories": sorted(self.scope.categories),
            "stores": sorted(self.scope.stores),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "weekdays": sorted(self.weekdays),
            "month_days": sorted(self.month_days),
            "members_only": self.members_only,
            "tiers": sorted(self.tiers),
            "priority": self.priority,
            "stackable": self.stackable,
        }
        for name in _KIND_FIELDS[self.kind]:
            value = getattr(self, name)
            data[name] = [list(step) for step in value] if name == "steps" else value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        """Read a rule; PromotionRuleError (Chinese) for anything missing or malformed."""
        rule_id = str(data.get("id", "")).strip()
        try:
            kind = PromoKind(str(data.get("kind")))
        except ValueError:
            raise PromotionRuleError(
                f"促销 {rule_id or '?'}：类型 {data.get('kind')!r} 不认识"
                f"（可用：{'、'.join(k.value for k in PromoKind)}）"
            ) from None
        unknown = set(data) - _COMMON_FIELDS - set(_KIND_FIELDS[kind])
        if unknown:
            raise PromotionRuleError(
                f"促销 {rule_id or '?'}：{kind.value} 不接受字段 {'、'.join(sorted(unknown))}"
            )
        extra = {
            name: _read_field(rule_id, name, data[name])
            for name in _KIND_FIELDS[kind]
            if name in data
        }
        return cls(
            id=rule_id,
            name=str(data.get("name", "")).strip(),
            kind=kind,
            scope=Scope(
                skus=_strings(rule_id, data.get("skus", [])),
                categories=_strings(rule_id, data.get("categories", [])),
                stores=_strings(rule_id, data.get("stores", [])),
            ),
            start=_local_time(rule_id, "start", data.get("start")),
            end=_local_time(rule_id, "end", data.get("end")),
            weekdays=frozenset(_ints(rule_id, "weekdays", data.get("weekdays", []))),
            month_days=frozenset(_ints(rule_id, "month_days", data.get("month_days", []))),
            members_only=_bool(rule_id, "members_only", data.get("members_only", False)),
            tiers=_strings(rule_id, data.get("tiers", [])),
            priority=_int(rule_id, "priority", data.get("priority", 0)),
            stackable=_bool(rule_id, "stackable", data.get("stackable", True)),
            **extra,
        )


_COMMON_FIELDS = {
    "id",
    "name",
    "kind",
    "skus",
    "categories",
    "stores",
    "start",
    "end",
    "weekdays",
    "month_days",
    "members_only",
    "tiers",
    "priority",
    "stackable",
}
_KIND_FIELDS: dict[PromoKind, tuple[str, ...]] = {
    PromoKind.SPECIAL_PRICE: ("price_fen",),
    PromoKind.PERCENT_OFF: ("percent_bp",),
    PromoKind.MULTI_BUY: ("group_qty", "discounted_qty", "percent_bp"),
    PromoKind.GIFT: ("buy_qty", "gift_sku", "gift_qty"),
    PromoKind.SPEND_OFF: ("steps", "repeat"),
}


@dataclass(frozen=True)
class RuleSet:
    """One version of a chain's promotions, in one time zone (the stores' wall clock)."""

    version: int = 0
    time_zone: str = DEFAULT_TIME_ZONE
    rules: tuple[Rule, ...] = ()
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 0:
            raise PromotionRuleError(f"促销版本号必须是非负整数，而不是 {self.version!r}")
        try:
            object.__setattr__(self, "zone", ZoneInfo(self.time_zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise PromotionRuleError(
                f"时区 {self.time_zone!r} 不认识（例如 Asia/Shanghai）"
            ) from None
        ids = [rule.id for rule in self.rules]
        twice = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if twice:
            raise PromotionRuleError(f"促销编号重复：{'、'.join(twice)}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "time_zone": self.time_zone,
            "rules": [rule.to_dict() for rule in self.rules],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        rules = data.get("rules", [])
        if not isinstance(rules, list) or not all(isinstance(r, Mapping) for r in rules):
            raise PromotionRuleError("rules 必须是促销对象的列表")
        return cls(
            version=data.get("version", 0),
            time_zone=str(data.get("time_zone", DEFAULT_TIME_ZONE)),
            rules=tuple(Rule.from_dict(rule) for rule in rules),
        )


# -- checking ----------------------------------------------------------------------------------


def _fail(rule: Rule | str, message: str) -> PromotionRuleError:
    rule_id = rule if isinstance(rule, str) else rule.id
    return PromotionRuleError(f"促销 {rule_id or '?'}：{message}")


def _check_rule(rule: Rule) -> None:
    if not 0 < len(rule.id) <= 32 or not all("!" <= char <= "~" for char in rule.id):
        raise _fail(rule, "编号必须是 1 到 32 个英文字母、数字或符号，不含空格")
    if not rule.name or len(rule.name) > 40 or not rule.name.isprintable():
        raise _fail(rule, "名称必须是 1 到 40 个可打印字符（会印在小票上）")
    if rule.start and rule.end and rule.end <= rule.start:
        raise _fail(rule, "结束时间必须晚于开始时间")
    if not rule.weekdays <= set(range(1, 8)):
        raise _fail(rule, "weekdays 只能是 1（周一）到 7（周日）")
    if not rule.month_days <= set(range(1, 32)):
        raise _fail(rule, "month_days 只能是 1 到 31")
    if rule.kind is PromoKind.SPECIAL_PRICE and not 0 <= rule.price_fen <= MAX_FEN:
        raise _fail(rule, "特价必须在 ¥0.00 以上")
    if rule.kind in (PromoKind.PERCENT_OFF, PromoKind.MULTI_BUY) and not (
        0 < rule.percent_bp <= _BP
    ):
        raise _fail(rule, "percent_bp 必须在 1 到 10000 之间（5000 = 减 50%）")
    if rule.kind is PromoKind.MULTI_BUY and not 0 < rule.discounted_qty < rule.group_qty <= 100:
        raise _fail(rule, "group_qty 必须大于 discounted_qty（第二件半价：2 件中 1 件）")
    if rule.kind is PromoKind.GIFT and (
        not rule.gift_sku or not 0 < rule.buy_qty <= 1000 or not 0 < rule.gift_qty <= 1000
    ):
        raise _fail(rule, "买赠需要 gift_sku、buy_qty ≥ 1 和 gift_qty ≥ 1")
    if rule.kind is PromoKind.SPEND_OFF:
        _check_steps(rule)


def _check_steps(rule: Rule) -> None:
    if not rule.steps:
        raise _fail(rule, "满减至少要有一档 [满多少分, 减多少分]")
    thresholds = [threshold for threshold, _ in rule.steps]
    if thresholds != sorted(set(thresholds)):
        raise _fail(rule, "满减各档的门槛必须从低到高且不重复")
    for threshold, off in rule.steps:
        if not 0 < off <= threshold <= MAX_FEN:
            raise _fail(rule, "每档的减额必须大于 0 且不超过门槛")
    if rule.repeat and len(rule.steps) != 1:
        raise _fail(rule, "每满减（repeat）只能有一档")


def _strings(rule_id: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(rule_id, f"应为文字列表，而不是 {value!r}")
    return frozenset(value)


def _int(rule_id: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(rule_id, f"{name} 必须是整数，而不是 {value!r}")
    return value


def _ints(rule_id: str, name: str, value: Any) -> list[int]:
    if not isinstance(value, list):
        raise _fail(rule_id, f"{name} 必须是整数列表")
    return [_int(rule_id, name, v) for v in value]


def _bool(rule_id: str, name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(rule_id, f"{name} 必须是 true 或 false")
    return value


def _local_time(rule_id: str, name: str, value: Any) -> datetime | None:
    """A wall-clock time in the rule set's zone, e.g. "2026-12-12T00:00"."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise _fail(rule_id, f"{name} 时间 {value!r} 看不懂（例如 2026-12-12T00:00）") from None
    if moment.tzinfo is not None:
        raise _fail(rule_id, f"{name} 写门店当地时间，不带时区")
    return moment


def _read_field(rule_id: str, name: str, value: Any) -> Any:
    if name == "gift_sku":
        if not isinstance(value, str):
            raise _fail(rule_id, "gift_sku 必须是商品编码")
        return value
    if name == "repeat":
        return _bool(rule_id, name, value)
    if name == "steps":
        if not isinstance(value, list) or not all(
            isinstance(step, list) and len(step) == 2 for step in value
        ):
            raise _fail(rule_id, "steps 写成 [[满多少分, 减多少分], ...]")
        return tuple((_int(rule_id, name, a), _int(rule_id, name, b)) for a, b in value)
    return _int(rule_id, name, value)


def rules_in_stage(rules: Sequence[Rule], stage: Stage) -> list[Rule]:
    """The rules of one stage in the order the engine applies them."""
    return sorted((rule for rule in rules if rule.stage is stage), key=lambda r: r.order_key)
