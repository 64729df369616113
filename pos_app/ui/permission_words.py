"""Roles, grants and refusals of the permission table as the screen words them."""

from __future__ import annotations

from pos_app.domain.money import BASIS_POINTS, format_fen
from pos_app.domain.zhe import zhe_text
from pos_app.services.permissions import Action, Grant, Need, NotPermitted
from pos_app.ui.i18n import tr


def role_name(role: str) -> str:
    return tr(f"role_{role}")


def action_name(action: Action) -> str:
    return tr(f"perm_{action.value}")


def roles_text(roles: tuple[str, ...]) -> str:
    """主管或经理: the roles that may, joined as a sentence says them."""
    return tr("or_words").join(role_name(role) for role in roles)


def limit_text(action: Action, limit: int) -> str:
    """不低于八折 for a discount limit, ¥200.00 以内 for a refund limit."""
    if action is Action.DISCOUNT:
        return tr("limit_zhe", zhe=zhe_text(BASIS_POINTS - limit))
    return tr("limit_fen", amount=format_fen(limit))


def refusal_text(error: NotPermitted) -> str:
    """Who refused what and who may approve it instead."""
    need: Need = error.need
    limit: Grant = error.limit
    values = {
        "name": error.params["name"],
        "role": role_name(error.role),
        "action": action_name(need.action),
        "who": roles_text(error.who),
    }
    if isinstance(limit, bool):
        return tr("refused_not_allowed", **values)
    return tr("refused_over_limit", limit=limit_text(need.action, limit), **values)
