"""Who may do what at the till: the one permission table of the three roles (DESIGN §4).

Each role (cashier, supervisor) has, for every action, a grant: False (not allowed), True
(allowed) or a whole number, the most it may do: the largest discount in basis points of the
price (1000 is 九折) or the largest refund in fen. A manager may do everything, so a manager can
never be locked out by an edit. The table lives in the setting role_permissions (a manager
edits it in 设置); a staff member whose own role lacks a grant needs an approver whose role has
it. Writing back-office data (stock, prices, products) is a manager's alone (require_manager).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from pos_app.domain.money import BASIS_POINTS
from pos_app.services.auth import ROLE_RANK
from pos_app.services.errors import ServiceError
from pos_app.store.models import Staff
from pos_app.store.settings import get_setting, set_setting

Grant = bool | int
ROLES = ("cashier", "supervisor", "manager")
EDITABLE_ROLES = ("cashier", "supervisor")  # a manager's grants are fixed: everything
SETTING = "role_permissions"


class Action(StrEnum):
    """What the table grants. DISCOUNT and the refunds carry a limit."""

    DISCOUNT = "discount"  # a line or whole-sale discount; limit in basis points off
    PRICE_OVERRIDE = "price_override"
    VOID_LINE = "void_line"
    VOID_SALE = "void_sale"
    REFUND_RECEIPT = "refund_receipt"  # the receipt scanned; limit in fen
    REFUND_NO_RECEIPT = "refund_no_receipt"  # the sale number typed; limit in fen
    NO_SALE = "no_sale"  # open the drawer without a sale
    CASH_OUT = "cash_out"  # take cash out of the drawer during a shift
    REPRINT = "reprint"
    Z_CLOSE = "z_close"
    SETTINGS = "settings"
    BACK_OFFICE = "back_office"


LIMITED = (Action.DISCOUNT, Action.REFUND_RECEIPT, Action.REFUND_NO_RECEIPT)

DEFAULT_TABLE: dict[str, dict[Action, Grant]] = {
    "cashier": {
        Action.DISCOUNT: 1000,  # down to 九折
        Action.PRICE_OVERRIDE: False,
        Action.VOID_LINE: False,
        Action.VOID_SALE: False,
        Action.REFUND_RECEIPT: False,
        Action.REFUND_NO_RECEIPT: False,
        Action.NO_SALE: False,
        Action.CASH_OUT: False,
        Action.REPRINT: True,
        Action.Z_CLOSE: True,
        Action.SETTINGS: False,
        Action.BACK_OFFICE: False,
    },
    "supervisor": {
        Action.DISCOUNT: 2000,  # down to 八折
        Action.PRICE_OVERRIDE: True,
        Action.VOID_LINE: True,
        Action.VOID_SALE: True,
        Action.REFUND_RECEIPT: 20000,  # ¥200.00
        Action.REFUND_NO_RECEIPT: False,
        Action.NO_SALE: True,
        Action.CASH_OUT: False,
        Action.REPRINT: True,
        Action.Z_CLOSE: True,
        Action.SETTINGS: False,
        Action.BACK_OFFICE: False,
    },
}


@dataclass(frozen=True)
class Need:
    """An action about to be done, with its size when the action has a limit."""

    action: Action
    amount: int = 0  # basis points off for DISCOUNT, fen for the refunds


class ManagerRequired(ServiceError):
    """The person asking is not an active manager."""


class NotPermitted(ServiceError):
    """The approver's role may not do this (or not this much). `who` are the roles that may."""

    def __init__(self, *, name: str, role: str, need: Need, limit: Grant, who: tuple[str, ...]):
        super().__init__(
            f"{name} ({role}) may not approve {need.action.value}; ask: {', '.join(who)}",
            code="not_permitted",
            name=name,
        )
        self.role, self.need, self.limit, self.who = role, need, limit, who


PermissionTable = dict[str, dict[Action, Grant]]


def read_table(session: Session) -> PermissionTable:
    """The table as the manager left it, defaults for anything not stored."""
    stored: dict[str, dict[str, Any]] = get_setting(session, SETTING) or {}
    table: PermissionTable = {}
    for role in EDITABLE_ROLES:
        saved = stored.get(role, {})
        table[role] = {
            action: _grant(saved.get(action.value, default))
            for action, default in DEFAULT_TABLE[role].items()
        }
    table["manager"] = {action: True for action in Action}
    return table


def _grant(value: Any) -> Grant:
    if isinstance(value, bool):
        return value
    return int(value)


def table_values(table: PermissionTable) -> dict[str, dict[str, Grant]]:
    """The editable part of the table as the setting stores it (JSON)."""
    return {role: {a.value: g for a, g in table[role].items()} for role in EDITABLE_ROLES}


def validate_table(table: PermissionTable) -> None:
    """Refuse limits that make no sense: a discount beyond 免单 or a negative amount."""
    for role in EDITABLE_ROLES:
        for action, grant in table[role].items():
            if isinstance(grant, bool):
                continue
            too_deep = action is Action.DISCOUNT and grant > BASIS_POINTS
            if action not in LIMITED or grant < 0 or too_deep:
                raise ServiceError(f"bad limit {grant} for {role} {action}", code="bad_limit")


def store_table(session: Session, table: PermissionTable) -> None:
    validate_table(table)
    set_setting(session, SETTING, table_values(table))


def off_basis_points(discount_fen: int, base_fen: int) -> int:
    """How deep a discount is, in basis points of the price, rounded up (a fen over a limit
    is over it)."""
    if discount_fen <= 0:
        return 0
    if base_fen <= 0:
        return BASIS_POINTS
    return min(BASIS_POINTS, -(-discount_fen * BASIS_POINTS // base_fen))


def permits(grant: Grant, need: Need) -> bool:
    """Whether a grant covers the need: True, or a limit at least the amount."""
    if isinstance(grant, bool):
        return grant
    return need.amount <= grant


def role_permits(table: PermissionTable, role: str, need: Need) -> bool:
    grants = table.get(role)
    return grants is not None and permits(grants[need.action], need)


def roles_that_may(table: PermissionTable, need: Need) -> tuple[str, ...]:
    """The roles whose grant covers the need, lowest first (the manager always)."""
    return tuple(role for role in ROLES if role_permits(table, role, need))


def check_approver(session: Session, staff: Staff, need: Need) -> None:
    """Raise NotPermitted unless this staff member's role covers the need."""
    table = read_table(session)
    if not role_permits(table, staff.role, need):
        grants = table.get(staff.role, {})
        raise NotPermitted(
            name=staff.name,
            role=staff.role,
            need=need,
            limit=grants.get(need.action, False),
            who=roles_that_may(table, need),
        )


def require_manager(session: Session, staff_id: int) -> Staff:
    """The active manager with this id, or ManagerRequired."""
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active or ROLE_RANK.get(staff.role, -1) < ROLE_RANK["manager"]:
        raise ManagerRequired(
            "Only a manager can change stock, prices and products.", code="manager_only"
        )
    return staff
