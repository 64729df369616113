"""The H5 orders, the twin of the mini-program's order list and 订单详情: the pickup code as a
QR for the till once paid, 去支付 (the sandbox's confirmation sheet stands in for WeChat Pay;
live WeChat Pay is only inside WeChat), 取消订单 with the refund. Needs a logged-in member."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from mall.api import Db
from mall.customer.models import CustomerRow
from mall.customer.orders import CustomerOrders
from mall.customer.schemas import Order
from mall.errors import MallError
from mall.h5.login import Form
from mall.h5.page import banner, html_page, qr_svg, yuan
from mall.h5.shopper import nav, shopper

router = APIRouter(include_in_schema=False)
ORDER_ID = re.compile(r"^[0-9a-f-]{36}$")
PAYMENT_ID = re.compile(r"^[0-9a-f]{32}$")
HINTS = {
    "pending_payment": "请尽快付款，超时未付款订单将自动取消",
    "paid": "商品已为您保留，请按时到店取货",
    "ready": "商品已备好，请到店取货",
    "completed": "已取货，欢迎再次光临",
    "cancelled": "订单已取消，预留的商品已释放",
}


def _orders(request: Request) -> CustomerOrders:
    return request.app.state.customer_orders


def _me(request: Request, db: Db) -> CustomerRow | None:
    with db.write() as session:
        customer = shopper(request, session)
        if customer is not None:
            session.flush()
            session.expunge(customer)
        return customer


def _items(order: Order) -> str:
    return "，".join(f"{line.name}×{line.qty}" for line in order.lines)


def _button(action: str, text: str, name: str, *, secondary: bool = False, hidden: str = "") -> str:
    kind = " class='secondary'" if secondary else ""
    return (
        f"<form method='post' action='{action}'>{hidden}"
        f"<button id='{name}'{kind}>{text}</button></form>"
    )


def _detail(order: Order, note: str = "") -> str:
    state = "ok" if order.status in ("paid", "ready", "completed") else "wait"
    pickup = (
        f"<div class='card' id='pickup'><h2>取货码（到店出示，收银员扫码交货）</h2>"
        f"{qr_svg(order.pickup_code)}<div class='code' id='code'>{escape(order.pickup_code)}</div>"
        "</div>"
        if order.pickup_code
        else ""
    )
    lines = "".join(
        f"<div class='row'><span>{escape(line.name)} × {line.qty}</span>"
        f"<span>{yuan(line.net_fen)}</span></div>"
        for line in order.lines
    )
    refunded = (
        f"<div class='row'><span>已退款</span><span id='refunded'>{yuan(order.refunded_fen)}</span>"
        "</div>"
        if order.refunded_fen
        else ""
    )
    actions = ""
    if order.can_pay:
        actions += _button(f"/o/{order.id}/pay", f"去支付 {yuan(order.total_fen)}", "pay")
    if order.can_cancel:
        actions += _button(f"/o/{order.id}/cancel", "取消订单", "cancel", secondary=True)
    return (
        nav("/orders")
        + banner(state, note or f"{order.status_text} · {HINTS.get(order.status, '')}")
        + pickup
        + f"<div class='card' id='order'><h1>{escape(order.store.name)}</h1>"
        + f"<p class='muted'>订单 {escape(order.order_no)} · 自提 {escape(order.pickup_label)}</p>"
        + f"{lines}<div class='row total'><span>合计</span><span id='total'>"
        + f"{yuan(order.total_fen)}</span></div>{refunded}"
        + (f"<p class='muted'>获得积分 {order.points_earned}</p>" if order.points_earned else "")
        + f"</div>{actions}"
    )


@router.get("/orders", response_model=None)
def order_list(request: Request, db: Db) -> Response:
    customer = _me(request, db)
    if customer is None:
        return RedirectResponse("/login?next=/orders", status_code=303)
    rows = "".join(
        f"<div class='item'><div><a href='/o/{o.id}'>{escape(o.store.name)}</a>"
        f"<div class='muted'>{escape(_items(o))}</div></div>"
        f"<span>{escape(o.status_text)} {yuan(o.total_fen)}</span></div>"
        for o in _orders(request).listed(customer, "all")
    )
    body = (
        nav("/orders")
        + "<div class='card' id='orders'><h2>我的订单</h2>"
        + (rows or "<p class='muted'>还没有订单</p>")
        + "</div>"
    )
    return html_page("我的订单", body)


def _order_page(
    request: Request,
    db: Db,
    order_id: str,
    run: Callable[[CustomerRow], Order | Response],
    note: str = "",
) -> Response:
    """Run a use case on the customer's order and show the order (or what run answers); a
    refusal is shown above the order as it stands."""
    customer = _me(request, db)
    if customer is None:
        return RedirectResponse(f"/login?next=/o/{order_id}", status_code=303)
    if not ORDER_ID.match(order_id):
        return html_page("订单", banner("bad", "没有找到这个订单"), status=404)
    try:
        result = run(customer)
    except MallError as error:
        order = _orders(request).get(customer, order_id) if error.status_code != 404 else None
        if order is None:
            return html_page("订单", banner("bad", error.message), status=error.status_code)
        return html_page("订单详情", _detail(order, error.message), status=error.status_code)
    return result if isinstance(result, Response) else html_page("订单详情", _detail(result, note))


@router.get("/o/{order_id}", response_model=None)
def order_page(order_id: str, request: Request, db: Db) -> Response:
    return _order_page(request, db, order_id, lambda me: _orders(request).get(me, order_id))


@router.post("/o/{order_id}/pay", response_model=None)
def pay(order_id: str, request: Request, db: Db) -> Response:
    """Start (or answer the started) payment: the sandbox's sheet, or pay inside WeChat."""

    def start(me: CustomerRow) -> Response | Order:
        answer = _orders(request).pay(me, order_id)
        if answer.status != "pending" or answer.params is None:
            return answer.order
        if not answer.sandbox:
            raise MallError(409, "pay_in_wechat", "请在微信中打开门店通小程序完成支付")
        hidden = f"<input type='hidden' name='payment' value='{answer.payment_id}'>"
        body = (
            "<div class='card' id='sheet'><h1>沙箱支付</h1>"
            f"<p>支付 {yuan(answer.order.total_fen)}（测试环境，不会真实扣款）</p>"
            + _button(f"/o/{order_id}/confirm", "确认支付", "confirm", hidden=hidden)
            + f"<a class='button secondary' href='/o/{order_id}'>取消</a></div>"
        )
        return html_page("沙箱支付", body)

    return _order_page(request, db, order_id, start)


@router.post("/o/{order_id}/confirm", response_model=None)
def confirm(order_id: str, request: Request, form: Form, db: Db) -> Response:
    payment_id = form.get("payment", "")

    def run(me: CustomerRow) -> Order:
        if not PAYMENT_ID.match(payment_id):
            raise MallError(400, "invalid_payment", "支付信息有误，请重新支付")
        return _orders(request).confirm_sandbox(me, payment_id)

    return _order_page(request, db, order_id, run, "支付成功，请按时到店取货")


@router.post("/o/{order_id}/cancel", response_model=None)
def cancel(order_id: str, request: Request, db: Db) -> Response:
    def run(me: CustomerRow) -> Order:
        return _orders(request).cancel(me, order_id)

    return _order_page(request, db, order_id, run)
