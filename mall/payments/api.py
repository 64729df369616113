"""The payment API under /api/v1/payments: tills charge payment codes, follow, cancel and refund
them, and read their store's daily reconciliation; Alipay posts its notifications here.

Every till call is device-authenticated and scoped to the device's store. Pending payments are
followed by the mall itself (mall.background) and also whenever a till asks (GET).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from mall.api import Db, Device
from mall.background import Background
from mall.errors import MallError
from mall.http import LimitedRoute
from mall.payment_models import PaymentRefundRow, PaymentRow
from mall.payments.alipay import verify_notification
from mall.payments.reconcile import reconcile
from mall.payments.service import PaymentDesk, seconds_left
from mall.payments.wechat import InvalidSignature, to_xml
from mall.payments.wechat import verify_notification as verify_wechat_notification
from sync.payment_protocol import (
    CreatePayment,
    CreateRefund,
    Key,
    Payment,
    ReconciliationReport,
    Refund,
)
from sync.protocol import ErrorBody

log = logging.getLogger(__name__)
_errors = {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422, 503)}
router = APIRouter(route_class=LimitedRoute, responses=_errors)  # type: ignore[arg-type]
PaymentIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def desk(request: Request) -> PaymentDesk:
    return request.app.state.payments


def background(request: Request) -> Background:
    return request.app.state.background


def payment_view(row: PaymentRow) -> Payment:
    return Payment(
        id=row.id,
        idempotency_key=row.idempotency_key,
        sale_draft_id=row.sale_draft_id,
        attempt_no=row.attempt_no,
        provider=row.provider,  # type: ignore[arg-type]
        status="pending" if row.status == "created" else row.status,  # type: ignore[arg-type]
        amount_fen=row.amount_fen,
        refunded_fen=row.refunded_fen,
        code_masked=row.code_masked,
        provider_txn_id=row.provider_txn_id,
        error_code=row.error_code,
        message=row.message,
        seconds_left=round(seconds_left(row), 1),
        created_at=row.created_at,
        paid_at=row.paid_at,
    )


def refund_view(row: PaymentRefundRow) -> Refund:
    return Refund(
        id=row.id,
        payment_id=row.payment_id,
        idempotency_key=row.idempotency_key,
        amount_fen=row.amount_fen,
        status=row.status,  # type: ignore[arg-type]
        message=row.message,
    )


@router.post("/payments")
def create_payment(body: CreatePayment, device: Device, request: Request) -> Payment:
    """Charge a payment code: paid, failed, or pending (the customer confirms on the phone; the
    mall follows it up and reverses it at the deadline). The same idempotency_key answers the
    same payment and never charges again."""
    background(request).ensure_started()
    return payment_view(desk(request).create(device, body))


@router.get("/payments")
def find_payments(
    device: Device, request: Request, idempotency_key: Annotated[Key, Query()]
) -> list[Payment]:
    """The store's payment made with this idempotency key (none if it never reached the mall)."""
    return [payment_view(row) for row in desk(request).find(device, idempotency_key)]


@router.get("/payments/reconciliation")
def reconciliation(device: Device, db: Db, day: Annotated[date, Query()]) -> ReconciliationReport:
    """The store's reconciliation for a business day (UTC+8): provider money against till sales."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise MallError(422, "invalid_day", "day must be between 2000-01-01 and 2999-12-31")
    with db.read() as session:
        return reconcile(session, day, device.store_id)


@router.get("/payments/{payment_id}")
def get_payment(payment_id: PaymentIdPath, device: Device, request: Request) -> Payment:
    """The payment now (a query of the provider is made first if one is due)."""
    return payment_view(desk(request).get(device, payment_id))


@router.post("/payments/{payment_id}/cancel")
def cancel_payment(payment_id: PaymentIdPath, device: Device, request: Request) -> Payment:
    """Void a payment the till will not use; a paid one is reversed (the money goes back)."""
    return payment_view(desk(request).cancel(device.store_id, payment_id))


@router.post("/payments/{payment_id}/refunds")
def refund_payment(
    payment_id: PaymentIdPath, body: CreateRefund, device: Device, request: Request
) -> Refund:
    """Refund (part of) a paid payment; the same idempotency_key answers the same refund."""
    return refund_view(desk(request).refund(device.store_id, payment_id, body))


@router.post("/payments/notify/alipay", response_class=PlainTextResponse)
async def alipay_notification(request: Request) -> str:
    """Alipay's asynchronous notification: verified (RSA2), then the payment is queried at once.
    Answers "success" (Alipay stops resending) or "fail"."""
    config = desk(request).settings.alipay
    fields = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    if config is None:
        return "fail"
    try:
        verify_notification(fields, config)
    except InvalidSignature as error:
        log.warning("refused an Alipay notification: %s", error)
        return "fail"
    await run_in_threadpool(desk(request).query_now, fields.get("out_trade_no", ""))
    return "success"


MAX_NOTIFICATION_BYTES = 16 * 1024


class XmlResponse(Response):
    media_type = "text/xml"


@router.post("/payments/notify/wechat", response_class=XmlResponse)
async def wechat_notification(request: Request) -> XmlResponse:
    """WeChat Pay's payment notification (mini-program payments): verified with the merchant key,
    then the payment is queried at once (the query, not the notification, decides). Answers
    return_code SUCCESS (WeChat stops resending) or FAIL."""
    config = desk(request).settings.wechat
    body = (await request.body())[:MAX_NOTIFICATION_BYTES]
    answer = {"return_code": "FAIL", "return_msg": "refused"}
    if config is not None:
        try:
            fields = verify_wechat_notification(body, config.api_key, config.sign_type)
        except InvalidSignature as error:
            log.warning("refused a WeChat Pay notification: %s", error)
        else:
            await run_in_threadpool(desk(request).query_now, fields.get("out_trade_no", "")[:32])
            answer = {"return_code": "SUCCESS", "return_msg": "OK"}
    return XmlResponse(to_xml(answer))
