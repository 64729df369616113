"""The printer commands of the CLI: print-receipt, printer-test and labels."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from pos_app.cli.hardware import cmd_labels, cmd_print_receipt, cmd_printer_test
from pos_app.services.printing import unprinted_sales, waiting_jobs
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.hardware.till_data import SALE_TIME, TillData


def test_print_receipt_sends_the_sale_to_the_printer_uri(
    till: TillData, fake_printer: FakePrinter, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pos print-receipt T01-000001 --printer tcp://...` prints that sale's receipt."""
    till.add_sale([("可口可乐 330ml", 1, 350)])
    args = argparse.Namespace(sale_no="T01-000001", printer=fake_printer.uri)
    assert cmd_print_receipt(till.db, args) == 0
    assert "单号: T01-000001" in decode_escpos(fake_printer.wait_for_jobs(1)[0]).lines
    assert "Receipt T01-000001 printed" in capsys.readouterr().out


def test_print_receipt_of_an_unknown_sale_fails_with_a_message(
    till: TillData, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown receipt number exits 1 and says so."""
    args = argparse.Namespace(sale_no="T01-999999", printer="tcp://127.0.0.1:9")
    assert cmd_print_receipt(till.db, args) == 1
    assert "No sale with number T01-999999" in capsys.readouterr().err


def test_a_failed_cli_print_is_not_left_for_the_till_to_print_later(
    till: TillData, fake_printer: FakePrinter, capsys: pytest.CaptureFixture[str]
) -> None:
    """When the printer refuses, the command exits 1, drops its job and the sale stays unprinted."""
    till.add_sale([("可口可乐 330ml", 1, 350)])
    fake_printer.set_mode("refuse")
    args = argparse.Namespace(sale_no="T01-000001", printer=fake_printer.uri)
    assert cmd_print_receipt(till.db, args) == 1
    assert "refused the connection" in capsys.readouterr().err
    assert waiting_jobs(till.db) == []
    assert [sale.sale_no for sale in unprinted_sales(till.db, now=SALE_TIME)] == ["T01-000001"]


def test_printer_test_prints_a_test_page(till: TillData, fake_printer: FakePrinter) -> None:
    """`pos printer-test --printer URI` prints the test page there."""
    assert cmd_printer_test(till.db, argparse.Namespace(printer=fake_printer.uri)) == 0
    assert any("中文测试" in line for line in decode_escpos(fake_printer.wait_for_jobs(1)[0]).lines)


def test_labels_writes_an_a4_pdf(till: TillData, tmp_path: Path) -> None:
    """`pos labels 1001 --pdf OUT` writes the label sheet; an unknown SKU exits 1."""
    out = tmp_path / "labels.pdf"
    assert cmd_labels(till.db, argparse.Namespace(skus=["1001"], pdf=out)) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert cmd_labels(till.db, argparse.Namespace(skus=["nope"], pdf=out)) == 1
