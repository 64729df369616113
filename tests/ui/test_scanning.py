"""Scanner input on the real main window: bursts become items wherever focus is, typing stays
typing, bad codes never touch the cart."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from pos_app.domain.gtin import make_ean13
from pos_app.ui.main_window import MainWindow
from pos_app.ui.search_dialog import SearchDialog
from tests.conftest import barcode_of
from tests.ui.conftest import HUMAN_KEY_MS, FakeClock, find_open, scan, type_keys


def cell(window: MainWindow, row: int, column: int) -> str:
    model = window.sale.model
    return str(model.data(model.index(row, column)))


def open_search(window: MainWindow) -> SearchDialog:
    window.sale.open_search()
    return find_open(window, SearchDialog)


def test_a_scanner_burst_adds_a_line(qtbot: QtBot, window: MainWindow, clock: FakeClock) -> None:
    """Keys 10 ms apart ending in Enter put the item in the cart table and the total."""
    scan(window, barcode_of("1001"), clock)
    assert window.sale.model.rowCount() == 1
    assert cell(window, 0, 1) == "可口可乐 330ml"
    assert cell(window, 0, 5) == "3.50"
    assert window.sale.total.text() == "¥3.50"
    assert "可口可乐" in window.sale.last_item.text()


def test_scanning_the_same_item_twice_counts_two(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """A second scan of the same item raises the quantity of its line."""
    scan(window, barcode_of("1001"), clock)
    scan(window, barcode_of("1001"), clock)
    assert (window.sale.model.rowCount(), cell(window, 0, 2), cell(window, 0, 5)) == (
        1,
        "2",
        "7.00",
    )


def test_a_scan_while_the_search_box_has_focus_adds_the_item_and_leaves_the_box_clean(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """The burst is swallowed (the two keys that leaked are taken back) and the item is added."""
    dialog = open_search(window)
    dialog.query.setText("可乐")
    dialog.query.setFocus()
    scan(window, barcode_of("1002"), clock, target=dialog.query)
    assert dialog.query.text() == "可乐"
    assert cell(window, 0, 1) == "农夫山泉 550ml"
    dialog.reject()


def test_slow_typing_is_not_taken_as_a_scan(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """Digits typed 200 ms apart stay in the box the cashier typed into; the cart stays empty."""
    dialog = open_search(window)
    type_keys(dialog.query, "1001", clock, interval_ms=HUMAN_KEY_MS)
    assert dialog.query.text() == "1001"
    assert window.sale.model.rowCount() == 0
    dialog.reject()


def test_fast_typing_that_is_not_a_scan_is_given_back(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """Three quick keys then a pause: the swallowed keys return to the box, nothing is scanned."""
    dialog = open_search(window)
    for char in "abc":
        clock.advance(10)
        qtbot.keyClick(dialog.query, char)
    clock.advance(HUMAN_KEY_MS)
    qtbot.keyClick(dialog.query, "d")
    assert dialog.query.text() == "abcd"
    assert window.sale.model.rowCount() == 0
    dialog.reject()


def test_an_unknown_barcode_leaves_the_cart_untouched_and_the_next_scan_works(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """A valid EAN-13 that is not in the catalog shows a message; the following scan adds."""
    scan(window, barcode_of("1001"), clock)
    unknown = make_ean13("690555555555")
    scan(window, unknown, clock)
    assert f"{unknown} 不在商品库中" in window.sale.message.text()
    assert window.sale.model.rowCount() == 1
    scan(window, barcode_of("1002"), clock)
    assert window.sale.model.rowCount() == 2
    assert window.sale.message.text() == ""


def test_a_bad_check_digit_is_reported_without_a_dialog(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """A misread code shows an inline message, no dialog opens and the cart stays empty."""
    scan(window, "6901234567890", clock)
    assert "校验位不对" in window.sale.message.text()
    assert window.sale.open_dialogs() == []
    assert window.sale.model.rowCount() == 0


@pytest.mark.parametrize("code", ["134567890123456789", "280022293727147983", "2512345678901234"])
def test_a_payment_code_on_the_sale_screen_says_to_scan_it_at_checkout(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, code: str
) -> None:
    """A WeChat or Alipay code scanned as an item (even one a scale layout would read as 14 kg
    of something) is never looked up: the message says to scan it at checkout, without the code."""
    scan(window, code, clock)
    assert window.sale.message.text() == "这是付款码，请在结账时扫"
    assert window.sale.model.rowCount() == 0


def test_an_item_scanned_again_after_another_adds_to_its_first_line(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """Cola, water, cola: two lines, the cola line counts 2 (issue 15: no second cola line)."""
    for sku in ("1001", "1002", "1001"):
        scan(window, barcode_of(sku), clock)
    rows = [(cell(window, r, 1), cell(window, r, 2)) for r in range(window.sale.model.rowCount())]
    assert [qty for _, qty in rows] == ["2", "1"]
