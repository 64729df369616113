"""`pos-mall` administration commands, run as an admin would (in process, on a SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from mall.cli import main
from mall.db import MallDatabase
from mall.models import DeviceRow, OrderRow, ProductRow, StoreRow


def test_a_demo_mall_is_set_up_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """seed-demo, store, product, price, stock, order and pair-code all work and say so."""
    db = ["--db", f"sqlite:///{tmp_path / 'mall.db'}"]
    assert main(["db", "upgrade", *db]) == 0
    assert main(["seed-demo", "--skus", "50", *db]) == 0
    assert main(["store", "add", "S009", "新街口店", "--address", "中山路 1 号", *db]) == 0
    assert (
        main(["product", "add", "9001", "测试商品", "990", "--barcode", "6901234567892", *db]) == 0
    )
    assert main(["product", "price", "S009", "9001", "880", *db]) == 0
    assert main(["stock", "receive", "S009", "9001", "5", *db]) == 0
    capsys.readouterr()
    assert main(["order", "add", "S009", "--item", "9001:2", "--customer", "李先生", *db]) == 0
    assert "total 1760 fen, pickup code" in capsys.readouterr().out
    assert main(["pair-code", "S009", *db]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 11 and code[5] == "-"
    csv = tmp_path / "goods.csv"
    csv.write_text("sku,name,price_fen\n9002,散装花生,1500\n", encoding="utf-8")
    assert main(["product", "import", str(csv), *db]) == 0
    assert main(["product", "delete", "9002", *db]) == 0
    mall = MallDatabase(db[1])
    with mall.read() as session:
        assert session.scalar(select(func.count()).select_from(StoreRow)) == 3
        assert session.scalar(select(func.count()).select_from(ProductRow)) == 52
        assert session.scalar(select(func.count()).select_from(OrderRow)) == 1
        assert session.scalar(select(func.count()).select_from(DeviceRow)) == 0
    mall.dispose()


def test_mistakes_end_with_a_sentence_and_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """A duplicate store, an unknown store, an unknown device, a bad price: no traceback."""
    db = ["--db", f"sqlite:///{tmp_path / 'mall.db'}"]
    assert main(["store", "add", "S001", "一号店", *db]) == 0
    assert main(["store", "add", "S001", "一号店", *db]) == 1
    assert main(["pair-code", "S404", *db]) == 1
    assert main(["device", "revoke", "dnope", *db]) == 1
    assert main(["product", "add", "1", "负价", "-5", *db]) == 1
    assert main(["order", "add", "S001", "--item", "1:1", *db]) == 1
    err = capsys.readouterr().err
    assert "UNIQUE" in err and "S404" in err and "dnope" in err and "price_fen" in err
    assert "Traceback" not in err
