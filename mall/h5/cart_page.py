"""The H5 cart and checkout, the twin of the mini-program's cart and 确认订单 pages: lines
with − / + (checked against the store's shelf, a line it cannot supply says why), a pickup
slot, 提交订单 (the goods are reserved at once) and on to payment. Needs a logged-in member."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from mall.api import Db
from mall.customer.cart import cart_view, set_qty
from mall.customer.orders import CustomerOrders
from mall.customer.schemas import CartChange, PlaceOrder
from mall.customer.stores import pickup_slots
from mall.errors import MallError
from mall.h5.login import Form
from mall.h5.page import banner, html_page, yuan
from mall.h5.shopper import nav, remember_store, shopped_store, shopper
from mall.models import utc_now

router = APIRouter(include_in_schema=False)


def _login(next_path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={next_path}", status_code=303)


def _qty_form(store_id: str, sku: str, qty: int, text: str, name: str) -> str:
    return (
        "<form method='post' action='/cart/set' class='inline'>"
        f"<input type='hidden' name='s' value='{escape(store_id)}'>"
        f"<input type='hidden' name='sku' value='{escape(sku)}'>"
        f"<input type='hidden' name='qty' value='{qty}'>"
        f"<button class='mini secondary' id='{name}-{escape(sku)}'>{text}</button></form>"
    )


@router.get("/cart", response_model=None)
def cart_page(request: Request, db: Db) -> Response:
    return _render(request, db)


def _render(request: Request, db: Db, error: str = "", status: int = 200) -> Response:
    """The cart page; error (a refusal of the last change) shown above it."""
    now = utc_now()
    with db.write() as session:
        customer = shopper(request, session)
        if customer is None:
            return _login("/cart")
        store = shopped_store(request, session)
        if store is None:
            return html_page("购物车", banner("wait", "暂时没有营业的门店"))
        cart = cart_view(session, customer, store.id)
        slots = pickup_slots(store, now=now)
    lines = "".join(
        f"<div class='item' id='line-{escape(line.sku)}'><div>{escape(line.name)}"
        f"<div class='muted'>{yuan(line.unit_price_fen)} × {line.qty} = {yuan(line.line_fen)}"
        f"{' · ' + escape(line.problem) if line.problem else ''}</div></div><div class='row'>"
        f"{_qty_form(store.id, line.sku, line.qty - 1, '−', 'less')}"
        f"{_qty_form(store.id, line.sku, line.qty + 1, '+', 'more')}</div></div>"
        for line in cart.lines
    )
    options = "".join(
        f"<option value='{slot.start.isoformat()}'>{escape(slot.label)}</option>" for slot in slots
    )
    checkout = (
        "<form method='post' action='/checkout' class='card' id='checkout'>"
        f"<input type='hidden' name='s' value='{escape(store.id)}'>"
        f"<h2>到店自提 · {escape(store.name)}</h2><label for='slot'>取货时间</label>"
        f"<select name='pickup_start' id='slot'>{options}</select>"
        f"<button id='submit'>提交订单 {yuan(cart.total_fen)}</button></form>"
        if cart.can_order and slots
        else ""
    )
    body = (
        nav("/cart")
        + (banner("bad", error[:100]) if error else "")
        + f"<div class='card' id='cart'><h2>购物车 · {escape(store.name)}</h2>"
        + (lines or "<p class='muted'>购物车是空的</p>")
        + f"<div class='row total'><span>合计 {cart.count} 件</span>"
        + f"<span id='total'>{yuan(cart.total_fen)}</span></div></div>"
        + checkout
    )
    return html_page("购物车", body, status=status)


def _change(request: Request, db: Db, form: dict[str, str], *, add: bool) -> Response:
    try:
        change = CartChange(
            store_id=form.get("s", ""), sku=form.get("sku", ""), qty=int(form.get("qty", "1"))
        )
    except (ValidationError, ValueError):
        return _render(request, db, "请求内容有误，请刷新后重试", 400)
    refusal = ""
    with db.write() as session:
        customer = shopper(request, session)
        if customer is None:
            return _login("/cart")
        try:
            set_qty(
                session, customer, change.store_id, change.sku, change.qty, add=add, now=utc_now()
            )
        except MallError as error:
            refusal = error.message
        store = shopped_store(request, session, change.store_id)
    if refusal:
        return remember_store(_render(request, db, refusal, 409), store)
    return remember_store(RedirectResponse("/cart", status_code=303), store)


@router.post("/cart/add", response_model=None)
def add(request: Request, form: Form, db: Db) -> Response:
    """加入购物车 / 到店自提 from a shelf or a product page."""
    return _change(request, db, form, add=True)


@router.post("/cart/set", response_model=None)
def set_line(request: Request, form: Form, db: Db) -> Response:
    return _change(request, db, form, add=False)


@router.post("/checkout", response_model=None)
def checkout(request: Request, form: Form, db: Db) -> Response:
    """Place the pickup order (goods reserved now), then pay."""
    orders: CustomerOrders = request.app.state.customer_orders
    with db.write() as session:
        customer = shopper(request, session)
        if customer is None:
            return _login("/cart")
        session.expunge(customer)
    try:
        order = orders.place(
            customer,
            PlaceOrder.model_validate(
                {"store_id": form.get("s", ""), "pickup_start": form.get("pickup_start", "")}
            ),
        )
    except ValidationError:
        return _render(request, db, "请选择取货时间", 400)
    except MallError as error:
        return _render(request, db, error.message, 409)
    return RedirectResponse(f"/o/{order.id}?pay=1", status_code=303)
