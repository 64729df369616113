"""The permission table: what each role may do and approve, the limits a manager edits, and the
approver's staff number + PIN checked against it (wrong PINs still count towards the lock)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.services.errors import WrongPin
from pos_app.services.permissions import (
    Action,
    Need,
    NotPermitted,
    off_basis_points,
    read_table,
    roles_that_may,
    store_table,
)
from pos_app.services.pin_guard import approve_guarded, read_state
from pos_app.store.db import Database
from tests.conftest import (
    CASHIER_PIN,
    MANAGER_ID,
    MANAGER_PIN,
    SUPERVISOR_CODE,
    SUPERVISOR_ID,
    SUPERVISOR_PIN,
)

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def approve(db: Database, code: str, pin: str, need: Need) -> int:
    return approve_guarded(db, staff_code=code, pin=pin, need=need, now=NOW).staff_id


def test_default_table_gives_each_role_more_than_the_one_below(db: Database) -> None:
    """九折 a cashier, 八折 a supervisor, anything a manager; a void needs a supervisor, a
    refund without the receipt a manager."""
    with db.read() as session:
        table = read_table(session)
    assert roles_that_may(table, Need(Action.DISCOUNT, 1000)) == ROLES_ALL
    assert roles_that_may(table, Need(Action.DISCOUNT, 1500)) == ("supervisor", "manager")
    assert roles_that_may(table, Need(Action.DISCOUNT, 2500)) == ("manager",)
    assert roles_that_may(table, Need(Action.VOID_LINE)) == ("supervisor", "manager")
    assert roles_that_may(table, Need(Action.REFUND_RECEIPT, 20000)) == ("supervisor", "manager")
    assert roles_that_may(table, Need(Action.REFUND_RECEIPT, 20001)) == ("manager",)
    assert roles_that_may(table, Need(Action.REFUND_NO_RECEIPT, 100)) == ("manager",)
    assert roles_that_may(table, Need(Action.REPRINT)) == ROLES_ALL


ROLES_ALL = ("cashier", "supervisor", "manager")


def test_a_supervisor_approves_what_the_table_allows_and_no_more(db: Database) -> None:
    """3001 approves a void and a ¥200 refund; a ¥300 refund is refused naming the manager
    as who may, and that refusal is no wrong PIN; the manager approves it."""
    assert approve(db, SUPERVISOR_CODE, SUPERVISOR_PIN, Need(Action.VOID_LINE)) == SUPERVISOR_ID
    refund = Need(Action.REFUND_RECEIPT, 20000)
    assert approve(db, SUPERVISOR_CODE, SUPERVISOR_PIN, refund) == SUPERVISOR_ID
    big = Need(Action.REFUND_RECEIPT, 30000)
    with pytest.raises(NotPermitted) as refused:
        approve(db, SUPERVISOR_CODE, SUPERVISOR_PIN, big)
    assert (refused.value.role, refused.value.limit, refused.value.who) == (
        "supervisor",
        20000,
        ("manager",),
    )
    with db.read() as session:
        assert read_state(session, "override").failures == 0
    assert approve(db, "2001", MANAGER_PIN, big) == MANAGER_ID


def test_a_wrong_pin_or_a_cashier_is_refused(db: Database) -> None:
    """A cashier's own number and PIN do not approve a void; a wrong PIN is counted."""
    with pytest.raises(NotPermitted):
        approve(db, "1001", CASHIER_PIN, Need(Action.VOID_LINE))
    with pytest.raises(WrongPin):
        approve(db, SUPERVISOR_CODE, CASHIER_PIN, Need(Action.VOID_LINE))
    with db.read() as session:
        assert read_state(session, "override").failures == 1


def test_limits_a_manager_edits_are_what_approvals_follow(db: Database) -> None:
    """Raise the supervisor's refund limit to ¥500 and take voids from them."""
    with db.write() as session:
        table = read_table(session)
        table["supervisor"][Action.REFUND_RECEIPT] = 50000
        table["supervisor"][Action.VOID_LINE] = False
        store_table(session, table)
    assert (
        approve(db, SUPERVISOR_CODE, SUPERVISOR_PIN, Need(Action.REFUND_RECEIPT, 30000))
        == SUPERVISOR_ID
    )
    with pytest.raises(NotPermitted):
        approve(db, SUPERVISOR_CODE, SUPERVISOR_PIN, Need(Action.VOID_LINE))
    with db.write() as session, pytest.raises(Exception, match="bad limit"):
        table["cashier"][Action.VOID_SALE] = 5
        store_table(session, table)


@pytest.mark.parametrize(
    ("off", "base", "bp"), [(350, 3500, 1000), (351, 3500, 1003), (0, 0, 0), (5, 0, 10000)]
)
def test_a_discount_in_fen_is_as_deep_as_it_is_rounded_up(off: int, base: int, bp: int) -> None:
    assert off_basis_points(off, base) == bp
