"""The member step at the counter (F4) and points in the payment dialog, driven like a cashier
would: a scanned member code attaches the member offline and shows the points to earn; lookups
that need the mall and redemptions it cannot hold say why, and change nothing."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pytestqt.qtbot import QtBot

from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember
from pos_app.store.models import utc_now
from pos_app.store.settings import set_setting
from pos_app.ui.main_window import MainWindow
from pos_app.ui.member_dialog import MemberDialog
from sync.member_code import sign_member_code
from tests.ui.conftest import FakeClock, find_open, scan, wait_idle
from tests.ui.test_selling import click_ok, open_payment, pay, ring_up, sales

MALL_KEY = Ed25519PrivateKey.generate()
MEMBER = "M00000000BEEF"


@pytest.fixture
def paired(db: Database) -> Database:
    """The till holds the mall's member code key and allows 500 points a day offline."""
    public = base64.b64encode(MALL_KEY.public_key().public_bytes_raw()).decode()
    with db.write() as session:
        set_setting(session, "member_code_public_key", public)
        set_setting(session, "points_rules", {"offline_points_cap": 500})
    return db


def member_code() -> str:
    return sign_member_code(
        member_id=MEMBER,
        tier="",
        expires_at=utc_now() + timedelta(minutes=5),
        private_key=MALL_KEY.private_bytes_raw(),
    )


def open_member(window: MainWindow) -> MemberDialog:
    window.sale.open_member()
    return find_open(window, MemberDialog)


def test_a_scanned_member_code_attaches_the_member_and_shows_the_points_to_earn(
    qtbot: QtBot, paired: Database, window: MainWindow, clock: FakeClock
) -> None:
    """F4 then a scan of the member QR: member prices apply, the panel shows 6 points to earn."""
    ring_up(window, clock, "1001", "1001")
    dialog = open_member(window)
    scan(window, member_code(), clock, target=dialog.code)
    wait_idle(qtbot, window)
    assert window.sale.open_dialogs() == [] and window.sale.cart.member_id == MEMBER
    assert window.sale.total.text() == "¥6.00"
    panel = window.sale.member.text()
    assert "本单可得 6 积分" in panel and "积分以商城为准" in panel


def test_a_phone_lookup_without_the_mall_explains_and_attaches_nobody(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """Typing a phone number on an unconnected till: the dialog says the mall is needed."""
    ring_up(window, clock, "1001")
    dialog = open_member(window)
    dialog.code.setText("13812345678")
    click_ok(qtbot, dialog)
    wait_idle(qtbot, window)
    assert "无法连接商城" in dialog.error.text() and dialog.isVisible()
    assert window.sale.cart.member_id is None and window.sale.total.text() == "¥3.50"
    dialog.reject()


def test_points_need_a_member_and_are_refused_offline_beyond_what_the_till_knows(
    qtbot: QtBot, paired: Database, window: MainWindow, clock: FakeClock
) -> None:
    """No member: asks for one; a balance the till never heard cannot be redeemed offline."""
    ring_up(window, clock, "1001")
    dialog = open_payment(window)
    pay(qtbot, window, dialog, "points", "1.00")
    assert "请先按 F4 登记会员" in dialog.message.text()
    dialog.reject()
    window.sale.cart.attach_member(MEMBER)
    dialog = open_payment(window)
    pay(qtbot, window, dialog, "points", "1.00")
    assert "不能使用积分/储值" in dialog.message.text() and dialog.tenders == []
    dialog.reject()


def test_points_taken_offline_within_the_cap_pay_part_of_the_sale(
    qtbot: QtBot, paired: Database, window: MainWindow, clock: FakeClock
) -> None:
    """1000 points known here: ¥2.00 paid with points offline, the rest in cash."""
    with paired.write() as session:
        session.add(KnownMember(member_id=MEMBER, points_balance=1000, source="mall"))
    ring_up(window, clock, "1001", "1001")
    window.sale.cart.attach_member(MEMBER)
    dialog = open_payment(window)
    pay(qtbot, window, dialog, "points", "2.00")
    assert "离线抵扣" in dialog.message.text()
    pay(qtbot, window, dialog, "cash", "4.00")
    [sale] = sales(paired)
    assert [(p.kind, p.amount_fen, p.reference[:3]) for p in sale.payments] == [
        ("points", 200, "OFF"),
        ("cash", 400, ""),
    ]
    assert sale.points_earned == 4
