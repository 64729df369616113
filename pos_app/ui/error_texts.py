"""The wording, in zh_CN and en, of the error codes services and the domain raise
(pos_app.domain.coded.CodedError); merged into i18n.TEXTS under "err.<code>"."""

from __future__ import annotations

_ERRORS: dict[str, tuple[str, str]] = {
    # barcodes and amounts
    "barcode_chars": (
        "条码里有不能识别的字符“{chars}”，请重新扫描或手工输入数字",
        "The barcode holds characters that are not allowed: “{chars}”",
    ),
    "barcode_check": (
        "条码 {barcode} 校验位不对，请重新扫描",
        "Barcode {barcode}: check digit wrong, scan again",
    ),
    "barcode_unreadable": ("条码 {barcode} 无法识别", "Barcode {barcode} cannot be read"),
    "barcode_not_scale": (
        "条码 {barcode} 是 18 位，但不是本店的秤签格式",
        "Barcode {barcode} has 18 digits but is not a scale label of this store",
    ),
    "barcode_length": (
        "条码 {barcode} 的位数（{length} 位）不对，请重新扫描",
        "Barcode {barcode} has an unsupported length ({length})",
    ),
    "barcode_empty": ("没有扫到条码", "Nothing was scanned"),
    "barcode_too_long": (
        "条码太长（{length} 位，最多 32 位）",
        "Code too long ({length}, at most 32)",
    ),
    "zero_price": (
        "秤签金额为 ¥0.00 或重量为 0，请重新称重打签",
        "The scale label says ¥0.00 or 0 g: weigh the item again",
    ),
    "unknown_barcode": (
        "条码 {barcode} 不在商品库中，请核对或按 F2 搜索",
        "Barcode {barcode} is not in the catalog: check it or press F2 to search",
    ),
    "unknown_sku": ("商品库中没有这些编码：{skus}", "Not in the catalog: {skus}"),
    "product_missing": ("商品 {id} 不存在", "Product {id} does not exist"),
    "amount_empty": ("请输入金额", "Enter an amount"),
    "amount_bad": ("“{text}”不是金额，请输入数字，如 12.50", "“{text}” is not an amount of money"),
    "amount_too_large": ("金额“{text}”太大", "“{text}” is too large"),
    "amount_decimals": (
        "金额“{text}”最多两位小数（最小 ¥0.01）",
        "“{text}” has more than 2 decimals (smallest unit ¥0.01)",
    ),
    # the cart
    "cart_no_line": ("没有第 {no} 行", "There is no line {no}"),
    "cart_label_qty": (
        "按秤签计价的商品不能改数量，请删行后重新称重",
        "A price-labelled scale item cannot change quantity; void it instead",
    ),
    "cart_label_price": (
        "按秤签计价的商品不能改价，请删行后重新称重",
        "A price-labelled scale item keeps its label price; void it instead",
    ),
    "cart_discount_percent": ("折扣应在 0% 到 100% 之间", "Discount must be 0 % to 100 %"),
    "cart_discount_range": (
        "优惠 {amount} 应在 ¥0.00 到 {limit} 之间",
        "Discount {amount} must be between ¥0.00 and {limit}",
    ),
    "cart_price": ("单价 {price} 不合理", "Price {price} is not plausible"),
    "cart_not_weighed": ("{name} 不是称重商品", "{name} is not sold by weight"),
    "cart_weight": ("重量 {qty} 克不合理（1～{most} 克）", "Weight {qty} g is not plausible"),
    "cart_qty": ("数量 {qty} 不合理（1～{most}）", "Quantity {qty} is not plausible (1 to {most})"),
    "empty_cart": ("购物车是空的，请先扫描商品", "The cart is empty: scan an item first"),
    "not_paid": ("还没有收齐：还差 {amount}", "Not fully paid: {amount} still to pay"),
    "hold_empty": ("购物车是空的，没有可挂的单", "Nothing to hold: the cart is empty"),
    "hold_gone": ("挂单 #{id} 已被取走", "Held sale #{id} is gone"),
    # tenders
    "tender_amount": ("收款金额必须是整分", "A tender must be whole fen"),
    "tender_zero": ("收款金额必须大于 ¥0.00", "A tender must be more than ¥0.00"),
    "tender_already_paid": ("已经收齐，不需要再收款", "The sale is already paid"),
    "tender_too_much": (
        "非现金收款 {amount} 超过了还需收的 {due}",
        "{amount} is more than the {due} still due (only cash gives change)",
    ),
    # staff and shifts
    "wrong_pin": ("工号或密码错误", "Staff number or PIN is wrong"),
    "pin_locked": ("密码错误次数过多，请 {s} 秒后再试", "Too many wrong PINs: wait {s} s"),
    "bad_limit": ("限额不对：打折填 0.1 到 10 折，退货金额不能为负", "A limit is wrong"),
    "manager_only": (
        "只有经理可以修改库存、价格和商品",
        "Only a manager can change stock and prices",
    ),
    "no_shift": ("当前没有班次，请按 F9 开班", "No shift is open: press F9"),
    "shift_float_negative": ("备用金不能是负数", "The float cannot be negative"),
    "shift_already_open": ("本机已经开班", "A shift is already open on this till"),
    "shift_move_zero": ("请输入不为零的金额", "Enter an amount other than zero"),
    "shift_missing": ("没有班次 #{id}", "There is no shift #{id}"),
    "shift_counted_negative": ("实点现金不能是负数", "The counted cash cannot be negative"),
    # sales, refunds, receipts
    "sale_not_found": ("本机没有单号为 {sale_no} 的交易", "No sale {sale_no} on this till"),
    "refund_no_line": ("原单没有第 {no} 行", "The sale has no line {no}"),
    "refund_too_many": ("{name} 最多可退 {left}", "{name}: at most {left} left to refund"),
    "refund_nothing": ("请在“本次退”一列填写要退的数量", "Enter quantities in the Refund column"),
    "receipt_other_store": (
        "这张小票是其他门店的，请到原门店退货",
        "This receipt is another store's",
    ),
    "payment_missing": ("本机没有这笔扫码支付 #{id}", "No payment attempt #{id} on this till"),
    "payment_not_confirmed": (
        "扫码支付还没有确认到账，不能结账",
        "A code payment is not confirmed: the sale cannot use it",
    ),
    # coupons
    "coupon_min_spend": (
        "本单商品 {goods}，未满 {need}，不能用这张券",
        "Goods {goods}: this coupon needs {need}",
    ),
    "top_up_no_member": ("请先按 F4 扫会员码，再充值", "Scan the member code (F4) first"),
    "top_up_code_needed": (
        "充值须顾客本人在本机出示会员码：请按 F4 扫会员码",
        "A top-up needs the member's own code scanned here (F4)",
    ),
    "top_up_amount": ("请输入充值金额", "Enter the amount to top up"),
    "top_up_money_only": (
        "充值只能用现金、银行卡或微信/支付宝付款",
        "A top-up is paid in cash, card or WeChat/Alipay only",
    ),
    "coupon_one_per_sale": ("每单限用一张优惠券", "One coupon per sale"),
    "coupon_out_of_place": (
        "这是优惠券，请在收银主界面、收款之前扫描",
        "That is a coupon: scan it on the sale screen before payment",
    ),
    "coupon_redeemed": ("这张优惠券已经用过了，不能再用", "This coupon was already used"),
    "coupon_held": (
        "这张优惠券正在另一台收银机上使用",
        "This coupon is being used at another till",
    ),
    "coupon_expired": ("这张优惠券已过期", "This coupon has expired"),
    "coupon_invalid": ("这张优惠券不是本商城发放的，不能使用", "This coupon is not genuine"),
    "coupon_unknown": ("商城查不到这张优惠券", "The mall does not know this coupon"),
    "coupon_offline": (
        "商城离线，暂时不能用券，请联网后再试",
        "The mall is offline: coupons cannot be used until it is back",
    ),
    "coupon_used_here": (
        "商城离线：这张券已在本机用过，不能再用",
        "Mall offline: this coupon was already used at this till",
    ),
    "coupon_offline_cap": (
        "商城离线：本机今天离线用券已达上限 {cap}（已用 {used}）",
        "Mall offline: the offline coupon limit of {cap} a day is reached ({used} used)",
    ),
    # members
    "member_lookup_text": (
        "“{text}”不是会员码、11 位手机号或 10 位卡号",
        "“{text}” is not a member code, phone number or card number",
    ),
    "member_phone": ("“{text}”不是 11 位手机号", "“{text}” is not an 11-digit mobile number"),
    "member_code_needed": (
        "请顾客先出示会员码：扫过会员码才能用积分或储值支付",
        "Scan the member's code first: points and stored value need it",
    ),
    "insufficient_points": (
        "会员可用积分不够，请少抵一些或换其他方式付款",
        "Not enough points available",
    ),
    "insufficient_stored_value": (
        "会员储值余额不够，请少付一些或换其他方式付款",
        "Not enough stored value available",
    ),
    "redeem_offline": (
        "不能使用积分/储值：商城离线，恢复联网前不能抵扣",
        "Mall offline: points and stored value wait until it is back",
    ),
    "redeem_offline_balance": (
        "不能使用积分/储值：商城离线，本机只知道该会员还有 {left}",
        "Mall offline: this till knows of only {left} for this member",
    ),
    "redeem_offline_cap": (
        "不能使用积分/储值：商城离线时每位会员每天最多抵扣 {cap}（今天已用 {used}）",
        "Mall offline: at most {cap} a day per member ({used} used today)",
    ),
    "redeem_offline_signup": (
        "不能使用积分/储值：离线注册的会员要等商城确认后才能抵扣",
        "A member signed up offline cannot redeem until the mall knows them",
    ),
    # settings and devices
    "store_name_empty": ("门店名称不能为空", "The store name cannot be empty"),
    "receipt_width": ("小票宽度只能是 58 或 80 毫米", "Receipt width must be 58 or 80 mm"),
    "printer_uri": (
        "小票打印机地址应以 {schemes} 开头",
        "A receipt printer address starts with {schemes}",
    ),
    "language": ("不支持这种界面语言", "That language is not available"),
    "device_uri": (
        "设备地址应以 {schemes} 开头：{uri}",
        "{what} address must start with {schemes}",
    ),
    "device_protocol": ("请选择电子秤协议", "Choose a scale protocol"),
    "device_settle": ("等待稳定时间应为 1～{most} 秒", "Settling time must be 1 to {most} s"),
    "device_label_size": ("请选择标签尺寸", "Choose a label size"),
    "label_no_layout": (
        "没有 13 位金额秤签格式，请按 F10 在“电子秤条码格式”里添加",
        "No 13-digit price layout: add one under F10 settings",
    ),
    "label_no_printer": (
        "没有设置标签打印机：请按 F10 设置，填写“标签打印机”",
        "No label printer: press F10 and fill in the label printer",
    ),
    "label_no_plu": ("{name} 没有 PLU 编号，不能打秤签", "{name} has no PLU number"),
    "scale_layout": (
        "写法应如 20-29:FFCCCCCPPPPPK（F 标识，C 商品编号，P 金额，W 重量，K 校验位）",
        "write it like 20-29:FFCCCCCPPPPPK (F flag, C item, P price, W weight, K check)",
    ),
    "printer_not_set": (
        "没有设置小票打印机，小票已保存：按 F10 在“设置 → 小票打印机”选好后，按 Ctrl+P 重打",
        "No receipt printer: the receipt is kept. F10 Settings → Receipt printer, then Ctrl+P",
    ),
    # sync, worded from the error type the engine records
    "sync.SyncOffline": ("连不上商城", "cannot reach the mall"),
    "sync.SyncAuthError": ("商城拒绝了本机的凭证，请重新配对", "the mall refused this till"),
    "sync.SyncServerError": ("商城出错，稍后自动重试", "the mall failed; retrying"),
    "sync.SyncRejected": ("商城拒收数据，请联系总部", "the mall refused the data"),
    "sync.SyncGap": ("正在补传数据", "resending earlier data"),
    "sync.NotPaired": ("未配对", "not paired"),
    "generic": ("操作没有完成（原因已记入日志）", "That did not work (the reason is in the log)"),
}

ERROR_TEXTS: dict[str, tuple[str, str]] = {f"err.{code}": text for code, text in _ERRORS.items()}
