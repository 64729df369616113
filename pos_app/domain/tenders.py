"""Tenders and settlement: how what the customer hands over (cash, WeChat, Alipay, card, stored
value, points, or a split of them) pays a sale, and how much change comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.coded import CodedError
from pos_app.domain.money import format_fen

__all__ = [
    "Settlement",
    "Tender",
    "TenderError",
    "TenderKind",
    "parse_tender",
    "settle",
    "with_change",
]


class TenderError(CodedError, ValueError):
    """A tender that cannot be taken; the message says why, for the cashier."""


class TenderKind(StrEnum):
    """How the customer pays."""

    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    CARD = "card"
    STORED_VALUE = "stored_value"
    POINTS = "points"

    @property
    def label(self) -> str:
        """A short English name for messages ("WeChat", "Bank card")."""
        return _LABELS[self]


_LABELS = {
    TenderKind.CASH: "Cash",
    TenderKind.WECHAT: "WeChat",
    TenderKind.ALIPAY: "Alipay",
    TenderKind.CARD: "Bank card",
    TenderKind.STORED_VALUE: "Stored value",
    TenderKind.POINTS: "Points",
}


@dataclass(frozen=True)
class Tender:
    """An amount handed over in one way. Cash may be more than is due (change is given);
    reference is the payment's transaction id, card slip number and the like.
    """

    kind: TenderKind
    amount_fen: int
    reference: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TenderKind(self.kind))
        amount = self.amount_fen
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TenderError(
                f"{self.kind.label} amount must be whole fen, got {amount!r}", code="tender_amount"
            )
        if amount <= 0:
            raise TenderError(
                f"{self.kind.label} amount must be more than ¥0.00",
                code="tender_zero",
                kind=self.kind.value,
            )


@dataclass(frozen=True)
class Settlement:
    """The result of settle(). applied holds each tender reduced to what really pays the sale
    (cash applied = cash tendered - change); tenders that went wholly to change are left out.
    """

    due_fen: int
    tendered_fen: int
    change_fen: int
    remaining_fen: int
    applied: tuple[Tender, ...]

    @property
    def is_paid(self) -> bool:
        """True when nothing remains due."""
        return self.remaining_fen == 0

    @property
    def applied_fen(self) -> int:
        """What the tenders pay towards the sale (= due - remaining)."""
        return sum(t.amount_fen for t in self.applied)


def settle(due_fen: int, tenders: Sequence[Tender]) -> Settlement:
    """Apply tenders in the order they were taken to a sale of due_fen.

    Only cash may be more than what is still due; its excess is change (never more than the
    cash handed over). A non-cash tender larger than what remains raises TenderError.
    """
    if isinstance(due_fen, bool) or not isinstance(due_fen, int) or due_fen < 0:
        raise TenderError(f"Amount due must be whole fen and not negative, got {due_fen!r}")
    remaining, change = due_fen, 0
    applied: list[Tender] = []
    for tender in tenders:
        paying = min(tender.amount_fen, remaining)
        if tender.kind is not TenderKind.CASH and remaining == 0:
            raise TenderError(
                f"The sale is already paid; no {tender.kind.label} payment needed",
                code="tender_already_paid",
                kind=tender.kind.value,
            )
        if tender.kind is not TenderKind.CASH and tender.amount_fen > remaining:
            raise TenderError(
                f"{tender.kind.label} amount {format_fen(tender.amount_fen)} is more than "
                f"the {format_fen(remaining)} still due",
                code="tender_too_much",
                kind=tender.kind.value,
                amount=format_fen(tender.amount_fen),
                due=format_fen(remaining),
            )
        change += tender.amount_fen - paying
        remaining -= paying
        if paying:
            applied.append(Tender(tender.kind, paying, tender.reference))
    return Settlement(
        due_fen=due_fen,
        tendered_fen=sum(t.amount_fen for t in tenders),
        change_fen=change,
        remaining_fen=remaining,
        applied=tuple(applied),
    )


_TENDER_HELP = "Tender must look like METHOD:FEN, e.g. cash:2000 for ¥20.00"


def parse_tender(text: str) -> Tender:
    """Read a CLI tender "METHOD:FEN[:REFERENCE]", e.g. "cash:2000" or "wechat:1500"."""
    method, sep, rest = text.strip().partition(":")
    amount_text, _, reference = rest.partition(":")
    if not sep or not method.strip() or not amount_text.strip():
        raise TenderError(_TENDER_HELP)
    try:
        kind = TenderKind(method.strip().lower())
    except ValueError:
        choices = ", ".join(k.value for k in TenderKind)
        raise TenderError(f"Unknown payment method {method.strip()!r} (use {choices})") from None
    amount_text = amount_text.strip()
    if not amount_text.isascii() or not amount_text.isdigit():
        raise TenderError(f"Amount {amount_text!r} must be whole fen. {_TENDER_HELP}")
    return Tender(kind, int(amount_text), reference.strip())


def with_change(settlement: Settlement) -> list[tuple[Tender, int]]:
    """Each applied tender with the change it gave: all of it on the last cash tender."""
    applied = settlement.applied
    cash = [i for i, tender in enumerate(applied) if tender.kind is TenderKind.CASH]
    last_cash = cash[-1] if cash else -1
    return [
        (tender, settlement.change_fen if i == last_cash else 0) for i, tender in enumerate(applied)
    ]
