"""Stock on hand kept as rows beside the stock ledger, and `pos-mall check` comparing them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from mall.cli import main
from mall.db import MallDatabase


def test_stock_on_hand_rows_follow_each_move_and_check_finds_a_row_that_differs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Goods received and an online order keep stock_on_hand equal to the ledger; a row changed
    behind the mall's back is named by `pos-mall check`, which exits 1."""
    db = ["--db", f"sqlite:///{tmp_path / 'mall.db'}"]
    assert main(["store", "add", "S009", "新街口店", *db]) == 0
    assert main(["product", "add", "9001", "测试商品", "990", *db]) == 0
    assert main(["stock", "receive", "S009", "9001", "5", *db]) == 0
    assert main(["stock", "receive", "S009", "9001", "3", *db]) == 0
    assert main(["order", "add", "S009", "--item", "9001:2", *db]) == 0
    assert main(["check", *db]) == 0
    assert "stock on hand and member balances equal their ledgers" in capsys.readouterr().out
    mall = MallDatabase(db[1])
    with mall.write() as session:
        assert session.scalar(text("SELECT qty FROM stock_on_hand WHERE sku = '9001'")) == 8
        session.execute(text("UPDATE stock_on_hand SET qty = 99 WHERE sku = '9001'"))
    mall.dispose()
    assert main(["check", *db]) == 1
    captured = capsys.readouterr()
    assert "S009 9001: stock_on_hand 99, ledger sum 8" in captured.out
    assert "1 stock rows and 0 member balances differ" in captured.err
