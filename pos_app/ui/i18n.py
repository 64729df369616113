"""Screen texts in zh_CN (default) and en, and the Chinese wording of the errors services raise.

tr(key, **values) looks a text up in the current language and fills in {placeholders}.
Errors from services and the domain carry a code and parameters (CodedError); error_text()
words them from the "err.<code>" entries (error_texts.py) and never shows their English str().

One catalogue module rather than Qt's tr()/.ts/.qm: the texts are looked up by key from Qt-free
code too (receipts, report slips, the CLI), a test can check that every code has both languages,
and there is no compile step between an edit and the screen. Qt's own dialogs (QMessageBox
buttons) are translated by loading Qt's shipped qtbase_zh_CN.qm (ui/language.py).
"""

from __future__ import annotations

import logging

from pos_app.domain.coded import CodedError
from pos_app.domain.scan import CouponOutOfPlace, WrongScanContext
from pos_app.domain.zhe import InvalidZhe
from pos_app.services import errors
from pos_app.services.member_directory import MallUnavailable, MemberNotFound, RedemptionRefused
from pos_app.services.payments import PaymentUnavailable
from pos_app.ui.device_texts import DEVICE_TEXTS
from pos_app.ui.error_texts import ERROR_TEXTS
from pos_app.ui.permission_texts import PERMISSION_TEXTS
from sync.coupon_code import ExpiredCoupon, ForgedCoupon, MalformedCoupon
from sync.member_code import ExpiredMemberCode, ForgedMemberCode, MalformedMemberCode

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
_current = "zh_CN"

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("门店通 POS", "门店通 POS"),
    # login and lock
    "login_title": ("员工登录", "Staff log-in"),
    "locked_title": ("屏幕已锁定", "Screen locked"),
    "locked_hint": ("{name} 已锁屏，输入工号和密码解锁", "Locked by {name}: enter number and PIN"),
    "staff_code": ("工号", "Staff number"),
    "pin": ("密码 (PIN)", "PIN"),
    "log_in": ("登录", "Log in"),
    "checking": ("正在验证…", "Checking…"),
    "wait_seconds": ("密码错误次数过多，请 {s} 秒后再试", "Too many wrong PINs: wait {s} s"),
    "lock": ("锁屏", "Lock"),
    "demo_hint": (
        "演示账号：收银员 1001 / 1234，主管 3001 / 5678，经理 2001 / 9999",
        "Demo log-ins: cashier 1001 / 1234, supervisor 3001 / 5678, manager 2001 / 9999",
    ),
    "log_out": ("交班退出", "Log out"),
    # sale screen
    "col_no": ("#", "#"),
    "col_name": ("商品", "Item"),
    "col_qty": ("数量", "Qty"),
    "col_price": ("单价", "Price"),
    "col_discount": ("优惠", "Discount"),
    "col_amount": ("金额", "Amount"),
    "payable": ("应收", "To pay"),
    "items_count": ("件数 {n}", "{n} items"),
    "discount_total": ("优惠 {amount}", "Discount {amount}"),
    "rounding": ("抹零 {amount}", "Rounding {amount}"),
    "last_item": ("最近扫描", "Last scanned"),
    "no_last_item": ("请扫描商品条码", "Scan an item"),
    "member": ("会员", "Member"),
    "no_member": ("未登记会员 (F4)", "No member (F4)"),
    "member_id": ("会员 {id}", "Member {id}"),
    "last_sale": ("上一单 {sale_no}：{total} 已付清", "Last sale {sale_no}: {total} paid"),
    "last_sale_cash": (
        "上一单 {sale_no}：收 {cash} 找 {change}",
        "Last sale {sale_no}: took {cash}, change {change}",
    ),
    "last_sale_more": ("，另付 {other}", ", and {other} other"),
    "change_due": ("找零 {change}", "Change {change}"),
    "added": ("已加入 {name}", "Added {name}"),
    "qty_units": ("{qty}", "{qty}"),
    "qty_kg": ("{kg} kg", "{kg} kg"),
    "held_ok": ("已挂单，可按 F6 取回", "Sale held; F6 recalls it"),
    "recalled_ok": ("已取回挂单", "Held sale recalled"),
    "line_voided": ("已删除第 {no} 行", "Line {no} voided"),
    "sale_voided": ("整单已作废", "Sale voided"),
    "cart_empty": ("购物车是空的，请先扫描商品", "The cart is empty: scan an item first"),
    "no_shift": ("当前没有班次，请按 F9 开班", "No shift open: press F9 to open one"),
    "scan_on_login": ("请先登录再扫码", "Log in before scanning"),
    "card_read": ("已读取工号，请输入密码", "Staff number read: enter the PIN"),
    "not_connected": ("未连接", "not connected"),
    "backoffice": ("后台", "Back office"),
    "recovered_title": ("上次中断的扫码支付", "Interrupted code payments"),
    "recovered_text": (
        "程序上次在扫码支付中途关闭，现已向商城核实：\n{lines}",
        "The till closed during a code payment last time; the mall says:\n{lines}",
    ),
    "reason_backoffice": ("进入后台管理", "Open the back office"),
    "sync_connecting": ("连接中", "connecting"),
    "sync_now": ("立即同步", "Sync now"),
    "sync_running": ("正在同步…", "syncing…"),
    "sync_not_paired": ("未配对", "not paired"),
    "sync_online": ("在线", "online"),
    "sync_offline": ("离线", "offline"),
    "sync_pending": ("待传{count}", "{count} waiting"),
    "sync_conflicts": ("冲突{count}条未入账，请联系总部核对", "{count} in conflict, not booked"),
    "sync_last": ("{time}", "{time}"),
    "key_pickup": ("网单", "Pickup"),
    "key_pickup_count": ("网单({count})", "Pickup ({count})"),
    "pickup_title": ("网单自提", "Online pickup orders"),
    "pickup_hint": ("请扫描顾客出示的提货码", "Scan the customer's pickup code"),
    "pickup_none": ("暂无待自提的网单", "No pickup orders waiting"),
    "pickup_unknown": ("提货码 {code} 没有对应的待自提订单", "No open order has code {code}"),
    "pickup_sending": ("正在交付订单 {order_no} …", "Handing over order {order_no} …"),
    "pickup_done": ("订单 {order_no} 已交付，请把商品交给顾客", "Order {order_no} handed over"),
    "pickup_failed": ("交付失败：{reason}", "Hand-over failed: {reason}"),
    "pickup_offline": ("未连接商城，无法交付网单", "Not connected to the mall"),
    "col_order": ("订单号", "Order"),
    "col_customer": ("顾客", "Customer"),
    "col_items": ("商品", "Items"),
    "col_total": ("金额", "Total"),
    "printer_ready": ("就绪", "ready"),
    "printer_paper_out": ("缺纸，请换纸", "out of paper"),
    "printer_cover_open": ("纸仓盖未关", "cover open"),
    "printer_offline": ("未连接，请检查电源和网线", "offline: check power and cable"),
    "printer_unknown": ("状态未知", "status unknown"),
    "printer_not_set_up": ("未设置（按 F10 设置）", "not set up (F10 Settings)"),
    "printer_waiting": ("小票等待打印（{reason}）", "receipt waiting ({reason})"),
    "printer_error": ("小票未能加入打印队列：{text}", "could not queue the receipt: {text}"),
    "drawer_dropped": (
        "钱箱没有打开（打印机{reason}），之后也不会自动弹开；需要找零请用钥匙开钱箱。",
        "The drawer did not open (printer {reason}) and will not open later; use the key.",
    ),
    "unprinted_title": ("有小票未打印", "Receipts not printed"),
    "unprinted_text": (
        "以下交易已成交，但小票没有打印出来（可能是断电或程序中断）。交易不会重复收款。\n{sales}",
        "These sales were committed but their receipts never printed (power cut or crash). "
        "Nothing will be charged again.\n{sales}",
    ),
    "reprint_all": ("全部重印", "Reprint all"),
    "reprint_skip": ("不用了", "Not now"),
    "status_user": ("收银员 {name}", "Cashier {name}"),
    "status_no_user": ("未登录", "Not logged in"),
    "status_shift": ("班次 #{id}", "Shift #{id}"),
    "status_no_shift": ("未开班", "No shift"),
    "status_till": ("{till}", "{till}"),
    "status_sync": ("商城 {text}", "Mall {text}"),
    "status_printer": ("打印 {text}", "Printer {text}"),
    # function keys
    "key_help": ("帮助", "Help"),
    "key_search": ("搜索", "Search"),
    "key_qty": ("数量", "Qty"),
    "key_member": ("会员", "Member"),
    "key_discount": ("折扣", "Discount"),
    "key_hold": ("挂/取单", "Hold"),
    "key_refund": ("退货", "Refund"),
    "key_void": ("删行", "Void line"),
    "key_void_sale": ("整单作废", "Void sale"),
    "key_shift": ("班次", "Shift"),
    "key_settings": ("设置", "Settings"),
    "key_pay": ("结账", "Pay"),
    "key_reprint": ("重打", "Reprint"),
    "key_back": ("返回", "Back"),
    "help_text": (
        "F1 帮助　F2 搜索商品　F3 改数量/重量　F4 会员　F5 折扣/改价\n"
        "F6 挂单/取单　F7 退货　F8 删除选中行　Shift+F8 整单作废\n"
        "F9 班次 (开班、现金存取、X/Z 报表)　F10 设置　F12 结账　Ctrl+P 重打小票\n"
        "Esc 返回　Ctrl+L 锁屏　Ctrl+S 立即同步　Ctrl+D 开钱箱（无销售）　Shift+F4 会员充值\n"
        "需要授权时：输入批准人工号、回车、密码、回车（谁能批准见 F10 设置 → F6 权限与限额）。\n"
        "扫码枪在任何输入框中都可直接扫描商品。\n"
        "优惠券：收款前在本界面扫顾客的券码二维码（每单一张）。\n"
        "结账：输入金额按回车＝按所选方式收这笔钱（F2 现金　F3 银行卡），收齐才成交；"
        "扫顾客付款码＝扫码收款；顾客确认付款期间只能等结果或按两次 Esc 撤销；"
        "Esc 退回一步，已收款项需再按一次 Esc 确认放弃。\n"
        "班次 (F9)：未开班不能收银；输入备用金按回车开班；Tab 到实点现金，输入后回车，"
        "核对挂单和未完成的扫码支付提醒，按 Y 确认 Z 结班（不可撤销，报表自动打印）。",
        "F1 help  F2 search  F3 quantity/weight  F4 member  F5 discount/price\n"
        "F6 hold/recall  F7 refund  F8 void line  Shift+F8 void sale\n"
        "F9 shift (open, cash in/out, X/Z)  F10 settings  F12 pay  Ctrl+P reprint\n"
        "Esc back  Ctrl+L lock  Ctrl+S sync now  Ctrl+D open the drawer (no sale)  "
        "Shift+F4 member top-up\n"
        "Approval: the approver's staff number, Enter, PIN, Enter (who may: F10 settings → F6).\n"
        "The scanner works wherever the cursor is.\n"
        "Coupons: scan the customer's coupon QR here, before payment (one per sale).\n"
        "Paying: amount + Enter takes it in the selected tender (F2 cash, F3 card); the sale "
        "completes only when paid in full; a scanned payment code charges it; while the "
        "customer confirms, wait or press Esc twice to cancel; Esc backs out one step and asks "
        "again before giving up money taken.\n"
        "Shift (F9): no selling without a shift; float + Enter opens it; Tab to the counted "
        "cash, Enter, read the warnings (held sales, unfinished code payments), Y confirms the "
        "final Z close, whose report prints.",
    ),
    # common
    "ok": ("确定", "OK"),
    "cancel": ("取消", "Cancel"),
    "close": ("关闭", "Close"),
    # search
    "search_title": ("商品搜索", "Find a product"),
    "search_hint": (
        "名称、拼音首字母（如“kkkl”）、条码或编码",
        "Name, pinyin initials, barcode or code",
    ),
    "search_none": ("没有找到商品", "No product found"),
    "search_count": ("找到 {n} 个商品，回车加入", "{n} found; Enter adds the selected one"),
    "search_count_more": (
        "找到 {n} 个商品，显示前 {shown} 个 (↓ 看更多)，回车加入",
        "{n} found, first {shown} shown (↓ for more); Enter adds the selected one",
    ),
    "search_counting": (
        "显示前 {shown} 个 (↓ 看更多)，正在统计总数…，回车加入",
        "First {shown} shown (↓ for more), counting…; Enter adds the selected one",
    ),
    "search_unavailable": ("商品搜索暂不可用", "Search is not available"),
    "col_sku": ("编码", "Code"),
    "col_barcode": ("条码", "Barcode"),
    "col_member_price": ("会员价", "Member"),
    "col_unit": ("单位", "Unit"),
    # quantity
    "qty_title": ("修改数量", "Change quantity"),
    "qty_for": ("{name} 的数量", "Quantity of {name}"),
    "weight_for": ("{name} 的重量", "Weight of {name}"),
    "unit_g": ("克", "g"),
    "unit_kg": ("千克", "kg"),
    "bad_qty": ("请输入有效的数量", "Enter a valid quantity"),
    # member
    "member_title": ("会员", "Member"),
    "member_hint": ("扫描会员码或输入手机号", "Scan the member code or type the phone number"),
    "member_remove": ("取消会员", "Remove member"),
    "member_signup": ("快速注册", "Quick signup"),
    "member_finding": ("正在查找会员…", "Finding the member…"),
    "member_signup_queued": (
        "商城离线：已在本机登记 ****{tail}，联网后自动注册",
        "Mall offline: ****{tail} recorded here, signed up when back online",
    ),
    "member_panel": ("会员 {who}{tier}", "Member {who}{tier}"),
    "member_balance": ("积分 {points}", "{points} points"),
    "member_balance_unknown": ("积分以商城为准", "balance at the mall"),
    "member_earn": ("本单可得 {points} 积分", "This sale earns {points} points"),
    "pay_points": ("积分抵扣", "Points"),
    "pay_stored_value": ("储值支付", "Stored value"),
    "pay_need_member": ("请先按 F4 登记会员", "Attach a member first (F4)"),
    "pay_redeem_offline": ("商城离线：本单离线抵扣，联网后结算", "Mall offline: redeemed offline"),
    "err_member_offline": (
        "无法连接商城：手机号和卡号查询需要联网，请扫描会员码",
        "The mall cannot be reached: scan the member code instead",
    ),
    "err_member_not_found": ("没有找到这个会员，可以按“快速注册”", "No such member"),
    "err_member_code_expired": (
        "会员码已过期，请顾客刷新会员码",
        "Member code expired: ask for a fresh one",
    ),
    "err_member_code_forged": (
        "会员码校验失败：不是本商城签发的，或已被改动",
        "Member code refused: not signed by our mall",
    ),
    "err_member_code_malformed": ("这不是会员码", "Not a member code"),
    # coupons
    "coupon_cart_empty": ("请先扫描商品，再扫优惠券", "Scan the goods first, then the coupon"),
    "coupon_taken": ("已使用优惠券「{name}」，优惠 {amount}", "Coupon {name}: {amount} off"),
    "coupon_taken_offline": (
        "商城离线：优惠券「{name}」离线使用，优惠 {amount}，联网后核销",
        "Mall offline: coupon {name} taken offline, {amount} off; settled when back online",
    ),
    "err_coupon_malformed": (
        "无法识别这张优惠券，请让顾客刷新后重扫",
        "This coupon cannot be read: ask the customer to refresh it",
    ),
    "err_redeem": ("不能使用积分/储值", "Cannot redeem"),
    # discount
    "discount_title": ("折扣与改价", "Discount and price"),
    "discount_line_zhe": ("本行打折", "Line 折"),
    "discount_line_amount": ("本行减价", "Line amount off"),
    "discount_order_zhe": ("整单打折", "Sale 折"),
    "discount_order": ("整单减价", "Sale amount off"),
    "price_override": ("改单价", "New unit price"),
    "discount_kind": ("方式", "Kind"),
    "zhe_field": ("折数 (9 = 九折，8.5 = 八五折)", "折 (9 = 90 %, 8.5 = 85 % paid)"),
    "unit_price_field": ("新单价 (元)", "New unit price (yuan)"),
    "zhe_preview": ("{zhe}：优惠 {amount}", "{zhe}: {amount} off"),
    "amount": ("金额 (元)", "Amount (yuan)"),
    # hold/recall
    "recall_title": ("取单", "Recall a held sale"),
    "recall_none": ("没有挂起的单据", "No held sales"),
    "held_row": (
        "#{id}　{time}　{n} 件　{total}　{names}",
        "#{id}  {time}  {n} items  {total}  {names}",
    ),
    "held_more": ("{names} 等 {lines} 种", "{names} and more ({lines} lines)"),
    "reprint_title": ("重打小票", "Reprint a receipt"),
    "reprint_none": ("本机还没有成交的单据", "No sales on this till yet"),
    "reprint_row": (
        "{sale_no}　{time}　{total}　{item} 等 {n} 行",
        "{sale_no}  {time}  {total}  {item} and {n} lines",
    ),
    "reprint_refund_row": (
        "{sale_no}　{time}　退货 {total}　{item} 等 {n} 行",
        "{sale_no}  {time}  refund {total}  {item} and {n} lines",
    ),
    "reprint_queued": ("已送打印：{sale_no} 重印小票", "Reprint of {sale_no} sent to the printer"),
    # override
    "reason_void_line": ("删除第 {no} 行 {name}", "void line {no} {name}"),
    "reason_void_sale": ("作废整单 {total}", "void the sale of {total}"),
    "reason_discount": ("优惠 {amount} 超过限额", "discount {amount} above the limit"),
    "reason_price": ("{name} 改价为 {price}", "{name} price changed to {price}"),
    "reason_refund": ("退款 {amount}", "refund of {amount}"),
    "reason_settings": ("修改门店设置", "change the store settings"),
    "reason_cash_out": ("取出现金 {amount}", "take {amount} out of the drawer"),
    # payment
    "pay_title": ("结账", "Payment"),
    "pay_due": ("应收", "Due"),
    "pay_paid": ("已收", "Received"),
    "pay_remaining": ("还需", "Remaining"),
    "pay_change": ("找零", "Change"),
    "pay_rounding": ("抹零 {amount}", "Rounded {amount}"),
    "pay_amount": ("收款金额 (元)", "Amount (yuan)"),
    "pay_cash": ("现金", "Cash"),
    "pay_card": ("银行卡", "Card"),
    "pay_code": ("扫码付", "Pay by code"),
    "pay_clear": ("清除已收", "Clear tenders"),
    "pay_exact": ("正好", "Exact"),
    "pay_scan_code": (
        "请扫描顾客的微信/支付宝付款码",
        "Scan the customer's WeChat/Alipay payment code",
    ),
    "pay_code_hint": ("付款码 (扫码或输入)", "Payment code (scan or type)"),
    "pay_committing": ("正在保存交易…", "Saving the sale…"),
    "pay_waiting_password": (
        "等待顾客输入密码… 剩余 {s} 秒",
        "Waiting for the customer's password… {s} s left",
    ),
    "pay_code_cancel": ("取消扫码支付", "Cancel code payment"),
    "close_title": ("关闭收银台", "Close the till"),
    "close_cart_text": (
        "购物车里还有 {n} 件商品（{total}），关闭前怎么处理？",
        "The cart still holds {n} items ({total}). What should happen to it?",
    ),
    "close_hold": ("挂单后关闭", "Hold it and close"),
    "close_void": ("整单作废（需授权）", "Void it (approval)"),
    "close_stay": ("返回收银", "Stay"),
    "close_while_paying": (
        "正在收款：请先完成或撤销本次收款，再关闭收银台",
        "A payment is in progress: finish or cancel it before closing",
    ),
    "pay_selected": (
        "回车收：{kind}（F2 现金  F3 银行卡）",
        "Enter takes: {kind} (F2 cash, F3 card)",
    ),
    "pay_pending_keys": (
        "顾客正在手机上确认付款，请等待结果；要撤销请按两次 Esc",
        "The customer is confirming on the phone: wait, or press Esc twice to cancel",
    ),
    "pay_confirm_cancel_code": (
        "再按一次 Esc 撤销这笔扫码支付（商城先撤销，顾客的钱退回）",
        "Press Esc again to cancel the code payment (the mall reverses it first)",
    ),
    "pay_confirm_give_up": (
        "已收 {received}：再按一次 Esc 放弃收款（扫码款项撤销，现金请退还顾客）",
        "{received} received: Esc again gives it up (code payments reversed, hand cash back)",
    ),
    "pay_code_cancelling": ("正在撤销扫码支付…", "Cancelling the code payment…"),
    "pay_code_busy": (
        "请先等待当前扫码支付完成或取消",
        "Wait for the current code payment, or cancel it, first",
    ),
    "pay_reconnecting": ("商城连接中断，正在重试…", "Lost the mall; trying again…"),
    "pay_done": ("交易完成 {sale_no}，找零 {change}", "Sale {sale_no} done, change {change}"),
    "tender_row": ("{kind}　{amount}", "{kind}  {amount}"),
    "tender_cash": ("现金", "Cash"),
    "tender_wechat": ("微信", "WeChat"),
    "tender_alipay": ("支付宝", "Alipay"),
    "tender_card": ("银行卡", "Card"),
    "tender_stored_value": ("储值卡", "Stored value"),
    "tender_points": ("积分", "Points"),
    # refund
    "refund_title": ("退货退款", "Refund"),
    "refund_hint": (
        "扫描小票二维码或输入小票号 (如 T01-000001)",
        "Scan the receipt QR or type the sale number",
    ),
    "refund_find": ("查找", "Find"),
    "refund_sale": ("小票 {sale_no}　{time}　实收 {total}", "Sale {sale_no}  {time}  paid {total}"),
    "col_sold": ("已售", "Sold"),
    "col_refundable": ("可退", "Left"),
    "col_refund": ("本次退", "Refund"),
    "refund_do": ("退款", "Refund"),
    "refund_total": ("退款合计 {amount}", "Refund total {amount}"),
    "refund_done": ("已退款 {amount}，原路退回：{tenders}", "Refunded {amount} to: {tenders}"),
    "refund_nothing": ("请在“本次退”一列填写要退的数量", "Enter quantities in the Refund column"),
    "refund_all": ("全部退货 ({shortcut})", "Refund all ({shortcut})"),
    "refund_too_many": ("{name} 最多可退 {left}", "{name}: at most {left} left to refund"),
    "refund_cash_back": ("请退还顾客现金 {amount}", "Hand back {amount} in cash"),
    "refund_url_unknown": (
        "该小票二维码无效，请核对小票或输入小票号",
        "Receipt QR not valid: check it or type the number",
    ),
    # shift
    "shift_title": ("班次", "Shift"),
    "shift_open": ("开班", "Open shift"),
    "shift_float": ("备用金 (元)", "Float (yuan)"),
    "shift_cash_move": ("现金存取 (元，取出填负数)", "Cash in/out (yuan, out is negative)"),
    "shift_reason": ("原因", "Reason"),
    "shift_record_move": ("记录存取", "Record"),
    "shift_x": ("X 报表", "X report"),
    "shift_count": ("清点现金 (元，盲点)", "Counted cash (yuan, blind)"),
    "shift_z": ("Z 结班 (不可撤销)", "Z close (final)"),
    "shift_none": (
        "当前没有班次。输入备用金后开班。",
        "No shift is open. Enter the float to open one.",
    ),
    "shift_opened": ("已开班", "Shift opened"),
    "shift_banner": (
        "未开班：不能收银。请按 F9 输入备用金开班。",
        "No shift open: selling is blocked. Press F9 and enter the float.",
    ),
    "z_confirm_title": ("Z 结班（不可撤销）", "Z close (final)"),
    "z_confirm_text": (
        "Z 结班后本班次结束，报表定稿，不能撤销。实点现金 {counted}。\n按 Y 确认结班，Esc 取消。",
        "The Z close ends this shift for good. Counted cash {counted}.\nY confirms, Esc cancels.",
    ),
    "z_warn_held": (
        "注意：还有 {n} 张挂单（合计 {total}）没有结账，结班后留到下一班取单。",
        "Note: {n} held sale(s) ({total}) not paid; they stay for the next shift.",
    ),
    "z_warn_payment": (
        "注意：有一笔{kind}付款 {amount} 还未完成或未结成销售，请先核对，钱可能已在顾客那边扣了。",
        "Note: a {kind} payment of {amount} is not finished or not in a sale; check it first.",
    ),
    "z_confirm_yes": ("确认结班 (Y)", "Close shift (Y)"),
    "z_confirm_no": ("取消 (Esc)", "Cancel (Esc)"),
    "report_slip_header": ("打印时间 {time}　收银员 {name}", "Printed {time} by {name}"),
    "report_queued": ("Z 报表已送小票打印机", "Z report sent to the receipt printer"),
    "shift_move_ok": ("已记录现金存取 {amount}", "Recorded {amount}"),
    "report_title_x": ("X 报表 (班次 #{id}，未结)", "X report (shift #{id}, open)"),
    "report_title_z": ("Z 报表 #{z} (班次 #{id}，已结)", "Z report #{z} (shift #{id}, closed)"),
    "report_sales": ("销售 {n} 笔", "Sales ({n})"),
    "report_refunds": ("退款 {n} 笔", "Refunds ({n})"),
    "report_net": ("净额", "Net"),
    "report_top_ups": ("充值 {n} 笔", "Top-ups ({n})"),
    "report_top_up_tender": ("充值·{kind}", "Top-up · {kind}"),
    "top_up_title": ("会员充值", "Member top-up"),
    "top_up_member": ("充值会员：{who}", "Member: {who}"),
    "top_up_amount": ("充值金额（元）", "Amount (yuan)"),
    "top_up_hint": (
        "输入金额后回车收款；F1–F4 选赠送档位",
        "Type the amount and press Enter to take payment; F1–F4 pick a bonus tier",
    ),
    "top_up_bonus": ("赠送 {bonus}（以商城为准）", "Bonus {bonus} (as the mall credits it)"),
    "top_up_no_bonus": ("本金额无赠送", "No bonus for this amount"),
    "top_up_pay_title": ("充值收款 {amount}", "Top-up payment {amount}"),
    "top_up_banner": ("会员充值 {who}（不是销售）", "Member top-up {who} (not a sale)"),
    "top_up_done": (
        "充值 {amount} 已收款（单号 {no}），余额以商城为准",
        "Top-up {amount} taken ({no}); the mall holds the balance",
    ),
    "report_float": ("备用金", "Float"),
    "report_moves": ("现金存取", "Cash in/out"),
    "report_expected": ("应有现金", "Expected cash"),
    "report_counted": ("实点现金", "Counted cash"),
    "report_over_short": ("长短款", "Over/short"),
    # settings
    "settings_title": ("设置", "Settings"),
    "settings_store_name": ("门店名称", "Store name"),
    "settings_address": ("地址", "Address"),
    "settings_phone": ("电话", "Phone"),
    "settings_layouts": ("电子秤条码格式 (每行一个)", "Scale barcode layouts (one a line)"),
    "settings_zero_price": ("¥0.00 秤签", "¥0.00 scale labels"),
    "settings_zero_refused": ("拒收", "Refused"),
    "settings_zero_allowed": ("接受", "Accepted"),
    "settings_sample": ("试读秤签", "Try a label"),
    "layout_order": ("读秤签的顺序：{order}", "Tried in this order: {order}"),
    "layout_reads": (
        "按 {layout} 读：商品编号 (PLU) {plu}",
        "Read by {layout}: item code (PLU) {plu}",
    ),
    "layout_price": ("金额 {amount}", "price {amount}"),
    "layout_weight": ("重量 {kg} kg", "weight {kg} kg"),
    "layout_not_scale": (
        "不是秤签：按商品条码 {code} 查找",
        "Not a scale label: looked up as barcode {code}",
    ),
    "layout_overlap": (
        "秤签格式 {first} 和 {second} 的标识 {flags} 重叠，同一张秤签会有两种读法",
        "Layouts {first} and {second} share flags {flags}: a label could be read either way",
    ),
    "layout_dead": (
        "秤签格式 {layout} 永远读不到秤签：它的标识已被更具体的格式"
        "或付款码 (18 位，10-15、25-29 开头) 占用",
        "Layout {layout} never reads a label: narrower layouts or payment codes take its flags",
    ),
    "layout_invalid": ("秤签格式有误：{detail}", "Scale layout not usable: {detail}"),
    "settings_rounding": ("抹零方式", "Rounding"),
    "settings_language": ("界面语言", "Language"),
    "settings_saved": ("设置已保存", "Settings saved"),
    "rounding_none": ("不抹零", "None"),
    "rounding_jiao_down": ("抹分 (舍去分)", "Drop fen"),
    "rounding_jiao_half_up": ("分四舍五入到角", "Fen half-up to jiao"),
    "rounding_yuan_down": ("抹角 (舍去角分)", "Drop jiao and fen"),
    "rounding_yuan_half_up": ("四舍五入到元", "Half-up to yuan"),
    "rounding_jiao_bankers": ("银行家舍入到角", "Banker's to jiao"),
    # customer display
    "cd_title": ("顾客显示屏", "Customer display"),
    "cd_welcome": ("欢迎光临", "Welcome"),
    "cd_qr": ("扫码加入会员、领积分", "Scan to join and collect points"),
    # errors
    "err_wrong_context": (
        "这是付款码，请在结账时扫",
        "That is a payment code: scan it at checkout",
    ),
    "err_zero_price": (
        "秤签金额为 ¥0.00 或重量为 0，请重新称重打签",
        "The scale label says ¥0.00 or 0 g: weigh the item again",
    ),
    "err_wrong_pin": ("工号或密码错误", "Staff number or PIN is wrong"),
    "err_no_shift": ("当前没有班次，请按 F9 开班", "No shift is open: press F9"),
    "err_not_paid": ("还没有收齐", "Not fully paid"),
    "err_empty_cart": ("购物车是空的，请先扫描商品", "The cart is empty: scan an item first"),
    "err_payment_unavailable": (
        "线上支付暂不可用，请改用现金或银行卡",
        "Online payment is unavailable: take cash or card",
    ),
    "err_zhe": (
        "“{text}”不是折数：请输入 0.1～10 之间的折数（9 = 九折，8.5 或 85 = 八五折）",
        "“{text}” is not a 折: type 0.1 to 10 (9 = 90 % paid, 8.5 or 85 = 85 % paid)",
    ),
}


