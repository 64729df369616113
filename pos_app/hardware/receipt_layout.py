"""The receipt's printed layout: a Receipt model turned into rows for 32 or 48 columns. A refund
prints as a 退货单: the original sale's number, what goes back to which tender and, large, the
cash to hand back, with a line for the customer's signature.

On 48 columns (80 mm) an item's name sits beside its quantity, price and amount; on 32 columns
(58 mm) the name has its own row(s) and the figures follow right-aligned. All shop data passes
through `printable()`.
"""

from __future__ import annotations

from pos_app.domain.money import format_fen
from pos_app.domain.receipt import Receipt, ReceiptLine, ReceiptMember
from pos_app.hardware.layout import (
    Block,
    QrBlock,
    Size,
    TextRow,
    center,
    left_right,
    pad_left,
    pad_right,
    printable,
    rule,
    text_width,
    wrap,
)

__all__ = ["TENDER_LABELS", "printer_test_blocks", "receipt_blocks", "yuan"]

TENDER_LABELS = {
    "cash": "现金",
    "wechat": "微信支付",
    "alipay": "支付宝",
    "card": "银行卡",
    "stored_value": "储值卡",
    "points": "积分抵扣",
}
QTY_COLS, PRICE_COLS, AMOUNT_COLS = 7, 10, 11
MIN_NAME_COLS = 16  # narrower than this, a name that does not fit gets rows of its own
QR_CAPTION = "扫码领积分 · 进小程序商城"


def yuan(amount_fen: int) -> str:
    """An amount as printed: "￥12.30" (fullwidth yuan sign, which GBK printers have)."""
    return format_fen(amount_fen).replace("¥", "￥")


def _rows(texts: list[str], *, size: Size = Size.NORMAL, bold: bool = False) -> list[Block]:
    return [TextRow(text, size, bold) for text in texts]


def _centered(text: str, cols: int, *, size: Size = Size.NORMAL) -> list[Block]:
    usable = cols // size.width_factor
    return _rows([center(row, usable) for row in wrap(printable(text), usable)], size=size)


def _header(receipt: Receipt, cols: int) -> list[Block]:
    blocks = _centered(receipt.store_name, cols, size=Size.LARGE)
    for extra in (receipt.store_address, receipt.store_phone):
        if extra:
            blocks += _centered(extra, cols)
    title = "退货单" if receipt.is_refund else "购物小票"
    if receipt.is_reprint:
        title += "（重印）"
    blocks += [TextRow(center(title, cols), bold=True), rule(cols)]
    blocks += _rows(wrap(f"单号: {printable(receipt.sale_no)}", cols))
    if receipt.original_sale_no:
        blocks += _rows(wrap(f"原单号: {printable(receipt.original_sale_no)}", cols))
    blocks += _rows(
        left_right(
            f"收银台: {printable(receipt.till_id)}", f"收银员: {printable(receipt.cashier)}", cols
        )
    )
    return [*blocks, TextRow(f"时间: {receipt.issued_at:%Y-%m-%d %H:%M:%S}"), rule(cols)]


def _figures(qty: str, price: str, amount: str) -> str:
    return pad_left(qty, QTY_COLS) + pad_left(price, PRICE_COLS) + pad_left(amount, AMOUNT_COLS)


def _item_rows(name: str, figures: str, cols: int) -> list[str]:
    name_cols = cols - text_width(figures)
    if name_cols < MIN_NAME_COLS and text_width(name) > name_cols:
        return [*wrap(name, cols), pad_left(figures, cols)]
    names = wrap(name, max(name_cols, 1))
    return [pad_right(names[0], name_cols) + figures, *names[1:]]


def _line_rows(line: ReceiptLine, cols: int) -> list[str]:
    figures = _figures(printable(line.qty_text), yuan(line.unit_price_fen), yuan(line.amount_fen))
    rows = _item_rows(printable(line.name), figures, cols)
    for promotion in line.promotions:
        rows += left_right(f"  {printable(promotion.name)}", yuan(-promotion.discount_fen), cols)
    promoted_fen = sum(p.discount_fen for p in line.promotions) + line.order_promotion_fen
    rest_fen = line.discount_fen - promoted_fen
    if rest_fen:
        rows += left_right("  优惠", yuan(-rest_fen), cols)
    return rows


def _order_promotions(receipt: Receipt, cols: int) -> list[str]:
    return [
        row
        for promotion in receipt.order_promotions
        for row in left_right(printable(promotion.name), yuan(-promotion.discount_fen), cols)
    ]


