"""A stored-value top-up (充值) at the counter by keys only, against the real mall on 127.0.0.1:
F4 and the member's QR by scanner burst, Shift+F4, F1 (充200送20), Enter in the same payment
dialog as a sale (¥200.00 cash). The till stores it with its tender, journal entry and outbox
event, prints a 充值小票 that says 余额以商城为准, counts it in the Z report as 充值 (not as a
sale), and after sync the mall's ledger holds +200.00 and +20.00 once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mall.members.keys import set_top_up_tiers
from pos_app.domain.top_up import TopUpTier
from pos_app.services.member_directory import MallDirectory
from pos_app.store.db import Database
from pos_app.store.models import JournalEntry, OutboxEvent
from pos_app.store.payment_models import TopUp, TopUpPayment
from pos_app.ui.main_window import MainWindow
from pos_app.ui.member_dialog import MemberDialog
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.qt import QLabel, QPushButton, Qt
from pos_app.ui.shift_dialog import ShiftDialog
from pos_app.ui.top_up_dialog import TopUpDialog, TopUpPaymentDialog
from sync.engine import SyncEngine
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.sync.conftest import Mall, open_mall
from tests.sync.member_helpers import MallMembers, offline_directory, pair_till
from tests.ui.conftest import FakeClock, finish_background_work, log_in, open_window, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text
from tests.ui.test_shift_keys import wait_for_z_confirm

WAIT_MS = 10_000
PHONE = "13900000001"


@pytest.fixture
def mall(tmp_path: Path) -> Iterator[Mall]:
    yield from open_mall(f"sqlite:///{tmp_path / 'mall.db'}")


@pytest.fixture
def paired(db: Database, mall: Mall) -> Iterator[tuple[SyncEngine, MallDirectory]]:
    """The till paired with a mall whose chain gives 充200送20 and 充500送60."""
    with mall.db.write() as session:
        set_top_up_tiers(session, [TopUpTier(20000, 2000), TopUpTier(50000, 6000)])
    engine, directory = pair_till(db, mall.base_url, mall.pair_code("S001"))
    yield engine, directory
    engine.client.close()


@pytest.fixture
def engine(paired: tuple[SyncEngine, MallDirectory]) -> SyncEngine:
    return paired[0]


@pytest.fixture
def window(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    db: Database,
    clock: FakeClock,
    paired: tuple[SyncEngine, MallDirectory],
) -> Iterator[MainWindow]:
    """The paired till, logged in, on the sale screen, asking the mall about members online;
    with the receipt printer when the test uses `bridge`."""
    main = open_window(qtbot, db, clock, printer="bridge" in request.fixturenames)
    main.ctx.members = paired[1]
    log_in(qtbot, main)
    yield main
    finish_background_work(main)


def attach_by_code(qtbot: QtBot, clock: FakeClock, window: MainWindow, code: str) -> None:
    open_by_key(qtbot, clock, window, Qt.Key.Key_F4, MemberDialog)
    scan_code(clock, code)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [], timeout=WAIT_MS)


def test_a_cash_top_up_by_keys_is_stored_printed_counted_and_credited_once(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    mall: Mall,
    engine: SyncEngine,
    printer: FakePrinter,
    printing: PrinterBridge,
) -> None:
    members = MallMembers(mall.db)
    member = members.add(PHONE)
    attach_by_code(qtbot, clock, window, members.code(member))
    assert window.sale.cart.member_id == member

    ask = open_by_key(
        qtbot, clock, window, Qt.Key.Key_F4, TopUpDialog, Qt.KeyboardModifier.ShiftModifier
    )
    assert focused() is ask.amount
    assert ask.findChild(QPushButton, "tier_F1").text() == "F1 充200送20"
    press(clock, Qt.Key.Key_F1)
    pay = open_by_key_wait(qtbot, window, TopUpPaymentDialog)
    assert focused() is pay.amount and pay.due.text() == "¥200.00"
    assert pay.findChild(QLabel, "top_up_banner").text() == "会员充值 ****0001（不是销售）"
    press(clock, ENTER)  # the amount field holds what is due: ¥200.00 cash
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [], timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert "充值 ¥200.00 已收款" in window.sale.message.text()
    assert "余额以商城为准" in window.sale.message.text()

    with db.read() as session:
        top_up = session.scalars(select(TopUp)).one()
        assert (top_up.member_id, top_up.amount_fen, top_up.bonus_fen) == (member, 20000, 2000)
        tenders = session.execute(select(TopUpPayment.kind, TopUpPayment.amount_fen)).all()
        assert [tuple(t) for t in tenders] == [("cash", 20000)]
        assert session.scalars(select(OutboxEvent.kind)).all() == ["top_up"]
        assert session.scalar(select(JournalEntry.kind).order_by(JournalEntry.seq.desc())) == (
            "top_up"
        )

    jobs = printer.wait_for_jobs(2, timeout_s=WAIT_MS / 1000)  # drawer kick, 充值小票
    lines = decode_escpos(jobs[-1]).lines
    text = "\n".join(lines)
    assert "充值小票" in text and "余额以商城为准" in text and "****0001" in text
    assert any(line.startswith("充值金额") and line.endswith("￥200.00") for line in lines)
    assert any(line.startswith("充值赠送") and line.endswith("￥20.00") for line in lines)
    assert any(line.startswith("实收（现金）") and line.endswith("￥200.00") for line in lines)

    assert engine.run_once().pending == 0
    engine.run_once()
    assert members.ledger(member, "stored_value") == [("top_up", 20000), ("top_up_bonus", 2000)]
    assert members.stored_value(member) == 22000

    shift = open_by_key(qtbot, clock, window, Qt.Key.Key_F9, ShiftDialog)
    press(clock, Qt.Key.Key_Tab)
    press(clock, Qt.Key.Key_Tab)
    assert focused() is shift.counted
    type_text(clock, "700")  # ¥500.00 float + ¥200.00 top-up cash
    press(clock, ENTER)
    wait_for_z_confirm(qtbot, window)
    type_text(clock, "y")
    qtbot.waitUntil(lambda: shift.report_title.text().startswith("Z 报表"), timeout=WAIT_MS)
    figures = shift.report_values()
    assert figures["销售 0 笔"] == "¥0.00"
    assert figures["充值 1 笔"] == "¥200.00" and figures["充值·现金"] == "¥200.00"
    assert figures["长短款"] == "¥0.00"
    wait_idle(qtbot, window)
    with db.read() as session:
        z_event = session.scalars(
            select(OutboxEvent).where(OutboxEvent.kind == "shift_close")
        ).one()
    assert '"top_ups_by_tender":{"cash":20000}' in z_event.payload
    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])


def test_a_member_found_by_phone_is_not_topped_up(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, mall: Mall, db: Database
) -> None:
    """The till must name the right member: a typed phone number is not the member's code."""
    MallMembers(mall.db).add(PHONE)
    open_by_key(qtbot, clock, window, Qt.Key.Key_F4, MemberDialog)
    type_text(clock, PHONE)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [], timeout=WAIT_MS)
    assert window.sale.cart.member_id is not None
    press(clock, Qt.Key.Key_F4, Qt.KeyboardModifier.ShiftModifier)
    assert window.sale.open_dialogs() == []
    assert "出示会员码" in window.sale.message.text()
    with db.read() as session:
        assert session.scalars(select(TopUp)).all() == []


