"""Back-office screen texts in zh_CN (default) and en, in the language the till is set to.

bt(key) looks a text up like pos_app.ui.i18n.tr(); value_text() names the values reports carry
as keys (tenders, refund/void kinds, member segments, stock move reasons); problem_text() words a
service's refusal (a broken receiving line, a wrong product field) for the manager.
"""

from __future__ import annotations

from pos_app.services.catalog_admin import ProductRejected
from pos_app.services.receiving import ReceivingRejected
from pos_app.ui.i18n import error_text, language

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("后台管理", "Back office"),
    "read_only": ("只读：只有经理可以修改数据", "Read only: only a manager can change data"),
    "user": ("当前用户 {name}", "Signed in: {name}"),
    "working": ("正在计算…", "Working…"),
    # navigation
    "nav_dashboard": ("概览", "Dashboard"),
    "nav_reports": ("报表", "Reports"),
    "nav_receiving": ("入库", "Receiving"),
    "nav_stocktake": ("盘点", "Stocktake"),
    "nav_stock": ("库存", "Stock"),
    "nav_products": ("商品", "Products"),
    "nav_members": ("会员", "Members"),
    "nav_data": ("导出与备份", "Export & backup"),
    "nav_settings": ("设置", "Settings"),
    "cost_method_title": ("成本核算", "Cost of goods sold"),
    "cost_method": ("进价按", "Cost price by"),
    "cost_method_last": ("最近进价", "Last cost"),
    "cost_method_weighted_average": ("移动加权平均", "Weighted average"),
    "cost_method_hint": (
        "只影响以后的销售：下次入库起按所选方式计算进价，已售出的商品保留售出时记录的成本。",
        "Affects future sales only: receivings from now on set the cost price this way; goods"
        " already sold keep the cost they were sold at.",
    ),
    "cost_method_saved": (
        "已保存：以后的销售按{method}记录成本",
        "Saved: future sales cost by {method}",
    ),
    "print_daily": ("打印日结", "Print daily summary"),
    "printed_daily": ("日结已送往小票打印机", "Daily summary sent to the receipt printer"),
    "member_find_hint": (
        "手机尾号、姓名、卡号或会员号，回车查找",
        "Phone tail, name, card or member id; Enter to search",
    ),
    "member_none": ("本机没有符合的会员", "No member on this till matches"),
    "member_balance": (
        "{name}：积分 {points}，储值 {stored}（{when} 从商城获知，以商城为准）",
        "{name}: {points} points, {stored} stored value (as the mall said at {when})",
    ),
    "member_balance_unknown": (
        "{name}：余额以商城为准（本机尚未从商城获知）",
        "{name}: balance known only to the mall",
    ),
    "col_member": ("会员", "Member"),
    "col_phone": ("手机", "Phone"),
    "col_card": ("卡号", "Card"),
    "col_tier": ("等级", "Tier"),
    "col_purchases": ("消费次数", "Visits"),
    "col_spent": ("消费金额", "Spent"),
    "col_sale_no": ("小票号", "Sale"),
    "col_total": ("金额", "Total"),
    "col_points": ("积分", "Points"),
    # period
    "from": ("从", "From"),
    "to": ("至", "to"),
    "preset_today": ("今天", "Today"),
    "preset_last7": ("近7天", "Last 7 days"),
    "preset_last30": ("近30天", "Last 30 days"),
    "preset_last90": ("近90天", "Last 90 days"),
    "preset_month": ("本月", "This month"),
    "preset_year": ("近一年", "Last 12 months"),
    "preset_custom": ("自定义", "Custom"),
    "compare": ("对比上期", "Compare"),
    "ten_thousand_yuan": ("万元", "¥10k"),
    "yuan": ("元", "¥"),
    "previous_period": ("上期 {first} 至 {last}", "Previous {first} to {last}"),
    # key figures
    "kpi_net_fen": ("净销售额", "Net sales"),
    "kpi_sales_fen": ("销售额", "Sales"),
    "kpi_receipts": ("销售笔数", "Receipts"),
    "kpi_avg_basket_fen": ("客单价", "Average basket"),
    "tip_avg_basket_fen": (
        "客单价 = 净销售额 (销售额减退货) ÷ 销售笔数，退货计入",
        "Average basket = net sales (sales less refunds) ÷ sale receipts, refunds counted",
    ),
    "kpi_member_share_bp": ("会员销售占比", "Member share"),
    "kpi_margin_fen": ("毛利 (已知成本)", "Gross margin (known cost)"),
    "kpi_margin_bp": ("毛利率", "Margin %"),
    "kpi_refunds_fen": ("退货金额", "Refunds"),
    "kpi_refund_receipts": ("退货笔数", "Refund receipts"),
    "kpi_void_lines": ("删行", "Voided lines"),
    "kpi_void_sales": ("整单作废", "Voided sales"),
    "kpi_qr_claim_share_bp": ("小票扫码领取率", "Receipt QR claims"),
    "change": ("较上期 {change}", "{change} vs previous"),
    "change_points": ("较上期 {change} 个百分点", "{change} percentage points vs previous"),
    "change_more": ("较上期多 {change} %", "{change} % more than previous"),
    "change_less": ("较上期少 {change} %", "{change} % less than previous"),
    "cell_more": ("多 {change} %", "{change} % more"),  # a 变化 cell of a figure below zero
    "cell_less": ("少 {change} %", "{change} % less"),
    "no_previous": ("上期无数据", "no previous data"),
    "not_available": ("暂不可用", "Not yet available"),
    "not_synced": ("尚无商城数据", "no mall data yet"),
    "dash_trend": ("每日净销售额", "Net sales per day"),
    "dash_top": ("畅销商品", "Best sellers"),
    # reports
    "report_sales_by_hour": ("分时段销售", "Sales by hour"),
    "report_sales_by_day": ("每日销售", "Sales by day"),
    "report_sales_by_week": ("每周销售", "Sales by week"),
    "report_sales_by_month": ("每月销售", "Sales by month"),
    "report_by_category": ("品类销售", "Sales by category"),
    "report_top_products": ("畅销商品 前10", "Top 10 products"),
    "report_bottom_products": ("滞销商品 后10", "Bottom 10 products"),
    "report_by_cashier": ("收银员业绩", "Sales by cashier"),
    "report_payment_mix": ("收款方式", "Payment mix"),
    "report_refunds_voids": ("退货与作废", "Refunds and voids"),
    "report_basket": ("客单价走势", "Average basket"),
    "report_member_share": ("会员销售占比", "Member share"),
    "report_margin": ("品类毛利", "Gross margin"),
    "report_qr_claims": ("扫码领取率", "QR claims"),
    "report_promotions": ("促销效果", "Promotions"),
    "export_csv": ("导出 CSV", "Export CSV"),
    "export_xlsx": ("导出 Excel", "Export Excel"),
    "exported": ("已导出：{path}", "Exported: {path}"),
    # export and backup page
    "data_export": ("导出到 Excel", "Export to Excel"),
    "data_export_hint": (
        "销售按上方选择的日期导出；导出的商品表可修改后用“导入商品”导回。",
        "Sales are exported for the dates chosen above; the product sheet can be edited and "
        "imported back.",
    ),
    "export_products": ("导出商品(&P)", "Export &products"),
    "export_members": ("导出会员(&M)", "Export &members"),
    "export_sales": ("导出销售(&S)", "Export &sales"),
    "export_template": ("下载商品导入模板(&D)", "&Download the import template"),
    "import_products": ("导入商品(&I)", "&Import products"),
    "importing": ("正在导入商品…", "Importing products…"),
    "imported": ("已导入 {count} 个商品", "{count} products imported"),
    "import_refused": (
        "有 {rows} 行需要修改，商品都没有导入。改好文件后再导入。",
        "{rows} rows need fixing: nothing was imported. Fix the file and import it again.",
    ),
    "data_backups": ("备份与恢复（仅经理）", "Backups and restore (manager only)"),
    "backup_hint": (
        "收银台每天自动备份一次，保留最近 {kept} 份。恢复前本机数据会另存一份，不会删除。",
        "The till backs itself up once a day and keeps the newest {kept}. Restoring keeps a copy "
        "of the data it replaces.",
    ),
    "col_backup_time": ("备份时间", "Made at"),
    "col_backup_kind": ("类型", "Kind"),
    "col_backup_size": ("大小", "Size"),
    "col_backup_till": ("收银台", "Till"),
    "col_backup_store": ("门店", "Store"),
    "col_backup_sales": ("单数", "Sales"),
    "backup_daily": ("每日自动", "daily"),
    "backup_manual": ("手动", "manual"),
    "backup_before-upgrade": ("升级前", "before an upgrade"),
    "backup_unreadable": ("无法读取", "unreadable"),
    "backup_now": ("立即备份(&B)", "&Back up now"),
    "backing_up": ("正在备份…", "Backing up…"),
    "backed_up": ("已备份到 {path}", "Backed up to {path}"),
    "restore": ("恢复所选备份(&R)…", "&Restore the chosen backup…"),
    "restore_pick": ("请先在列表中选一份备份", "Choose a backup in the list first"),
    "restore_checking": ("正在检查备份…", "Checking the backup…"),
    "restore_title": ("恢复备份", "Restore a backup"),
    "restore_question": (
        "确定用 {time} 的备份（收银台 {till}，{sales} 单）恢复本机数据吗？\n\n"
        "收银台会关闭，再以备份时的数据重新启动。\n"
        "备份之后的销售不再显示在本机：已上传商城的仍在商城，不会重复上传，新单号接着往下编；"
        "还没上传的保存在被替换的数据文件 till.db.replaced-… 中，不会删除。",
        "Restore this till from the backup of {time} (till {till}, {sales} sales)?\n\n"
        "The till closes and starts again with the data of the backup.\n"
        "Sales made after the backup no longer show here: those the mall has stay there and are "
        "not sent again, new sale numbers carry on after them; those not yet sent are kept in "
        "the replaced data file till.db.replaced-…, never deleted.",
    ),
    "restore_yes": ("恢复并重启(&Y)", "Restore and restart (&Y)"),
    "restore_no": ("取消", "Cancel"),
    "exporting": ("正在导出…", "Exporting…"),
    "exported_rows": ("已导出 {rows} 行：{path}", "Exported {rows} rows: {path}"),
    "template_saved": (
        "模板已保存：{path}（填好后用“导入商品”导入）",
        "Template saved: {path} (fill it in, then import it)",
    ),
    "this_period": ("本期", "This period"),
    # columns
    "col_hour": ("时段", "Hour"),
    "col_day": ("日期", "Day"),
    "col_week": ("周 (周一)", "Week (Monday)"),
    "col_days": ("天数", "Days"),
    "col_month": ("月份", "Month"),
    "col_receipts": ("笔数", "Receipts"),
    "col_sales_fen": ("销售额", "Sales"),
    "col_refunds_fen": ("退货额", "Refunds"),
    "col_net_fen": ("净额", "Net"),
    "col_category": ("品类", "Category"),
    "col_lines": ("行数", "Lines"),
    "col_share_bp": ("占比", "Share"),
    "col_rank": ("排名", "Rank"),
    "col_sku": ("编码", "SKU"),
    "col_name": ("商品", "Product"),
    "col_qty": ("数量", "Qty"),
    "col_cashier": ("收银员", "Cashier"),
    "col_avg_basket_fen": ("客单价", "Avg basket"),
    "col_tender": ("收款方式", "Tender"),
    "col_payments": ("笔数", "Payments"),
    "col_kind": ("类型", "Kind"),
    "col_count": ("次数", "Count"),
    "col_amount_fen": ("金额", "Amount"),
    "col_segment": ("客群", "Customers"),
    "col_costed_net_fen": ("有成本销售", "Net with cost"),
    "col_cost_fen": ("成本", "Cost"),
    "col_margin_fen": ("毛利", "Margin"),
    "col_margin_bp": ("毛利率", "Margin %"),
    "col_uncosted_net_fen": ("无成本销售", "Net without cost"),
    "col_previous": ("上期", "Previous"),
    "col_change_bp": ("变化", "Change"),
    "col_change_points": ("变化 (百分点)", "Change (points)"),
    "col_claimed": ("已领取", "Claimed"),
    "col_promotion": ("促销", "Promotion"),
    "col_discount_fen": ("优惠金额", "Discount"),
    "col_unit": ("单位", "Unit"),
    "col_on_hand": ("库存", "On hand"),
    "col_reorder_level": ("补货点", "Reorder at"),
    "col_time": ("时间", "Time"),
    "col_reason": ("类型", "Kind"),
    "col_ref": ("单据", "Document"),
    "col_delta": ("变动", "Change"),
    "col_balance": ("结存", "Balance"),
    "col_code": ("条码/编码", "Code"),
    "col_cost": ("进价", "Cost"),
    "col_line_cost": ("金额", "Amount"),
    "col_shelf": ("货架", "Shelf"),
    "col_counted": ("实盘", "Counted"),
    "col_at_count": ("盘点时账面", "Book at count"),
    "col_moved_since": ("盘点后变动", "Moved since"),
    "col_variance": ("差异", "Variance"),
    "col_variance_cost": ("差异金额", "Variance value"),
    "col_after": ("过账后库存", "After posting"),
    # values
    "value_cash": ("现金", "Cash"),
    "value_wechat": ("微信支付", "WeChat Pay"),
    "value_alipay": ("支付宝", "Alipay"),
    "value_card": ("银行卡", "Bank card"),
    "value_stored_value": ("储值卡", "Stored value"),
    "value_points": ("积分", "Points"),
    "value_refund": ("退货", "Refunds"),
    "value_void_line": ("删行", "Voided lines"),
    "value_void_sale": ("整单作废", "Voided sales"),
    "value_member": ("会员", "Members"),
    "value_walk_in": ("非会员", "Walk-in"),
    "value_uncategorised": ("未分类", "Uncategorised"),
    "value_rounding": ("抹零", "Rounding"),
    "value_sale": ("销售", "Sale"),
    "value_receive": ("入库", "Received"),
    "value_count": ("盘点调整", "Count adjustment"),
    "value_reserve": ("线上预留", "Online reservation"),
    "value_transfer": ("调拨", "Transfer"),
    # receiving
    "supplier": ("供应商", "Supplier"),
    "code": ("条码/编码", "Code"),
    "qty": ("数量", "Qty"),
    "qty_kg": ("重量 (kg)", "Weight (kg)"),
    "cost_yuan": ("进价 (元)", "Cost (¥)"),
    "add_line": ("添加", "Add"),
    "remove_line": ("删除选中行", "Remove line"),
    "post_receiving": ("过账入库", "Post receipt"),
    "receiving_total": ("共 {n} 行，进货金额 {amount}", "{n} lines, cost {amount}"),
    "receiving_posted": (
        "入库单 {doc} 已过账：{n} 行，{amount}",
        "Receipt {doc} posted: {n} lines, {amount}",
    ),
    "scan_hint": (
        "扫描商品条码，输入数量和进价后回车",
        "Scan an item, enter qty and cost, press Enter",
    ),
    "count_hint": (
        "扫描商品条码，输入实盘数量后回车",
        "Scan an item, enter the count, press Enter",
    ),
    "bad_number": ("请输入正确的数字", "Enter a valid number"),
    "line_problem": ("第 {line} 行 ({code})：{reason}", "Line {line} ({code}): {reason}"),
    "rejected": ("整张单据未过账，请修改：", "Nothing was posted. Fix:"),
    "reason_not_found": ("商品库中没有此条码", "not in the catalog"),
    "reason_invalid_code": ("条码无法识别或校验位错误", "not a valid barcode (check digit?)"),
    "reason_qty": ("数量必须大于 0", "quantity must be more than 0"),
    "reason_cost": ("进价不能为负数或过大", "cost must be 0 or more, and sane"),
    "reason_no_lines": ("单据没有任何商品行", "the document has no lines"),
    # stocktake
    "open_stocktake": ("开始盘点", "Start stocktake"),
    "no_stocktake": ("当前没有进行中的盘点", "No stocktake is open"),
    "stocktake_open": ("盘点单 {doc}：已盘 {n} 个商品", "Stocktake {doc}: {n} products counted"),
    "shelf": ("货架", "Shelf"),
    "counted": ("实盘数量", "Counted"),
    "record_count": ("记录", "Record"),
    "post_stocktake": ("确认差异并过账", "Post variances"),
    "cancel_stocktake": ("取消盘点", "Cancel stocktake"),
    "variance_summary": (
        "差异商品 {n} 个，差异金额 {amount} (按进价)",
        "{n} products differ, {amount} at cost",
    ),
    "stocktake_posted": (
        "盘点单 {doc} 已过账：调整 {n} 个商品",
        "Stocktake {doc} posted: {n} adjusted",
    ),
    # stock
    "low_stock": ("低库存 (≤ 补货点)", "Low stock (≤ reorder level)"),
    "negative_stock": ("负库存", "Negative stock"),
    "first_page": ("首页", "First page"),
    "next_page": ("下一页", "Next page"),
    "history": ("库存流水", "Stock history"),
    "find": ("查找", "Find"),
    "find_hint": ("扫描条码或输入编码/拼音首字母", "Scan, or type a code or pinyin initials"),
    "history_of": ("{name} 当前库存 {on_hand}", "{name}: on hand {on_hand}"),
    "more": ("更早的记录", "Older"),
    # products
    "new_product": ("新商品", "New product"),
    "save": ("保存", "Save"),
    "saved": ("已保存 {sku}", "Saved {sku}"),
    "print_labels": ("打印价签 ({n})", "Print labels ({n})"),
    "labels_pdf": ("价签导出 PDF", "Labels to PDF"),
    "labels_sent": ("已发送 {n} 张价签", "{n} labels sent"),
    "field_sku": ("编码", "SKU"),
    "field_name": ("名称", "Name"),
    "field_price_fen": ("售价 (元)", "Price (¥)"),
    "field_member_price_fen": ("会员价 (元)", "Member price (¥)"),
    "field_cost_fen": ("进价 (元)", "Cost (¥)"),
    "field_unit": ("单位", "Unit"),
    "field_category": ("品类", "Category"),
    "field_weighed": ("称重商品 (按 kg 计价)", "Weighed (price per kg)"),
    "field_plu_code": ("秤 PLU", "Scale PLU"),
    "field_tax_rate_bp": ("税率 (%)", "VAT (%)"),
    "field_barcodes": ("条码 (每行一个)", "Barcodes (one a line)"),
    "field_status": ("在售", "On sale"),
    "field_reorder_level": ("补货点", "Reorder level"),
    "field_problem": ("{field}：{reason}", "{field}: {reason}"),
    "reason_sku_format": ("1 到 32 位字母、数字或 -", "1 to 32 letters, digits or -"),
    "reason_text_format": ("不能为空，最多 {detail} 个字", "required, at most {detail} characters"),
    "reason_status": ("状态无效", "invalid status"),
    "reason_price_range": ("必须大于 0", "must be more than 0"),
    "reason_member_price": (
        "必须大于 0 且不高于售价",
        "must be more than 0 and not above the price",
    ),
    "reason_cost_range": ("不能为负数或过大", "must be 0 or more, and sane"),
    "reason_vat": ("只能是 0、3、5、6、9 或 13", "must be 0, 3, 5, 6, 9 or 13"),
    "reason_negative": ("不能为负数", "must not be negative"),
    "reason_plu_format": ("最多 5 位数字", "at most 5 digits"),
    "reason_plu_not_weighed": ("只有称重商品有秤 PLU", "only weighed goods have a PLU"),
    "reason_barcode_invalid": ("{detail} 无法识别或校验位错误", "{detail}: not a valid barcode"),
    "reason_barcode_scale": ("{detail} 是秤码，请改填 PLU", "{detail} is a scale code: use a PLU"),
    "reason_barcode_form": ("应写作 {detail}", "should be written {detail}"),
    "reason_barcode_twice": ("条码重复", "listed twice"),
    "reason_sku_taken": ("{detail} 已被其他商品使用", "{detail} is taken"),
    "reason_plu_taken": ("已是商品 {detail} 的 PLU", "already the PLU of {detail}"),
    "reason_barcode_taken": (
        "条码已属于其他商品 ({detail})",
        "belongs to another product ({detail})",
    ),
}


def bt(key: str, **values: object) -> str:
    """The back-office text for key in the current language, placeholders filled in."""
    zh, en = TEXTS[key]
    text = en if language() == "en" else zh
    return text.format(**values) if values else text


def value_text(value: object) -> str:
    """A key-like value as the manager reads it ("wechat" → 微信支付, "" → 未分类)."""
    text = str(value)
    if text == "":
        return bt("value_uncategorised")
    key = f"value_{text}"
    return bt(key) if key in TEXTS else text


def problem_text(error: Exception) -> str:
    """A refusal worded line by line (receiving) or field by field (product form)."""
    if isinstance(error, ReceivingRejected):
        lines = [
            bt("line_problem", line=p.line_no, code=p.code, reason=bt(f"reason_{p.reason}"))
            for p in error.problems
        ]
        return "\n".join([bt("rejected"), *lines])
    if isinstance(error, ProductRejected):
        return "\n".join(
            bt(
                "field_problem",
                field=bt(f"field_{p.field}"),
                reason=bt(f"reason_{p.reason}", detail=p.detail),
            )
            for p in error.problems
        )
    return error_text(error)
