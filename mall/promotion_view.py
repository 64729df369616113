"""Reading the chain's promotion rules (the feed and the pricing of carts both do)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.models import PromotionSetRow
from pos_app.domain.promotion_rules import RuleSet
from sync.protocol import PromotionSetData


def rule_set(session: Session, version: int | None = None) -> RuleSet | None:
    """A version of the rules, the newest when version is None (None if there is none)."""
    query = select(PromotionSetRow.rules)
    if version is None:
        query = query.order_by(PromotionSetRow.version.desc()).limit(1)
    else:
        query = query.where(PromotionSetRow.version == version)
    text = session.scalar(query)
    return None if text is None else RuleSet.from_dict(json.loads(text))


def rule_set_data(session: Session) -> PromotionSetData | None:
    """The newest rules as the change feed sends them."""
    rules = rule_set(session)
    if rules is None:
        return None
    return PromotionSetData.model_validate(rules.to_dict())