def _lines(receipt: Receipt, cols: int) -> list[Block]:
    header = _item_rows("商品", _figures("数量", "单价", "金额"), cols)
    rows = [row for line in receipt.lines for row in _line_rows(line, cols)]
    return [*_rows(header), *_rows(rows), rule(cols)]


def _totals(receipt: Receipt, cols: int) -> list[Block]:
    rows = left_right("小计", yuan(receipt.subtotal_fen), cols)
    rows += _order_promotions(receipt, cols)
    if receipt.discount_fen:
        rows += left_right("优惠", yuan(-receipt.discount_fen), cols)
    if receipt.rounding_fen:
        rows += left_right("抹零", yuan(receipt.rounding_fen), cols)
    blocks = _rows(rows)
    blocks += _rows(left_right("合计", yuan(receipt.total_fen), cols), size=Size.TALL, bold=True)
    payments = [
        row
        for tender in receipt.tenders
        for row in left_right(
            TENDER_LABELS.get(tender.kind, printable(tender.kind)), yuan(tender.amount_fen), cols
        )
    ]
    if receipt.change_fen:
        payments += left_right("找零", yuan(receipt.change_fen), cols)
    return [*blocks, *_rows(payments), rule(cols)]


def _refund_totals(receipt: Receipt, cols: int) -> list[Block]:
    """A refund slip's money: what goes back, to which tender, and the cash to hand over."""
    rows = _order_promotions(receipt, cols)
    rows += left_right("退货金额", yuan(-receipt.subtotal_fen + receipt.discount_fen), cols)
    if receipt.rounding_fen:
        rows += left_right("抹零", yuan(-receipt.rounding_fen), cols)
    blocks = _rows(rows)
    blocks += _rows(
        left_right("退款合计", yuan(-receipt.total_fen), cols), size=Size.TALL, bold=True
    )
    blocks += _rows(["原路退回:"])
    blocks += _rows(
        [
            row
            for tender in receipt.tenders
            for row in left_right(
                "  " + TENDER_LABELS.get(tender.kind, printable(tender.kind)),
                yuan(-tender.amount_fen),
                cols,
            )
        ]
    )
    cash_fen = -sum(t.amount_fen for t in receipt.tenders if t.kind == "cash")
    if cash_fen:
        usable = cols // Size.LARGE.width_factor
        blocks += [
            rule(cols),
            *_rows(left_right("应退现金", yuan(cash_fen), usable), size=Size.LARGE, bold=True),
        ]
    return [*blocks, rule(cols), *_rows(["顾客签字:"]), TextRow(""), rule(cols)]


def _member(member: ReceiptMember, cols: int) -> list[Block]:
    rows = wrap(f"会员: {printable(member.masked_id)}", cols)
    rows += left_right("本单积分", f"{member.points_earned:+d}", cols)
    if member.points_balance is not None:
        rows += left_right("积分余额", str(member.points_balance), cols)
    return [*_rows(rows), rule(cols)]


def _footer(receipt: Receipt, cols: int) -> list[Block]:
    blocks: list[Block] = []
    if receipt.qr_url:
        blocks += [TextRow(center(QR_CAPTION, cols)), QrBlock(receipt.qr_url)]
    if receipt.footer:
        blocks += _centered(receipt.footer, cols)
    return blocks


def receipt_blocks(receipt: Receipt, cols: int) -> list[Block]:
    """The whole receipt as rows for a printer with `cols` columns (32 or 48)."""
    totals = _refund_totals if receipt.is_refund else _totals
    blocks = _header(receipt, cols) + _lines(receipt, cols) + totals(receipt, cols)
    if receipt.member is not None:
        blocks += _member(receipt.member, cols)
    return blocks + _footer(receipt, cols)


def printer_test_blocks(store_name: str, printer_name: str, qr_url: str, cols: int) -> list[Block]:
    """A test page: width ruler, Chinese text, alignment, amounts and a QR code."""
    ruler = ("1234567890" * 5)[:cols]
    rows = [
        rule(cols),
        *_rows(wrap(printable(f"打印机: {printer_name}"), cols)),
        TextRow(f"每行 {cols} 列 / {cols} columns"),
        TextRow(ruler),
        TextRow("中文测试：商品名称、标点符号，￥与金额。"),
        *_rows(left_right("左对齐", yuan(123456), cols)),
        rule(cols),
    ]
    return [*_centered(store_name, cols, size=Size.LARGE), *rows, QrBlock(qr_url)]
