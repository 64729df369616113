"""Two stores, one till each: every device endpoint tried by store S001's till with store
S002's ids (its store id, sale numbers, payments, orders, holds, members' redemptions). Each try
is refused or has no effect on S002's data; the test prints attempts / refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from mall.members.models import HoldRow, PointsEntryRow, StoredValueEntryRow
from mall.models import SaleRow
from mall.orders import create_order
from mall.payment_models import PaymentRow
from mall.payments.reconcile import CHINA
from mall.stock import add_move
from sync.sample import Item, refund_payload
from tests.mall.payment_support import payment_code
from tests.sync.conftest import Mall
from tests.sync.member_helpers import MallMembers
from tests.sync.raw_till import paired

NOODLES = Item("1003", "康师傅红烧牛肉面", 1, 450)


def store_b_books(mall: Mall, member_id: str) -> tuple[Any, ...]:
    """Everything of S002 (and its member) that S001's till must not be able to move."""
    with mall.db.read() as session:
        return (
            mall.sales("S002"),
            mall.stock("S002", "1002"),
            session.scalar(
                select(func.sum(PointsEntryRow.delta)).where(PointsEntryRow.member_id == member_id)
            ),
            session.scalar(
                select(func.sum(StoredValueEntryRow.delta_fen)).where(
                    StoredValueEntryRow.member_id == member_id
                )
            ),
            tuple(session.execute(select(HoldRow.id, HoldRow.status, HoldRow.amount_fen)).all()),
            tuple(session.execute(select(PaymentRow.id, PaymentRow.status)).all()),
            session.scalar(
                select(func.count()).select_from(SaleRow).where(SaleRow.store_id == "S002")
            ),
        )


def test_a_till_of_one_store_can_touch_nothing_of_another(mall: Mall, capsys) -> None:
    """S001's till tries S002's ids on every endpoint; every try is refused or changes nothing
    of S002, and what it reads holds nothing of S002."""
    members = MallMembers(mall.db)
    member = members.add("13700001234", points=500, stored_value_fen=10_000)
    a, b = paired(mall, "S001"), paired(mall, "S002")
    b_sale = b.sale(NOODLES)
    assert b.push("sale", b_sale).json()["applied"] == 1
    b_hold = b.hold(member, 900, members.code(member))
    b_pay = b.device.post(
        "/payments",
        json={
            "idempotency_key": "b-draft:1",
            "sale_draft_id": "b-draft",
            "attempt_no": 1,
            "amount_fen": 450,
            "payment_code": payment_code(),
        },
    ).json()
    with mall.db.write() as session:
        add_move(session, "S002", "1002", 5, "receive", "test")
        order, pickup_code = create_order(session, "S002", [("1002", 1)])
    before = store_b_books(mall, member)

    attempts: list[tuple[str, bool]] = []

    def tried(name: str, refused: bool) -> None:
        attempts.append((name, refused))

    answer = a.push("sale", a.sale(NOODLES, store_id="S002"))
    tried(
        "push a sale of S002", answer.status_code == 400 and answer.json()["code"] == "wrong_store"
    )
    signup = {
        "phone": "13700009999",
        "store_id": "S002",
        "created_at": datetime.now(CHINA).isoformat(),
    }
    answer = a.push("member_signup", signup)
    tried("push a signup at S002", answer.status_code == 400)
    refund = refund_payload(b_sale, till_seq=900) | {"store_id": "S001"}
    answer = a.push("refund", refund)
    tried(
        "refund S002's sale number",
        answer.status_code == 200 and store_b_books(mall, member) == before,
    )
    spend = a.sale(
        NOODLES,
        member_id=member,
        payments=[{"kind": "stored_value", "amount_fen": 450, "reference": b_hold}],
    )
    answer = a.push("sale", spend)
    tried("spend S002's hold", answer.status_code == 200 and store_b_books(mall, member) == before)
    answer = a.device.post(f"/members/holds/{b_hold}/release")
    tried("release S002's hold", answer.status_code == 404)
    answer = a.device.post(
        "/members/holds",
        json={"request_id": "a1", "member_id": member, "kind": "stored_value", "amount_fen": 1},
    )
    tried("hold a member shown only at S002", answer.status_code == 403)
    for method, path, body in [
        ("GET", f"/payments/{b_pay['id']}", None),
        ("POST", f"/payments/{b_pay['id']}/cancel", None),
        ("POST", f"/payments/{b_pay['id']}/refunds", {"idempotency_key": "r1", "amount_fen": 450}),
        ("POST", f"/orders/{order.id}/handover", {"pickup_code": pickup_code}),
    ]:
        call = a.device.post if method == "POST" else a.device.get
        answer = call(path, json=body) if body is not None else call(path)
        tried(f"{method} {path.split('/')[1]} of S002", answer.status_code == 404)
    found = a.device.get("/payments", params={"idempotency_key": "b-draft:1"})
    tried("find S002's payment by key", found.status_code == 200 and found.json() == [])
    orders = a.device.get("/orders")
    tried("list orders", str(order.id) not in orders.text)
    day = datetime.now(CHINA).date().isoformat()
    report = a.device.get("/payments/reconciliation", params={"day": day}).json()
    tried("reconciliation", all(row["store_id"] == "S001" for row in report["rows"]))
    claimed = a.device.get("/receipts/claimed", params={"after": 0}).json()
    tried("claimed receipts", claimed["claims"] == [])
    stock = a.device.get("/stock/1002").json()
    tried("stock", stock["store_id"] == "S001" and stock["on_hand"] == 0)

    after = store_b_books(mall, member)
    refused = sum(ok for _, ok in attempts)
    with capsys.disabled():
        print(f"\ncross-store: {len(attempts)} attempts, {refused} refused or without effect")
    assert after == before
    assert [name for name, ok in attempts if not ok] == []
