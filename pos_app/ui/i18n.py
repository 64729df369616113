"""Screen texts in zh_CN (default) and en, and the Chinese wording of the errors services raise.

tr(key, **values) looks a text up in the current language and fills in {placeholders}.
Errors from services and the domain carry a code and parameters (CodedError); error_text()
words them from the "err.<code>" entries (error_texts.py) and never shows their English str().
The tables live beside it, one module a part of the till (sale_texts, payment_texts,
settings_texts, device_texts, permission_texts, error_texts); this module keeps the lookup and
the texts its own error wording uses.

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
from pos_app.ui.payment_texts import PAYMENT_TEXTS
from pos_app.ui.permission_texts import PERMISSION_TEXTS
from pos_app.ui.sale_texts import SALE_TEXTS
from pos_app.ui.settings_texts import SETTINGS_TEXTS
from sync.coupon_code import ExpiredCoupon, ForgedCoupon, MalformedCoupon
from sync.member_code import ExpiredMemberCode, ForgedMemberCode, MalformedMemberCode

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
_current = "zh_CN"

TEXTS: dict[str, tuple[str, str]] = {
    **SALE_TEXTS,
    **PAYMENT_TEXTS,
    **SETTINGS_TEXTS,
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
