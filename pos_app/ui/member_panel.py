"""The member panel text of the sale screen: who is attached, their points as this till knows
them, and the points this cart earns if paid now. One read of two tiny indexed queries (fine on
the GUI thread, only when a member is attached)."""

from __future__ import annotations

from pos_app.domain.cart import Cart
from pos_app.services.till_views import member_panel
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import tr


def member_text(ctx: TillContext, cart: Cart) -> str:
    if cart.member_id is None:
        return tr("no_member")
    panel = member_panel(ctx.db, cart, payable_fen=cart.payable_fen(ctx.rounding))
    member = panel.member
    if member is None:
        return tr("member_id", id=cart.member_id)
    who = f"****{member.phone_tail}" if member.phone_tail else member.member_id
    lines = [tr("member_panel", who=who, tier=f" {member.tier}" if member.tier else "")]
    if member.is_pending:
        lines.append(tr("member_signup_queued", tail=member.phone_tail))
    elif member.points_balance is None:
        lines.append(tr("member_balance_unknown"))
    else:
        lines.append(tr("member_balance", points=member.points_balance))
    lines.append(tr("member_earn", points=panel.earn_points))
    return "\n".join(lines)
