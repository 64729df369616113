"""Shift+F4 会员充值: the amount for the sale's member (typed, or F1–F4 for the chain's bonus
tiers, shown as 充200送20), then the same payment dialog as a sale takes the money (cash, card,
WeChat/Alipay code through the mall) and the top-up is stored in one transaction with it.

The bonus shown is what the till expects from the tiers the mall last sent; the mall credits
by its own tiers, so the screen and the receipt never show a balance.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from pos_app.domain.cart import Cart
from pos_app.domain.money import format_fen, parse_yuan
from pos_app.domain.tenders import Tender
from pos_app.domain.top_up import TopUpTier, bonus_for, tier_label
from pos_app.services.till_views import top_up_choices
from pos_app.services.top_ups import record_top_up
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import (
    QHBoxLayout,
    QKeySequence,
    QLineEdit,
    QPushButton,
    QShortcut,
    QShowEvent,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import KeyboardDialog, label, show_message

TIER_KEYS = ("F1", "F2", "F3", "F4")


class TopUpDialog(KeyboardDialog):
    """Asks how much; `chosen` fires with the amount in fen when the cashier goes on to pay."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None, ctx: TillContext, member_id: str, who: str) -> None:
        super().__init__(parent)
        self.member_id = member_id
        self.setWindowTitle(tr("top_up_title"))
        self.tiers = top_up_choices(ctx.db)[: len(TIER_KEYS)]
        self.amount = QLineEdit(objectName="top_up_amount")
        self.amount.returnPressed.connect(self._go_on)
        self.amount.textChanged.connect(self._preview)
        self.bonus = label(point_size=14, bold=True, name="top_up_bonus")
        self.message = label(name="message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label(tr("top_up_member", who=who), point_size=14))
        layout.addWidget(label(tr("top_up_amount")))
        layout.addWidget(self.amount)
        layout.addWidget(self.bonus)
        buttons = QHBoxLayout()
        for key, tier in zip(TIER_KEYS, self.tiers, strict=False):
            button = QPushButton(f"{key} {tier_label(tier)}", objectName=f"tier_{key}")
            button.setMinimumHeight(44)
            button.clicked.connect(partial(self.pick, tier))
            QShortcut(QKeySequence(key), self).activated.connect(partial(self.pick, tier))
            buttons.addWidget(button)
        layout.addLayout(buttons)
        layout.addWidget(label(tr("top_up_hint")))
        layout.addWidget(self.message)
        self.setMinimumWidth(560)
        self._preview()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.amount.setFocus()

    def _preview(self) -> None:
        try:
            fen = parse_yuan(self.amount.text())
        except ValueError:
            fen = 0
        bonus = bonus_for(self.tiers, fen)
        text = tr("top_up_bonus", bonus=format_fen(bonus)) if bonus else tr("top_up_no_bonus")
        self.bonus.setText(text if fen else "")

    def pick(self, tier: TopUpTier) -> None:
        """A tier key or button: its amount, on to payment."""
        self.amount.setText(format_fen(tier.pay_fen, symbol=False))
        self._go_on()

    def _go_on(self) -> None:
        try:
            fen = parse_yuan(self.amount.text())
        except ValueError as error:
            show_message(self.message, error_text(error), error=True)
            return
        if fen <= 0:
            show_message(self.message, tr("err.top_up_amount"), error=True)
            return
        self.accept()
        self.chosen.emit(fen)


class TopUpPaymentDialog(PaymentDialog):
    """The sale's payment dialog for a top-up: money tenders only; `paid` fires a TopUpResult."""

    def __init__(
        self, parent: QWidget | None, ctx: TillContext, member_id: str, who: str, amount_fen: int
    ) -> None:
        super().__init__(parent, ctx, Cart(), due_fen=amount_fen)
        self.member_id = member_id
        self.setWindowTitle(tr("top_up_pay_title", amount=format_fen(amount_fen)))
        banner = label(tr("top_up_banner", who=who), point_size=16, bold=True, name="top_up_banner")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, banner)  # the cashier sees this is a top-up, not a sale
        for button in self.redeem.buttons.values():  # stored value is not bought with itself
            button.hide()
        self._update()

    def _commit_work(self, tenders: list[Tender]) -> Callable[[], object]:
        db, member, cashier, draft = self.ctx.db, self.member_id, self.ctx.staff_id, self.draft_id
        amount = self.due_fen
        return lambda: record_top_up(
            db,
            member_id=member,
            amount_fen=amount,
            tenders=tenders,
            cashier_id=cashier,
            payment_draft=draft,
        )
