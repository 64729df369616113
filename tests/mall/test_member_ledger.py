"""The mall's member ledgers: a balance is always the sum of its entries and follows what
happened (earned, redeemed through holds, reversed, adjusted, expired oldest first); holds
set points aside and expire by themselves."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mall.db import MallDatabase
from mall.devices import DeviceIdentity
from mall.errors import Refused
from mall.members.holds import Redemption, capture, create_hold, release_hold
from mall.members.keys import ensure_member_keys, set_points_rules
from mall.members.ledger import (
    add_units,
    apply_expiry,
    get_or_create_member,
    member_info,
    points_balance,
)
from mall.members.models import MemberRow, PointsEntryRow
from pos_app.domain.points import PointsRules
from sync.member_protocol import HoldRequest

DEVICE = DeviceIdentity("d-test", "S001", "T01")
START = datetime(2025, 1, 1, tzinfo=UTC)
EXPIRY_DAYS = 100
_phones = itertools.count(13_000_000_000)
_requests = itertools.count()


@pytest.fixture
def ledger_db(mall_db: MallDatabase) -> MallDatabase:
    """The test mall with member keys and rules: 1 point per yuan, points last 100 days."""
    with mall_db.write() as session:
        ensure_member_keys(session)
        set_points_rules(session, PointsRules(expiry_days=EXPIRY_DAYS, redeem_points_per_yuan=100))
    return mall_db


def new_member(db: MallDatabase) -> str:
    with db.write() as session:
        member, _ = get_or_create_member(session, str(next(_phones)), source="admin")
        return member.id


@dataclass
class Model:
    """An independent account of what the balance should be: lots used oldest first."""

    lots: list[list[object]] = field(default_factory=list)  # [remaining, expires_at]
    balance: int = 0

    def earn(self, points: int, now: datetime) -> None:
        self.lots.append([points, now + timedelta(days=EXPIRY_DAYS)])
        self.balance += points

    def spend(self, points: int) -> None:
        self.balance -= points
        for lot in self.lots:
            used = min(lot[0], points)  # type: ignore[type-var]
            lot[0] -= used  # type: ignore[operator]
            points -= used

    def expire(self, now: datetime) -> None:
        for lot in self.lots:
            if lot[1] <= now:  # type: ignore[operator]
                self.balance -= lot[0]  # type: ignore[operator]
                lot[0] = 0


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), st.integers(1, 500)),
        st.tuples(st.just("redeem"), st.integers(1, 400)),
        st.tuples(st.just("abandon"), st.integers(1, 400)),
        st.tuples(st.just("reverse"), st.integers(1, 300)),
        st.tuples(st.just("wait"), st.integers(0, 150)),
    ),
    max_size=12,
)


def _apply(db: MallDatabase, member_id: str, model: Model, op: tuple[str, int], now: datetime):
    kind, amount = op
    with db.write() as session:
        if kind == "earn":
            add_units(session, "points", member_id, amount, "sale", "s", now=now)
            model.earn(amount, now)
        elif kind in ("redeem", "abandon"):
            request = HoldRequest(
                request_id=f"r{next(_requests)}",
                member_id=member_id,
                kind="points",
                amount_fen=amount,
            )
            try:
                hold = create_hold(session, DEVICE, request, now=now, ttl_s=600)
            except Refused:
                assert amount > model.balance
                return
            if kind == "abandon":
                release_hold(session, DEVICE, hold.hold_id, now=now)
                return
            member = session.get(MemberRow, member_id)
            assert member is not None
            capture(
                session, Redemption(member, "points", amount, hold.hold_id, "sale", DEVICE), now=now
            )
            model.spend(amount)
        elif kind == "reverse" and amount <= model.balance:
            add_units(session, "points", member_id, -amount, "refund", "r", now=now)
            model.spend(amount)
        elif kind == "wait":
            apply_expiry(session, member_id, now)
            model.expire(now)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_the_balance_is_the_sum_of_the_ledger_and_follows_what_happened(
    ledger_db: MallDatabase, ops: list[tuple[str, int]]
) -> None:
    """Whatever happens, the balance equals the ledger sum and an independent FIFO account."""
    member_id, model, now = new_member(ledger_db), Model(), START
    for op in ops:
        if op[0] == "wait":
            now += timedelta(days=op[1])
        _apply(ledger_db, member_id, model, op, now)
        with ledger_db.read() as session:
            entries = session.scalars(
                select(PointsEntryRow.delta).where(PointsEntryRow.member_id == member_id)
            ).all()
            member = session.get(MemberRow, member_id)
            assert member is not None
            info = member_info(session, member, now=now)
        assert info.points_balance == sum(entries) == model.balance
        assert info.points_available == info.points_balance  # every hold was settled
        now += timedelta(minutes=1)


def test_points_expire_oldest_first_after_their_days(ledger_db: MallDatabase) -> None:
    """Spent points use the oldest lot first; what is left of a lot expires after its days."""
    member_id = new_member(ledger_db)
    march = START + timedelta(days=60)
    with ledger_db.write() as session:
        add_units(session, "points", member_id, 100, "sale", "jan", now=START)
        add_units(session, "points", member_id, 50, "sale", "mar", now=march)
        add_units(session, "points", member_id, -120, "redemption", "apr", now=march)
        assert apply_expiry(session, member_id, START + timedelta(days=105)) == 0
        assert apply_expiry(session, member_id, march + timedelta(days=EXPIRY_DAYS)) == 30
        assert apply_expiry(session, member_id, march + timedelta(days=EXPIRY_DAYS + 1)) == 0
        assert points_balance(session, member_id) == 0
        sources = session.execute(
            select(PointsEntryRow.source, func.sum(PointsEntryRow.delta))
            .where(PointsEntryRow.member_id == member_id)
            .group_by(PointsEntryRow.source)
        ).all()
    assert dict(sources) == {"sale": 150, "redemption": -120, "expiry": -30}


def test_a_hold_sets_points_aside_until_it_expires_by_itself(ledger_db: MallDatabase) -> None:
    """Held points are not available to a second hold; ten minutes later they are again."""
    member_id = new_member(ledger_db)
    with ledger_db.write() as session:
        add_units(session, "points", member_id, 500, "adjustment", "gift", now=START)
        first = HoldRequest(request_id="a", member_id=member_id, kind="points", amount_fen=400)
        hold = create_hold(session, DEVICE, first, now=START, ttl_s=600)
        assert hold.points == 400 and hold.status == "active"
        again = HoldRequest(request_id="b", member_id=member_id, kind="points", amount_fen=200)
        with pytest.raises(Refused, match="100 points available"):
            create_hold(session, DEVICE, again, now=START, ttl_s=600)
        later = START + timedelta(minutes=10)
        assert create_hold(session, DEVICE, again, now=later, ttl_s=600).status == "active"
        assert create_hold(session, DEVICE, first, now=later, ttl_s=600).status == "expired"