def open_by_key_wait(
    qtbot: QtBot, window: MainWindow, kind: type[TopUpPaymentDialog]
) -> TopUpPaymentDialog:
    """The payment dialog the top-up step opened, once it has the keyboard."""
    qtbot.waitUntil(lambda: any(isinstance(d, kind) for d in window.sale.open_dialogs()))
    [dialog] = [d for d in window.sale.open_dialogs() if isinstance(d, kind)]
    qtbot.waitUntil(lambda: dialog.isAncestorOf(focused()))
    return dialog


def test_an_offline_top_up_is_queued_and_shows_no_balance(
    qtbot: QtBot,
    db: Database,
    clock: FakeClock,
    mall: Mall,
    paired: tuple[SyncEngine, MallDirectory],
    printer: FakePrinter,
) -> None:
    """The mall cannot be reached: the member's QR is checked offline, a typed ¥300 + Enter
    goes to payment (the screen expects the 充200送20 bonus), ¥300 cash is taken; the top-up
    waits in the outbox, and the receipt says 余额以商城为准 with no balance on it."""
    members = MallMembers(mall.db)
    member = members.add(PHONE)
    code = members.code(member)
    main = open_window(qtbot, db, clock, printer=True)
    main.ctx.members = offline_directory()
    log_in(qtbot, main)
    bridge = main.till.printer
    assert bridge is not None
    bridge.start()
    try:
        attach_by_code(qtbot, clock, main, code)
        ask = open_by_key(
            qtbot, clock, main, Qt.Key.Key_F4, TopUpDialog, Qt.KeyboardModifier.ShiftModifier
        )
        type_text(clock, "300")
        assert ask.bonus.text() == "赠送 ¥20.00（以商城为准）"
        press(clock, ENTER)
        pay = open_by_key_wait(qtbot, main, TopUpPaymentDialog)
        assert pay.due.text() == "¥300.00"
        press(clock, ENTER)
        qtbot.waitUntil(lambda: main.sale.open_dialogs() == [], timeout=WAIT_MS)
        wait_idle(qtbot, main)
        assert "余额" not in main.sale.member.text()  # the till does not know the new balance
        with db.read() as session:
            assert session.scalars(select(OutboxEvent.kind)).all() == ["top_up"]
        lines = decode_escpos(printer.wait_for_jobs(2, timeout_s=WAIT_MS / 1000)[-1]).lines
        assert "余额以商城为准" in [line.strip() for line in lines]
        assert not any("余额：" in line for line in lines)
        assert members.stored_value(member) == 0  # nothing reached the mall yet
    finally:
        wait_idle(qtbot, main)
        bridge.stop()
