"""The wording, in zh_CN and en, of roles, the actions of the permission table
(services/permissions.py), the approver dialog and the 权限 settings; merged into i18n.TEXTS."""

from __future__ import annotations

PERMISSION_TEXTS: dict[str, tuple[str, str]] = {
    "role_cashier": ("收银员", "cashier"),
    "role_supervisor": ("主管", "supervisor"),
    "role_manager": ("经理", "manager"),
    "perm_discount": ("打折", "discounts"),
    "perm_price_override": ("改单价", "price changes"),
    "perm_void_line": ("删除商品", "voiding a line"),
    "perm_void_sale": ("整单作废", "voiding a sale"),
    "perm_refund_receipt": ("凭小票退货", "refunds with the receipt"),
    "perm_refund_no_receipt": ("无小票退货", "refunds without the receipt"),
    "perm_no_sale": ("开钱箱（无销售）", "opening the drawer (no sale)"),
    "perm_cash_out": ("取出现金", "taking cash out"),
    "perm_reprint": ("重打小票", "reprints"),
    "perm_z_close": ("日结（Z）", "the Z close"),
    "perm_settings": ("门店设置", "store settings"),
    "perm_back_office": ("后台管理", "the back office"),
    "or_words": ("或", " or "),
    "override_title": ("授权", "Approval"),
    "override_reason": ("需要授权：{reason}", "Needs approval: {reason}"),
    "override_who": ("可以批准：{who}", "May approve: {who}"),
    "override_code": ("批准人工号", "Approver's staff number"),
    "override_pin": ("批准人密码", "Approver's PIN"),
    "not_approved": ("未获授权，没有改动", "Not approved: nothing changed"),
    "refused_not_allowed": (
        "{name}（{role}）不能批准{action}，请{who}批准",
        "{name} ({role}) may not approve {action}: ask a {who}",
    ),
    "refused_over_limit": (
        "{name}（{role}）只能批准{limit}的{action}，请{who}批准",
        "{name} ({role}) may approve {action} only {limit}: ask a {who}",
    ),
    "limit_zhe": ("不低于{zhe}", "down to {zhe}"),
    "limit_fen": ("不超过 {amount} ", "up to {amount}"),
    "reason_no_sale": ("开钱箱（无销售）", "open the drawer without a sale"),
    "reason_z_close": ("日结（Z）", "the Z close"),
    "reason_reprint": ("重打小票 {sale_no}", "reprint {sale_no}"),
    # the 权限 dialog (from 设置)
    "perm_title": ("权限与限额", "Permissions and limits"),
    "perm_button": ("权限与限额…", "Permissions and limits…"),
    "perm_action": ("操作", "Action"),
    "perm_hint": (
        "打折填最低几折（9 = 九折），退货填最高金额（元）；留空为不允许。经理可做全部操作。",
        "Discounts: the lowest 折 (9 = 90 % paid); refunds: the most in yuan; empty: not allowed."
        " A manager may do everything.",
    ),
    "perm_all": ("全部", "all"),
    "perm_saved": ("权限已保存", "Permissions saved"),
    "drawer_opened": ("钱箱已打开（无销售，已记录）", "Drawer opened (no sale, journaled)"),
}
