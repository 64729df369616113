"""What the H5 shop pages share: the shopper (a logged-in member shops as a customer of the
customer API, so the phone's browser and the mini-program are one set of use cases), the store
being shopped (?s=, else the remembered one, else the first), the navigation bar and a shelf
of products with 加入购物车 forms."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.customer.auth import customer_for_openid
from mall.customer.models import CustomerRow
from mall.customer.schemas import Product
from mall.h5.login import current_member
from mall.h5.page import yuan
from mall.models import StoreRow, utc_now

STORE_COOKIE = "mdt_store"
NAV = (("/", "首页"), ("/stores", "门店"), ("/cart", "购物车"), ("/orders", "订单"), ("/m", "会员"))


def shopper(request: Request, session: Session) -> CustomerRow | None:
    """The customer the logged-in member shops as (made the first time), or None."""
    member = current_member(request, session, utc_now())
    if member is None:
        return None
    customer = customer_for_openid(session, f"h5:{member.id}")
    customer.member_id = member.id
    return customer


def shopped_store(request: Request, session: Session, chosen: str = "") -> StoreRow | None:
    for store_id in (chosen, request.cookies.get(STORE_COOKIE, "")):
        store = session.get(StoreRow, store_id[:32]) if store_id else None
        if store is not None:
            return store
    return session.scalar(select(StoreRow).order_by(StoreRow.id).limit(1))


def remember_store(response: Response, store: StoreRow | None) -> Response:
    if store is not None:
        response.set_cookie(STORE_COOKIE, store.id, max_age=365 * 86400, samesite="lax")
    return response


def nav(here: str) -> str:
    links = "".join(
        f"<a href='{path}'{' class=on' if path == here else ''}>{text}</a>" for path, text in NAV
    )
    return f"<nav class='nav' id='nav'>{links}</nav>"


def add_form(
    store_id: str,
    sku: str,
    *,
    label: str = "加入购物车",
    enabled: bool = True,
    button_id: str = "",
    mini: bool = True,
) -> str:
    """A button that puts one of sku into the cart at the store (then shows the cart)."""
    disabled = "" if enabled else " disabled"
    kind, form_kind = (" class='mini'", " class='inline'") if mini else ("", "")
    return (
        f"<form method='post' action='/cart/add'{form_kind}>"
        f"<input type='hidden' name='s' value='{escape(store_id)}'>"
        f"<input type='hidden' name='sku' value='{escape(sku)}'>"
        f"<button{kind} id='{escape(button_id or 'add-' + sku)}'{disabled}>{label}</button></form>"
    )


def shelf(store_id: str, products: Sequence[Product]) -> str:
    """Product rows: name (to its page), price, what the store can sell, 加入购物车."""
    rows = "".join(
        f"<div class='item' id='item-{escape(p.sku)}'><div>"
        f"<a href='/p/{escape(p.sku)}?s={escape(store_id)}'>{escape(p.name)}</a>"
        f"<div class='muted'>{yuan(p.price_fen)} · "
        f"{f'本店可售 {p.available}' if p.available > 0 else '暂时缺货'}</div></div>"
        f"{add_form(store_id, p.sku, enabled=p.available > 0)}</div>"
        for p in products
    )
    return rows or "<p class='muted'>没有找到商品</p>"
