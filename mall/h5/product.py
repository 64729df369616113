"""The product page a shelf label's QR code opens: /p/<sku>?s=<store>. It shows the price at
that store, whether that store has it now, the other stores' availability, and how to pick it up
in store (到店自提)."""

from __future__ import annotations

import re
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.api import Db
from mall.catalog_view import products_by_sku
from mall.h5.page import banner, html_page, yuan
from mall.h5.shopper import add_form, nav
from mall.models import StoreRow
from mall.stock import stock_level
from sync.protocol import ProductData

router = APIRouter(include_in_schema=False)
SKU = re.compile(r"^[\x21-\x7e]{1,32}$")


def _availability(session: Session, store: StoreRow, sku: str) -> int:
    return stock_level(session, store.id, sku).available


def _pickup_card(store: StoreRow, sku: str, available: int) -> str:
    if available > 0:
        state = f"<span class='tag'>有货 {available}</span>"
        button = add_form(store.id, sku, label="到店自提", button_id="pickup", mini=False)
    else:
        state = "<span class='tag' style='background:#fff1f0;color:#c41d1d'>暂时缺货</span>"
        button = add_form(
            store.id,
            sku,
            label="到店自提（暂时缺货）",
            enabled=False,
            button_id="pickup",
            mini=False,
        )
    hours = store.hours or "以门店为准"
    return (
        f"<div class='card' id='availability'><h2>本店库存</h2><h1>{escape(store.name)}{state}</h1>"
        f"<p class='muted'>{escape(store.address)} · 营业时间 {escape(hours)}</p>"
        f"{button}<p class='muted'>下单付款后，凭取货码到店自提，无需排队结账。</p></div>"
    )


def _other_stores(session: Session, store_id: str, sku: str) -> str:
    stores = session.scalars(select(StoreRow).where(StoreRow.id != store_id).order_by(StoreRow.id))
    rows = "".join(
        f"<div class='row'><a href='/p/{escape(sku)}?s={escape(other.id)}'>{escape(other.name)}</a>"
        f"<span>{'有货' if _availability(session, other, sku) > 0 else '缺货'}</span></div>"
        for other in stores
    )
    return f"<div class='card' id='others'><h2>其他门店</h2>{rows}</div>" if rows else ""


def _price_card(product: ProductData) -> str:
    member = (
        f"<p>会员价 <b>{yuan(product.member_price_fen)}</b></p>"
        if product.member_price_fen is not None and product.member_price_fen < product.price_fen
        else ""
    )
    return (
        f"<div class='card' id='product'><h1>{escape(product.name)}</h1>"
        f"<div class='big' id='price'>{yuan(product.price_fen)}"
        f"<span class='muted'> / {escape(product.unit)}</span></div>{member}</div>"
    )


@router.get("/p/{sku}")
def product_page(sku: str, db: Db, s: str = "") -> HTMLResponse:
    with db.read() as session:
        store = session.get(StoreRow, s[:32]) if s else None
        product = (
            products_by_sku(session, store.id if store else "", [sku]).get(sku)
            if SKU.match(sku)
            else None
        )
        if product is None or product.status != "active":
            return html_page("商品", banner("bad", "这件商品不存在或已下架"), status=404)
        body = nav("/") + _price_card(product)
        if store is None:
            body += banner("wait", "没有找到这个门店，下面是各门店的库存")
        else:
            body += _pickup_card(store, sku, _availability(session, store, sku))
        body += _other_stores(session, store.id if store else "", sku)
        return html_page(product.name, body)
