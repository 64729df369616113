"""Member balances kept as rows beside the points and stored-value ledgers: moved in the same
transaction as each entry, read without the ledger, compared by `pos-mall check`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from mall.cli import main
from mall.db import MallDatabase
from mall.housekeeping import expire_points
from mall.members.keys import set_points_rules
from mall.members.ledger import (
    add_entries,
    add_units,
    balance_differences,
    balance_row,
    get_or_create_member,
    member_info,
)
from mall.models import utc_now
from pos_app.domain.points import PointsRules


def test_check_compares_member_balances_with_the_ledgers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Adjustments keep member_balances equal to the ledgers; a row changed behind the mall's
    back is named by `pos-mall check`, which exits 1."""
    db = ["--db", f"sqlite:///{tmp_path / 'mall.db'}"]
    assert main(["member", "add", "13800000007", *db]) == 0
    assert main(["member", "adjust", "13800000007", "--points", "120", *db]) == 0
    assert (
        main(
            [
                "member",
                "adjust",
                "13800000007",
                "--points",
                "-20",
                "--stored-value-fen",
                "5000",
                *db,
            ]
        )
        == 0
    )
    assert main(["check", *db]) == 0
    mall = MallDatabase(db[1])
    with mall.write() as session:
        member_id = session.scalar(text("SELECT id FROM members"))
        kept = session.execute(text("SELECT points, stored_value_fen FROM member_balances"))
        assert kept.one() == (100, 5000)
        session.execute(text("UPDATE member_balances SET stored_value_fen = 1"))
    mall.dispose()
    capsys.readouterr()
    assert main(["check", *db]) == 1
    captured = capsys.readouterr()
    assert f"member {member_id}: points 100 (ledger 100), stored value 1 fen (ledger 5000)" in (
        captured.out
    )
    assert "0 stock rows and 1 member balances differ" in captured.err


def test_reads_skip_the_ledger_until_points_are_due_to_expire(mall_db: MallDatabase) -> None:
    """A bulk of entries moves the row once per member; the balance shown is the row until the
    member's check time, then the expired points are left out even before the job writes them
    off; the job looks only at members who are due and moves their check to the next lot."""
    now = utc_now()
    with mall_db.write() as session:
        set_points_rules(session, PointsRules(expiry_days=30))
        member = get_or_create_member(session, "13800000008", source="admin")[0]
        idle = get_or_create_member(session, "13800000009", source="admin")[0]
        entry = {"member_id": member.id, "source": "sale", "ref": "", "store_id": None}
        add_entries(session, "points", [{**entry, "delta": 10}] * 50, now=now)
        add_units(session, "points", member.id, 7, "sale", "", now=now + timedelta(days=10))
        add_units(session, "points", member.id, -100, "redemption", "", now=now)
        add_units(session, "points", idle.id, 5, "sale", "", now=now + timedelta(days=40))
        row = balance_row(session, member.id)
        assert row is not None and (row.points, row.points_check_at) == (407, now + timedelta(30))
    later = now + timedelta(days=31)
    with mall_db.read() as session:
        assert member_info(session, member, now=now).points_balance == 407
        assert member_info(session, member, now=later).points_balance == 7
        assert balance_differences(session) == []
    assert expire_points(mall_db, later) == (400, 1)  # the idle member is not due
    with mall_db.read() as session:
        row = balance_row(session, member.id)
        assert row is not None and (row.points, row.points_check_at) == (7, now + timedelta(40))
        assert member_info(session, member, now=later).points_balance == 7
        assert balance_differences(session) == []
