"""Scan routing: what a scanned code means depends on where the cashier is (item, payment,
member, refund), plus timing logic that tells a keyboard-wedge scanner from a person typing.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.coupons import looks_like_coupon_code
from pos_app.domain.gtin import normalise_code
from pos_app.domain.parsed_barcode import InvalidBarcode, ParsedBarcode
from pos_app.domain.scale_layouts import DEFAULT_SCALE_LAYOUTS, ScaleLayout

__all__ = [
    "ALIPAY_CODE",
    "WECHAT_CODE",
    "CouponOutOfPlace",
    "CouponScan",
    "ItemScan",
    "MemberCodeScan",
    "PaymentCodeScan",
    "PaymentProvider",
    "ReceiptScan",
    "ScanBurstDetector",
    "ScanContext",
    "ScanIntent",
    "ScanRules",
    "WrongScanContext",
    "detect_payment_provider",
    "mask_payment_code",
    "route_item",
    "route_scan",
]

WECHAT_CODE = re.compile(r"^1[0-5]\d{16}$")
ALIPAY_CODE = re.compile(r"^(2[5-9]|30)\d{14,22}$")
_ASCII_DIGITS = re.compile(r"^[0-9]+$")  # \d above also matches non-ASCII digits


class ScanContext(StrEnum):
    """The step the till is in when a code arrives; it decides what the code means."""

    ITEM = "item"
    PAYMENT = "payment"
    MEMBER = "member"
    REFUND = "refund"


class PaymentProvider(StrEnum):
    """Whose payment code (付款码) the customer showed."""

    WECHAT = "wechat"
    ALIPAY = "alipay"


class WrongScanContext(InvalidBarcode):
    """A code that makes sense somewhere else, not in the current step; says what to do.
    Its message never repeats the code (it may be a customer's payment code)."""


class CouponOutOfPlace(WrongScanContext):
    """A coupon scanned where it means nothing: it goes on the sale screen, before payment."""

    default_code = "coupon_out_of_place"


@dataclass(frozen=True)
class CouponScan:
    """Take a coupon off the sale (checked offline, held at the mall)."""

    code: str


@dataclass(frozen=True)
class ItemScan:
    """Look up and add an item."""

    barcode: ParsedBarcode


@dataclass(frozen=True)
class PaymentCodeScan:
    """Charge the customer's payment code. Log it only through mask_payment_code()."""

    provider: PaymentProvider
    code: str

    def __repr__(self) -> str:
        return f"PaymentCodeScan(provider={self.provider!r}, code={mask_payment_code(self.code)!r})"


@dataclass(frozen=True)
class MemberCodeScan:
    """Verify a member code (signed QR payload, digits or phone) and attach the member."""

    code: str


@dataclass(frozen=True)
class ReceiptScan:
    """Find the original sale for a refund: a receipt QR URL or a sale number."""

    text: str


ScanIntent = ItemScan | PaymentCodeScan | MemberCodeScan | ReceiptScan | CouponScan


def detect_payment_provider(code: str) -> PaymentProvider | None:
    """Return WECHAT or ALIPAY if code has the shape of that payment code, else None."""
    code = normalise_code(code)
    if not _ASCII_DIGITS.match(code):
        return None
    if WECHAT_CODE.match(code):
        return PaymentProvider.WECHAT
    if ALIPAY_CODE.match(code):
        return PaymentProvider.ALIPAY
    return None


def mask_payment_code(code: str) -> str:
    """Hide a payment code for logs and screens: "1345********1234". Never log codes in full."""
    code = code.strip()
    if len(code) < 16:
        return "*" * 8
    return f"{code[:4]}{'*' * 8}{code[-4:]}"


@dataclass(frozen=True)
class ScanRules:
    """How this store reads item codes: its scale label layouts, and whether a ¥0.00 label
    sells. Read with the selling settings, not at each scan."""

    layouts: tuple[ScaleLayout, ...] = DEFAULT_SCALE_LAYOUTS
    allow_zero_price: bool = False


def route_item(
    text: str,
    layouts: Sequence[ScaleLayout] = DEFAULT_SCALE_LAYOUTS,
    *,
    allow_zero_price: bool = False,
) -> ItemScan:
    """A code scanned on the sale screen, as an item. A payment code is never looked up, even
    where a layout would read it: booking a customer's 付款码 as 14 kg of cucumbers is worse
    than any refusal."""
    if detect_payment_provider(text) is not None:
        raise WrongScanContext("This is a payment code: scan it at checkout")
    return ItemScan(parse_barcode(text, layouts, allow_zero_price=allow_zero_price))


def route_scan(
    text: str,
    context: ScanContext,
    layouts: Sequence[ScaleLayout] = DEFAULT_SCALE_LAYOUTS,
    *,
    allow_zero_price: bool = False,
) -> ScanIntent:
    """Decide what a scanned code means in context.

    ITEM: a coupon code (优惠券), else a barcode; never a WeChat/Alipay payment code, whatever
    layout it would fit. PAYMENT: only WeChat/Alipay payment codes, never an item lookup.
    MEMBER: any non-empty code but a coupon. REFUND: a receipt QR URL or sale number.
    Raises InvalidBarcode or WrongScanContext with a message for the cashier.
    """
    code = normalise_code(text)
    if not code:
        raise InvalidBarcode("Nothing was scanned (empty barcode)")
    context = ScanContext(context)
    if looks_like_coupon_code(code):
        if context is ScanContext.ITEM:
            return CouponScan(code)
        if context is not ScanContext.REFUND:
            raise CouponOutOfPlace("This is a coupon: scan it on the sale screen before payment")
    if context is ScanContext.PAYMENT:
        provider = detect_payment_provider(code)
        if provider is None:
            raise WrongScanContext("Not a WeChat or Alipay payment code")
        return PaymentCodeScan(provider, code)
    if context is ScanContext.MEMBER:
        return MemberCodeScan(code)
    if context is ScanContext.REFUND:
        return ReceiptScan(code)
    return route_item(code, layouts, allow_zero_price=allow_zero_price)


class ScanBurstDetector:
    """Tell a keyboard-wedge scanner from a person by keystroke timing (no Qt, no clock).

    Scanners type 7-16 ms per key and end with Enter; people type ~200 ms per key. The UI
    calls feed() for every printable keystroke and enter() on Enter, passing event times in
    milliseconds. A pause longer than max_interval_ms starts a new run of keystrokes. enter()
    returns the code when the run since the last pause is a burst: at least min_chars, median
    interval <= max_median_interval_ms and every interval (Enter included) <= max_interval_ms.

    is_in_burst(t_ms) says whether a keystroke at t_ms continues a scanner-speed run, so the
    UI can swallow it instead of typing it into the focused field; pending() gives the chars
    already collected, e.g. to take back the first one or two that were let through.
    """

    def __init__(
        self,
        *,
        min_chars: int = 4,
        max_median_interval_ms: float = 35.0,
        max_interval_ms: float = 60.0,
    ) -> None:
        if min_chars < 1 or max_median_interval_ms <= 0 or max_interval_ms <= 0:
            raise ValueError("ScanBurstDetector thresholds must be positive")
        self.min_chars = min_chars
        self.max_median_interval_ms = max_median_interval_ms
        self.max_interval_ms = max_interval_ms
        self._chars: list[str] = []
        self._times: list[float] = []

    def reset(self) -> None:
        """Forget the keystrokes collected so far."""
        self._chars.clear()
        self._times.clear()

    def pending(self) -> str:
        """The characters collected since the last pause, Enter or reset."""
        return "".join(self._chars)

    def feed(self, char: str, t_ms: float) -> None:
        """Record keystroke text at time t_ms (several chars from one event share the time)."""
        if self._times and t_ms - self._times[-1] > self.max_interval_ms:
            self.reset()  # a pause: what came before was typed, not scanned
        for ch in char:
            self._chars.append(ch)
            self._times.append(t_ms)

    def _intervals(self, t_end: float | None = None) -> list[float]:
        times = self._times if t_end is None else [*self._times, t_end]
        return [max(0.0, b - a) for a, b in itertools.pairwise(times)]

    def _looks_scanned(self, intervals: list[float]) -> bool:
        return (
            bool(intervals)
            and statistics.median(intervals) <= self.max_median_interval_ms
            and max(intervals) <= self.max_interval_ms
        )

    def is_in_burst(self, t_ms: float) -> bool:
        """True if at least two keystrokes came at scanner speed and t_ms is still inside
        that run (within max_interval_ms of the last one)."""
        if len(self._times) < 2 or t_ms - self._times[-1] > self.max_interval_ms:
            return False
        return self._looks_scanned(self._intervals())

    def enter(self, t_ms: float) -> str | None:
        """Enter pressed at t_ms: return the scanned code if the run was a burst, else None.

        Either way the collected keystrokes are cleared.
        """
        code = self.pending()
        intervals = self._intervals(t_ms) if self._times else []
        self.reset()
        if len(code) >= self.min_chars and self._looks_scanned(intervals):
            return code
        return None
