"""Screen texts of the settings dialog (store, scale label layouts and their preview,
rounding, language) in zh_CN and en, merged into i18n.TEXTS."""

from __future__ import annotations

SETTINGS_TEXTS: dict[str, tuple[str, str]] = {
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
}