TEXTS.update(DEVICE_TEXTS)
TEXTS.update(ERROR_TEXTS)
TEXTS.update(PERMISSION_TEXTS)


def set_language(language: str) -> None:
    """Switch the language of texts looked up from now on (unknown languages fall back)."""
    global _current
    _current = language if language in LANGUAGES else LANGUAGES[0]


def language() -> str:
    return _current


def tr(key: str, **values: object) -> str:
    """The text for key in the current language, with {placeholders} filled in."""
    zh, en = TEXTS[key]
    text = en if _current == "en" else zh
    return text.format(**values) if values else text


def tender_name(kind: str) -> str:
    """The screen name of a tender kind ("cash" -> 现金)."""
    return tr(f"tender_{kind}")


class InputError(ValueError):
    """Something typed on screen that cannot be used; the message is already translated."""


def error_text(error: Exception) -> str:
    """What to show the cashier for an error a service or the domain raised."""
    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, WrongScanContext) and not isinstance(error, CouponOutOfPlace):
        return tr("err_wrong_context")
    if isinstance(error, InvalidZhe):
        return tr("err_zhe", text=error)
    if isinstance(error, CodedError) and f"err.{error.code}" in TEXTS:
        return tr(f"err.{error.code}", **error.params)
    for kind, key in _PLAIN_ERRORS:
        if isinstance(error, kind):
            return tr(key)
    if isinstance(error, CodedError) and _has_chinese(str(error)):
        return str(error)  # a service that already words its message in Chinese
    log.warning("no screen text for %s: %s", type(error).__name__, error)
    return tr("err.generic")


def sync_error_text(recorded: str) -> str:
    """The sync engine records "TypeName: detail"; the screen words the type."""
    key = f"err.sync.{recorded.partition(':')[0].strip()}"
    return tr(key) if key in TEXTS else tr("err.generic")


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


_PLAIN_ERRORS: tuple[tuple[type[Exception], str], ...] = (
    (errors.WrongPin, "err_wrong_pin"),
    (errors.ReceiptQrInvalid, "refund_url_unknown"),
    (errors.NoOpenShift, "err_no_shift"),
    (errors.NotFullyPaid, "err_not_paid"),
    (errors.EmptyCart, "err_empty_cart"),
    (PaymentUnavailable, "err_payment_unavailable"),
    (MallUnavailable, "err_member_offline"),
    (MemberNotFound, "err_member_not_found"),
    (ExpiredCoupon, "err.coupon_expired"),
    (ForgedCoupon, "err.coupon_invalid"),
    (MalformedCoupon, "err_coupon_malformed"),
    (ExpiredMemberCode, "err_member_code_expired"),
    (ForgedMemberCode, "err_member_code_forged"),
    (MalformedMemberCode, "err_member_code_malformed"),
    (RedemptionRefused, "err_redeem"),
)
