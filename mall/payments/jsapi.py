"""Payments customers make on the phone for their online orders (WeChat Pay JSAPI), kept in the
payment desk's table and followed up by the desk like every other payment (query while pending,
close at the deadline, refund).

An order has at most one payment that is open or paid: a repeated request (a double tap, a
retry after a lost answer) answers that payment again and never opens a second trade, so an
order can never be charged twice. Only after a payment failed or was closed may a new one
start (the next attempt_no). No provider call is made inside a database transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mall.errors import MallError, NotFound
from mall.models import Base, utc_now
from mall.payment_models import PaymentRow
from mall.payments.gateway import JsapiCharge, Outcome, ProviderUnreachable, TradeAnswer
from mall.payments.service import OPEN, PaymentDesk

LIVE_STATUSES = (*OPEN, "paid")


class PaymentNotConfigured(MallError):
    def __init__(self) -> None:
        super().__init__(503, "payment_not_configured", "本店暂未开通微信支付，请到店付款")


@dataclass(frozen=True)
class Payable:
    """What a customer pays on the phone: an online order, or a stored-value top-up
    (mall.customer.top_ups). Its row (of the table `row`, by id) is locked while a payment
    starts; kind names it in the payment's idempotency key."""

    id: str
    store_id: str
    amount_fen: int
    row: type[Base]
    kind: str


@dataclass(frozen=True)
class Started:
    """The order's payment and, while it waits for the customer, what the phone pays with."""

    payment: PaymentRow
    client: dict[str, str] | None


class OnlinePayments:
    def __init__(self, desk: PaymentDesk) -> None:
        self.desk = desk

    def of_order(self, order_id: str) -> list[PaymentRow]:
        """The order's payments, the newest first."""
        with self.desk.db.read() as session:
            rows = session.scalars(
                select(PaymentRow)
                .where(PaymentRow.sale_draft_id == order_id)
                .order_by(PaymentRow.attempt_no.desc())
            ).all()
            for row in rows:
                session.expunge(row)  # usable after the read-only session ends
            return list(rows)

    def live(self, order_id: str) -> PaymentRow | None:
        """The order's open or paid payment, brought up to date if a query is due."""
        for row in self.of_order(order_id):
            if row.status in LIVE_STATUSES:
                return self.desk.advance(row.id) if row.status in OPEN else row
        return None

    def start(self, order: Payable, *, openid: str, description: str) -> Started:
        """Pay the order (or top-up): its open or paid payment if there is one, else a new
        trade."""
        gateway = self.desk.gateways.jsapi()
        if gateway is None:
            raise PaymentNotConfigured()
        row, is_new = self._insert(order, gateway.name)
        if not is_new:
            row = self.desk.advance(row.id) if row.status in OPEN else row
            waiting = row.status == "pending" and row.prepay_id
            return Started(row, gateway.client_params(row.prepay_id) if waiting else None)
        charge = JsapiCharge(row.id, row.amount_fen, description, openid, order.store_id)
        try:
            prepay = gateway.prepay(charge)
        except ProviderUnreachable:
            row = self.desk.record(
                row.id, TradeAnswer(Outcome.FAILED, message="微信支付暂时无法连接，请稍后重试")
            )
            return Started(row, None)
        with self.desk.db.write() as session:
            stored = session.get(PaymentRow, row.id, with_for_update=True)
            assert stored is not None
            stored.prepay_id = prepay.prepay_id
        row = self.desk.record(
            row.id, TradeAnswer(Outcome.USERPAYING, message="等待顾客在手机上支付")
        )
        return Started(row, prepay.client)

    def _insert(self, order: Payable, gateway: str) -> tuple[PaymentRow, bool]:
        """The order's live payment (False), or a new one stored before the provider is asked
        (True). The order row is locked meanwhile, so two requests cannot both start one."""
        try:
            with self.desk.db.write() as session:
                session.get(order.row, order.id, with_for_update=True)
                rows = session.scalars(
                    select(PaymentRow).where(PaymentRow.sale_draft_id == order.id)
                ).all()
                live = [row for row in rows if row.status in LIVE_STATUSES]
                if live:
                    return live[0], False
                row = self._new_row(order, gateway, attempt_no=len(rows) + 1)
                session.add(row)
                return row, True
        except IntegrityError:  # the same attempt started at once elsewhere: answer that one
            found = self.live(order.id)
            if found is None:
                raise
            return found, False

    def _new_row(self, order: Payable, gateway: str, *, attempt_no: int) -> PaymentRow:
        now = utc_now()
        deadline = now + timedelta(seconds=self.desk.settings.jsapi_deadline_s)
        return PaymentRow(
            id=uuid.uuid4().hex,
            store_id=order.store_id,
            device_id=None,
            till_id="",
            idempotency_key=f"{order.kind}:{order.id}:{attempt_no}",
            sale_draft_id=order.id,
            attempt_no=attempt_no,
            provider="wechat",
            gateway=gateway,
            amount_fen=order.amount_fen,
            code_masked="",
            code_sha256="",
            status="created",
            message="正在发起微信支付",
            created_at=now,
            updated_at=now,
            deadline_at=deadline,
            next_query_at=deadline,
        )

    def confirm_sandbox(self, payment: PaymentRow) -> PaymentRow:
        """The customer pays on the sandbox's sheet (only for sandbox payments)."""
        if payment.gateway != self.desk.gateways.sandbox.name:
            raise NotFound("no sandbox payment with this id")
        answer = self.desk.gateways.sandbox.confirm(payment.id)
        return self.desk.record(payment.id, answer)
