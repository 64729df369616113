"""Stored-value top-ups (充值) a member pays in the mini-program: the top-up is stored waiting
for payment, paid through the same WeChat Pay JSAPI payments as pickup orders
(mall.payments.jsapi), and credited once its payment is paid (paid amount + the bonus of the
mall's tiers, mall.members.top_ups.credit_top_up, the till's top-ups' function). Crediting
happens when the customer or the sandbox sheet asks, or in the background job; the top-up row
is locked and marked credited in the crediting transaction, so it happens once. A top-up never
paid credits nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.customer.member import member_of
from mall.customer.models import CustomerRow, CustomerTopUpRow
from mall.customer.orders import own_payment, pay_fields
from mall.customer.schemas import NewTopUp, TopUp, TopUpPayAnswer
from mall.customer.stores import SHOP_TIME, get_store
from mall.db import MallDatabase
from mall.errors import MallError, Refused
from mall.members.top_ups import credit_top_up
from mall.models import TopUpPaymentRow, utc_now
from mall.payment_models import PaymentRow
from mall.payments.jsapi import OnlinePayments, Payable

STATUS_TEXT = {"pending_payment": "待支付", "credited": "已到账"}


class TopUpNotFound(MallError):
    def __init__(self) -> None:
        super().__init__(404, "top_up_not_found", "没有找到这笔充值")


def _view(row: CustomerTopUpRow) -> TopUp:
    return TopUp(
        id=row.id,
        amount_fen=row.amount_fen,
        bonus_fen=row.bonus_fen,
        status=row.status,  # type: ignore[arg-type]
        status_text=STATUS_TEXT[row.status],
        created_at=row.created_at.astimezone(SHOP_TIME),
    )


def credit_if_paid(db: MallDatabase, top_up_id: str) -> None:
    """Credit the top-up if its payment is paid and it was not credited yet."""
    with db.write() as session:
        row = session.get(CustomerTopUpRow, top_up_id, with_for_update=True)
        if row is None or row.status != "pending_payment":
            return
        paid = session.scalar(
            select(PaymentRow).where(
                PaymentRow.sale_draft_id == row.id, PaymentRow.status == "paid"
            )
        )
        if paid is None:
            return
        row.bonus_fen = credit_top_up(
            session, row.member_id, paid.amount_fen, row.id, store_id=row.store_id
        )
        row.status, row.credited_at = "credited", utc_now()
        session.add(  # reconciliation matches the payment to this top-up, not to a sale
            TopUpPaymentRow(
                event_id=row.id,
                store_id=row.store_id,
                top_up_no=row.id.replace("-", ""),
                created_at=row.created_at,
                kind=paid.provider,
                amount_fen=paid.amount_fen,
                reference=paid.id,
            )
        )


def credit_paid_top_ups(db: MallDatabase, now: datetime) -> int:
    """Background job: credit the top-ups whose payment the payment desk found paid meanwhile
    (the customer closed the mini-program before it asked); answers how many were waiting."""
    with db.read() as session:
        waiting = session.scalars(
            select(CustomerTopUpRow.id)
            .join(PaymentRow, PaymentRow.sale_draft_id == CustomerTopUpRow.id)
            .where(CustomerTopUpRow.status == "pending_payment", PaymentRow.status == "paid")
        ).all()
    for top_up_id in waiting:
        credit_if_paid(db, top_up_id)
    return len(waiting)


def _mine(session: Session, customer: CustomerRow, top_up_id: str) -> CustomerTopUpRow:
    row = session.get(CustomerTopUpRow, top_up_id)
    if row is None or row.customer_id != customer.id:
        raise TopUpNotFound()
    return row


class CustomerTopUps:
    """The use cases of a member's online top-ups over the mall's database and payment desk."""

    def __init__(self, db: MallDatabase, payments: OnlinePayments) -> None:
        self.db = db
        self.payments = payments

    def create(self, customer: CustomerRow, request: NewTopUp) -> TopUpPayAnswer:
        """A new top-up for the customer's member, and its payment started."""
        top_up_id = str(uuid.uuid4())
        with self.db.write() as session:
            member = member_of(session, customer)
            store_id = request.store_id or member.store_id
            if store_id is None:
                raise Refused("store_required", "请先选择门店再充值")
            get_store(session, store_id)
            row = CustomerTopUpRow(
                id=top_up_id,
                customer_id=customer.id,
                member_id=member.id,
                store_id=store_id,
                amount_fen=request.amount_fen,
                bonus_fen=0,
                status="pending_payment",
                created_at=utc_now(),
            )
            session.add(row)
        amount = request.amount_fen
        payable = Payable(top_up_id, store_id, amount, CustomerTopUpRow, "top_up")
        started = self.payments.start(
            payable, openid=customer.openid, description=f"门店通会员充值 ¥{amount / 100:.2f}"
        )
        credit_if_paid(self.db, top_up_id)
        fields = pay_fields(started, self.payments)
        return TopUpPayAnswer(**fields, top_up=self._view(customer, top_up_id))

    def get(self, customer: CustomerRow, top_up_id: str) -> TopUp:
        """The top-up now: a payment waiting for the customer is asked about first if due."""
        with self.db.read() as session:
            pending = _mine(session, customer, top_up_id).status == "pending_payment"
        if pending:
            self.payments.live(top_up_id)
            credit_if_paid(self.db, top_up_id)
        return self._view(customer, top_up_id)

    def confirm_sandbox(self, customer: CustomerRow, payment_id: str) -> TopUp:
        """The customer pays the top-up on the sandbox's sheet; answers the top-up afterwards."""
        payment = own_payment(
            self.db, payment_id, lambda s, paid: _mine(s, customer, paid), TopUpNotFound
        )
        self.payments.confirm_sandbox(payment)
        credit_if_paid(self.db, payment.sale_draft_id)
        return self._view(customer, payment.sale_draft_id)

    def _view(self, customer: CustomerRow, top_up_id: str) -> TopUp:
        with self.db.read() as session:
            return _view(_mine(session, customer, top_up_id))
