"""`pos sale`: a headless checkout through the same services, with clear errors and exit codes."""

from __future__ import annotations

import pytest

from pos_app.cli import main as pos_main
from pos_app.store.db import Database
from tests.conftest import barcode_of


def pos(db: Database, *args: str) -> int:
    return pos_main(["--db", str(db.path), "sale", *args])


def test_a_scripted_sale_prints_its_number_total_and_change(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two items paid in cash: exit 0 and one line with the sale number, total and change."""
    code = pos(db, "--scan", barcode_of("1001"), barcode_of("1002"), "--pay", "cash:1000")
    assert code == 0
    assert capsys.readouterr().out.strip() == "sale T01-000001 total ¥5.50 change ¥4.50"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scan", "6901234567890", "--pay", "cash:100"), "check digit"),
        (("--scan", "6900000000007", "--pay", "cash:100"), "not in the catalog"),
        (("--scan", barcode_of("1001"), "--pay", "cash:100"), "still to pay"),
        (("--scan", barcode_of("1001"), "--pay", "wechat:350"), "payment service"),
        (("--scan", barcode_of("1001"), "--pay", "cash:abc"), "whole fen"),
    ],
)
def test_bad_input_exits_1_with_a_clear_message_and_stores_nothing(
    db: Database, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    """A malformed or unknown code, too little money or an online tender: exit 1, no sale."""
    assert pos(db, *args) == 1
    assert message in capsys.readouterr().err
    assert pos_main(["--db", str(db.path), "verify-journal"]) == 0
    assert pos(db, "--scan", barcode_of("1002"), "--pay", "cash:200") == 0
    assert "T01-000001" in capsys.readouterr().out
