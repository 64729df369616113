"""Promotions on the printed receipt and refund slip, read back from the ESC/POS bytes."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.hardware.escpos_render import PROFILE_58MM, render_receipt
from pos_app.services.checkout import checkout
from pos_app.services.promotions import cart_pricing
from pos_app.services.receipts import build_receipt
from pos_app.services.refund import refund_sale
from pos_app.store.db import Database
from sync.apply import store_promotions
from sync.protocol import PromotionSetData
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.hardware.escpos_decode import decode_escpos
from tests.services.test_checkout import cart_with

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
RULES = PromotionSetData(
    version=4,
    time_zone="Asia/Shanghai",
    rules=[
        {"id": "HALF", "name": "可乐第二件半价", "kind": "multi_buy", "skus": ["1001"],
         "group_qty": 2, "discounted_qty": 1, "percent_bp": 5000},
        {"id": "MJ", "name": "满10减1", "kind": "spend_off", "steps": [[1000, 100]]},
    ],
)  # fmt: skip


def receipt_lines(db: Database, sale_id: int) -> list[str]:
    with db.read() as session:
        receipt = build_receipt(session, sale_id)
    return decode_escpos(render_receipt(receipt, PROFILE_58MM)).lines


def row(left: str, right: str) -> str:
    """A 58 mm row: left text, right text flush on column 32 (a Hanzi is two columns)."""
    return left + " " * (32 - len(left.encode("gb18030")) - len(right.encode("gb18030"))) + right


def test_receipt_and_refund_slip_name_each_promotion(db: Database) -> None:
    """2 colas + 2 noodles = ¥16.00: the cola pair shows 可乐第二件半价 -1.75 under its line,
    满10减1 -1.00 once above the total ¥13.25; returning one cola gives back ¥2.44 (half the
    line's ¥4.88, rounded up) and names each promotion's share given back."""
    with db.write() as session:
        store_promotions(session, RULES)
    codes = [barcode_of("1001")] * 2 + [barcode_of("1003")] * 2
    cart = cart_with(db, *codes)
    cart.use_promotions(cart_pricing(db, lambda: NOW))
    sale = checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 1325)], cashier_id=CASHIER_ID)
    lines = receipt_lines(db, sale.sale_id)
    assert row("  可乐第二件半价", "-￥1.75") in lines
    assert row("满10减1", "-￥1.00") in lines
    assert row("优惠", "-￥2.75") in lines
    assert row("合计", "￥13.25") in lines
    assert not any(line.startswith("  优惠") for line in lines)  # nothing unnamed on a line

    refund = refund_sale(db, sale_no=sale.sale_no, quantities={1: 1}, cashier_id=CASHIER_ID,
                         approver_id=MANAGER_ID)  # fmt: skip
    slip = receipt_lines(db, refund.sale_id)
    assert row("  可乐第二件半价", "￥0.88") in slip  # given back, so it lowers the refund
    assert row("满10减1", "￥0.18") in slip
    assert not any(line.startswith("  优惠") for line in slip)
    assert row("退款合计", "￥2.44") in slip
