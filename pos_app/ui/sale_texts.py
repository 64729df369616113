"""Screen texts of logging in, the lock screen, the sale screen, its function keys and the
dialogs opened from it (search, quantity, member, coupons, discount, hold/recall, override)
in zh_CN and en, merged into i18n.TEXTS."""

from __future__ import annotations

SALE_TEXTS: dict[str, tuple[str, str]] = {
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
}
