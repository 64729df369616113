"""Receipt with QR rendered to ESC/POS bytes: budget p99 ≤ 20 ms (DESIGN §10).

A 30-line receipt with a member, two tenders and a signed QR link is rendered from the model to
bytes (layout, GB18030 text, QR raster) again and again; the QR is made afresh every time.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from bench.common import percentile, report
from pos_app.domain.receipt import Receipt, ReceiptLine, ReceiptMember, ReceiptTender
from pos_app.domain.receipt_token import receipt_url, sign_receipt_token
from pos_app.hardware.escpos_render import printer_profile, render_receipt

BUDGET_MS = 20
NAMES = ["可口可乐 330ml", "康师傅红烧牛肉面（五连包）超值装", "农夫山泉 550ml", "散装苹果 Fuji"]


def sample_receipt(lines: int) -> Receipt:
    """A realistic receipt with `lines` items, a member and a QR link with a real token."""
    sold_at = datetime(2025, 3, 1, 14, 5, tzinfo=UTC)
    items = tuple(
        ReceiptLine(
            NAMES[i % len(NAMES)], str(1 + i % 3), 350 + i, (1 + i % 3) * (350 + i), i % 2 * 50
        )
        for i in range(lines)
    )
    subtotal = sum(item.amount_fen for item in items)
    discount = sum(item.discount_fen for item in items)
    token = sign_receipt_token(
        store_id="S001",
        till_id="T01",
        till_seq=123456,
        amount_fen=subtotal - discount,
        issued_at=sold_at,
        kid="1",
        key=bytes(32),
    )
    return Receipt(
        store_name="门店通便利店（南京西路店）",
        store_address="上海市静安区南京西路1234号",
        sale_no="T01-123456",
        till_id="T01",
        cashier="张三",
        issued_at=sold_at,
        lines=items,
        subtotal_fen=subtotal,
        discount_fen=discount,
        total_fen=subtotal - discount,
        tenders=(
            ReceiptTender("wechat", 10000),
            ReceiptTender("cash", subtotal - discount - 10000),
        ),
        member=ReceiptMember("****5678", 123, 4567),
        footer="谢谢惠顾，欢迎再次光临",
        qr_url=receipt_url("https://mall.example.cn", token),
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench receipt")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--width-mm", type=int, choices=(58, 80), default=58)
    args, _ = parser.parse_known_args(argv)  # shared options such as --skus do not apply here
    receipt = sample_receipt(args.lines)
    profile = printer_profile(args.width_mm)
    render_receipt(receipt, profile)  # warm-up: imports, font and profile caches
    samples = []
    for _ in range(args.runs):
        start = time.perf_counter()
        render_receipt(receipt, profile)
        samples.append((time.perf_counter() - start) * 1000)
    report("receipt_render_p50_ms", percentile(samples, 50), "ms", BUDGET_MS)
    report("receipt_render_p99_ms", percentile(samples, 99), "ms", BUDGET_MS)
    return 0
