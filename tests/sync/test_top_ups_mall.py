"""Stored-value top-ups (充值) as the mall takes them from a till over real HTTP: the paid
amount and the bonus of the mall's own tiers go on the member's ledger once, a forged bonus is
a review item and never credited, the same event pushed twice credits once, and the tiers set
with `pos-mall top-up-rules` reach tills with the points rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from mall.cli import main as mall_main
from mall.models import ConflictRow
from tests.sync.conftest import Mall
from tests.sync.member_helpers import MallMembers
from tests.sync.raw_till import Till, paired


def top_up(till: Till, member_id: str, amount_fen: int, bonus_fen: int) -> dict[str, Any]:
    return {
        "top_up_no": f"TU{uuid.uuid4().hex[:10]}",
        "store_id": till.store_id,
        "till_id": till.till_id,
        "created_at": datetime.now(UTC).isoformat(),
        "cashier": 1001,
        "member_id": member_id,
        "amount_fen": amount_fen,
        "bonus_fen": bonus_fen,
        "payments": [{"kind": "cash", "amount_fen": amount_fen, "reference": ""}],
    }


def entries(mall: Mall, member_id: str) -> list[tuple[str, int]]:
    return MallMembers(mall.db).ledger(member_id, "stored_value")


def reviews(mall: Mall) -> list[str]:
    with mall.db.read() as session:
        return list(session.scalars(select(ConflictRow.reason).order_by(ConflictRow.id)))


def set_tiers(mall: Mall, *tiers: str) -> None:
    args = [a for tier in tiers for a in ("--tier", tier)]
    assert mall_main(["top-up-rules", "--db", mall.db.url, *args]) == 0


def test_tiers_set_by_cli_reach_tills_with_the_points_rules(
    mall: Mall, capsys: pytest.CaptureFixture[str]
):
    set_tiers(mall, "20000=2000", "50000=6000")
    assert "充200送20，充500送60" in capsys.readouterr().out
    till = paired(mall, "S001")
    rules = till.device.get("/members/rules").json()
    assert rules["top_up_tiers"] == [
        {"pay_fen": 20000, "bonus_fen": 2000},
        {"pay_fen": 50000, "bonus_fen": 6000},
    ]
    assert mall_main(["top-up-rules", "--db", mall.db.url, "--clear"]) == 0
    assert "未设置" in capsys.readouterr().out


def test_a_top_up_credits_paid_and_the_malls_bonus_once(mall: Mall):
    set_tiers(mall, "20000=2000")
    member = MallMembers(mall.db).add("13800000001")
    till = paired(mall, "S001")
    payload = top_up(till, member, 20000, 2000)
    event = till.event("top_up", payload, 1)
    for _ in range(2):  # a retry of the same event: acknowledged, not applied again
        answer = till.device.post("/sync/push", json={"events": [event]})
        assert answer.status_code == 200, answer.text
    assert answer.json()["replayed"] == 1
    assert entries(mall, member) == [("top_up", 20000), ("top_up_bonus", 2000)]
    assert reviews(mall) == []


def test_a_forged_bonus_is_left_for_review_and_not_credited(mall: Mall):
    set_tiers(mall, "20000=2000")
    member = MallMembers(mall.db).add("13800000002")
    till = paired(mall, "S001")
    answer = till.push("top_up", top_up(till, member, 19999, 100_000))
    assert answer.status_code == 200 and answer.json()["applied"] == 1, answer.text
    assert entries(mall, member) == [("top_up", 19999)]
    assert reviews(mall) == ["bonus_differs"]


def test_a_top_up_must_be_paid_in_money_and_add_up(mall: Mall):
    member = MallMembers(mall.db).add("13800000003")
    till = paired(mall, "S001")
    by_stored_value = top_up(till, member, 20000, 0)
    by_stored_value["payments"] = [{"kind": "stored_value", "amount_fen": 20000, "reference": ""}]
    short = top_up(till, member, 20000, 0)
    short["payments"] = [{"kind": "cash", "amount_fen": 100, "reference": ""}]
    for payload in (by_stored_value, short):
        assert till.push("top_up", payload).status_code == 422
    assert entries(mall, member) == []


def test_a_top_up_for_an_unknown_member_credits_nobody(mall: Mall):
    till = paired(mall, "S001")
    answer = till.push("top_up", top_up(till, "M000000000000", 20000, 0))
    assert answer.status_code == 200 and answer.json()["applied"] == 1
    assert reviews(mall) == ["top_up_member_unknown"]
