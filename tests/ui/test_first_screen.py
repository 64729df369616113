"""The till's first screen (ui/first_screen.py): its log-in page, up before the database layer
has loaded. What the cashier typed there — staff number, PIN, Enter — the main window takes over
whole once the till has loaded: a log-in submitted early goes through then, and the cursor stays
in the field it was in."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.services.first_view import FirstView, read_first_view
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import JournalEntry
from pos_app.store.settings import set_setting
from pos_app.ui.first_screen import FirstScreen
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QApplication
from tests.conftest import CASHIER_ID, CASHIER_PIN
from tests.ui.conftest import FakeClock, make_till
from tests.ui.keys import ENTER, focused, press, type_text


def first_screen(qtbot: QtBot) -> FirstScreen:
    first = FirstScreen(demo=False)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first.login.code)
    return first


def take_over(qtbot: QtBot, db: Database, clock: FakeClock, first: FirstScreen) -> MainWindow:
    """What the second stage of a start does with the first screen (ui/till_window.py)."""
    login, field = first.hand_over()
    window = MainWindow(make_till(db, clock), login=login)
    qtbot.addWidget(window)
    window.show()
    first.close()
    if field is not None:
        field.setFocus()
    qtbot.waitExposed(window)
    return window


def logins(db: Database) -> list[int | None]:
    with db.read() as session:
        query = select(JournalEntry.actor_id).where(JournalEntry.kind == "login")
        return list(session.scalars(query))


def test_a_log_in_submitted_before_the_till_has_loaded_goes_through_once_it_has(
    qtbot: QtBot, db: Database, clock: FakeClock
) -> None:
    first = first_screen(qtbot)
    type_text(clock, "1001")
    press(clock, ENTER)
    type_text(clock, CASHIER_PIN)
    press(clock, ENTER)
    assert first.login.message.text() == "正在验证…"
    assert not first.login.button.isEnabled()  # a second Enter does not submit twice
    assert logins(db) == []

    window = take_over(qtbot, db, clock, first)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sale)
    assert window.ctx.staff is not None and window.ctx.staff.name == "张三"
    assert logins(db) == [CASHIER_ID]


def test_the_cursor_stays_where_it_was_and_the_pin_is_typed_on_in_the_main_window(
    qtbot: QtBot, db: Database, clock: FakeClock
) -> None:
    first = first_screen(qtbot)
    type_text(clock, "1001")
    press(clock, ENTER)
    window = take_over(qtbot, db, clock, first)
    assert window.login.code.text() == "1001"
    assert focused() is window.login.pin
    type_text(clock, CASHIER_PIN)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sale)
    assert logins(db) == [CASHIER_ID]


def test_the_first_screen_reads_the_language_and_window_size_and_is_not_shown_before_setup(
    db: Database, tmp_path: Path
) -> None:
    assert read_first_view(db.path) == FirstView(language="zh_CN", maximised=True)
    with db.write() as session:
        set_setting(session, "language", "en")
        set_setting(session, "window_maximised", False)
    assert read_first_view(db.path) == FirstView(language="en", maximised=False)
    new = tmp_path / "new" / "till.db"
    upgrade(new)  # a till nobody has set up: no staff
    assert read_first_view(new) is None  # the setup wizard comes first
    assert read_first_view(tmp_path / "missing.db") is None


def test_the_demo_names_its_staff_on_the_log_in_page(qtbot: QtBot) -> None:
    """It did not: the page's reset cleared the hint set before it."""
    first = FirstScreen(demo=True)
    qtbot.addWidget(first)
    assert first.login.hint.text().startswith("演示账号：收银员 1001 / 1234")
