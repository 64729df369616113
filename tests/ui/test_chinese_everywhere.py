"""In zh_CN every screen and every message the cashier meets is Chinese: errors carry a code
and the screen words it; no English word shows that is not a product name, number or code."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.demo.data import generate_demo_catalog, seed_demo_store
from pos_app.demo.sales import SalesPlan, generate_sales
from pos_app.services.report_period import shop_today
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Product
from pos_app.ui.error_texts import ERROR_TEXTS
from pos_app.ui.i18n import TEXTS, set_language, tr
from pos_app.ui.line_dialogs import DiscountDialog, QtyDialog, ReprintDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.member_dialog import MemberDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QDialog, QMessageBox, Qt
from pos_app.ui.settings_dialog import SettingsDialog
from tests.conftest import barcode_of
from tests.ui.conftest import FakeClock, scan
from tests.ui.keys import ENTER, focused, open_by_key, press, type_text
from tools.backoffice_screenshots import capture_backoffice
from tools.screen_texts import Texts, english_words, visible_texts
from tools.screenshots import capture_all


def _demo_db(path: Path, *, skus: int, sale_days: int = 0) -> Database:
    upgrade(path)
    db = Database(path)
    seed_demo_store(db)
    generate_demo_catalog(db, skus, seed=2)
    if sale_days:
        first = shop_today() - timedelta(days=sale_days)
        generate_sales(db, SalesPlan(first_day=first, days=sale_days, sales_per_day=15))
    return db


def _names(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Product.name)))


def _english(texts: Texts, names: list[str]) -> dict[str, set[str]]:
    found = {
        shot: english_words(shown, names=names)
        for shot, shown in texts.items()
        if not shot.startswith("fit:")
    }
    return {shot: words for shot, words in found.items() if words}


def test_every_till_screen_in_zh_cn_shows_no_english_word(qtbot: QtBot, tmp_path: Path) -> None:
    """The screenshot walk (log-in … customer display) in zh_CN: no ASCII word but names/codes."""
    db = _demo_db(tmp_path / "demo.db", skus=300)
    texts: Texts = {}
    capture_all(db, tmp_path / "shots", texts)
    names = _names(db)
    db.dispose()
    assert len(texts) == 2 * 10
    assert _english(texts, names) == {}


def test_every_back_office_page_in_zh_cn_shows_no_english_word(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Dashboard, every report, receiving, stocktake, stock, product, members: Chinese only."""
    db = _demo_db(tmp_path / "demo.db", skus=200, sale_days=10)
    texts: Texts = {}
    capture_backoffice(db, tmp_path / "shots", texts)
    names = _names(db)
    db.dispose()
    assert len(texts) > 10
    assert _english(texts, names) == {}


def test_every_error_code_is_worded_in_both_languages() -> None:
    """Each err.<code> has a Chinese and an English text, the Chinese one without English."""
    for key, (zh, en) in ERROR_TEXTS.items():
        assert TEXTS[key] == (zh, en)
        assert zh and en and not english_words([re.sub(r"\{\w+\}", "", zh)]), key


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("69#01", "条码里有不能识别的字符“#”"),
        ("6920202888884", "条码 6920202888884 校验位不对，请重新扫描"),
    ],
)
def test_a_bad_scan_is_worded_in_chinese(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, code: str, shown: str
) -> None:
    """A scanner burst of a code that cannot be a barcode: the message is Chinese, cart empty."""
    scan(window, code, clock)
    message = window.sale.message.text()
    assert shown in message and not english_words([message])
    assert window.sale.model.rowCount() == 0


def test_a_typed_amount_that_is_not_money_is_worded_in_chinese(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """F12, abc, Enter: “abc”不是金额; nothing is tendered."""
    scan(window, barcode_of("1001"), clock)
    assert window.sale.model.rowCount() == 1
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, "abc")
    press(clock, ENTER)
    message = dialog.message.text()
    assert "“abc”不是金额" in message and not english_words([message])
    assert dialog.tenders == []
    press(clock, Qt.Key.Key_Escape)


def test_an_empty_store_name_is_refused_in_chinese(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, manager_approves: list[str]
) -> None:
    """F10, the store name cleared, Enter: 门店名称不能为空 and the dialog stays open."""
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F10, SettingsDialog)
    assert focused() is dialog.store_name
    dialog.store_name.selectAll()
    press(clock, Qt.Key.Key_Backspace)
    press(clock, ENTER)
    assert dialog.isVisible() and dialog.error.text() == "门店名称不能为空"
    assert not english_words(visible_texts(dialog))
    press(clock, Qt.Key.Key_Escape)


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        (Qt.Key.Key_F3, QtyDialog),
        (Qt.Key.Key_F4, MemberDialog),
        (Qt.Key.Key_F5, DiscountDialog),
        (Qt.Key.Key_P, ReprintDialog),
    ],
)
def test_the_sale_screens_small_dialogs_are_chinese(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, key: Qt.Key, kind: type[QDialog]
) -> None:
    """Dialogs the screenshot walk does not open (F3 数量, F4 会员, F5 折扣, Ctrl+P 重打): opened
    by their key over a one-line cart, each shows Chinese only; Esc closes it."""
    scan(window, barcode_of("1001"), clock)
    modifier = Qt.KeyboardModifier.ControlModifier if key == Qt.Key.Key_P else None
    dialog = open_by_key(qtbot, clock, window, key, kind, modifier)
    assert not english_words(visible_texts(dialog), names=["可口可乐 330ml"])
    press(clock, Qt.Key.Key_Escape)


def test_qt_standard_buttons_are_chinese(qtbot: QtBot) -> None:
    """A message box's OK reads 确定 once the language is in use (Qt's own translations)."""
    from pos_app.ui.language import use_language

    use_language("zh_CN")
    box = QMessageBox(QMessageBox.Icon.Information, "标题", "内容")
    qtbot.addWidget(box)
    box.show()
    ok = box.button(QMessageBox.StandardButton.Ok)
    assert ok is not None and ok.text() == "确定"
    use_language("en")
    set_language("zh_CN")
    assert tr("err.printer_not_set").startswith("没有设置小票打印机")
