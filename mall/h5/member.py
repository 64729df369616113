"""The member page: balances, the points history, the dynamic member code (QR + digits,
refreshed by the page every minute from /m/code), the nearest store and what it has in stock."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.api import Db
from mall.catalog_view import products_by_sku
from mall.customer.stores import nearest_store as nearest_located_store
from mall.h5.login import current_member, member_settings
from mall.h5.page import html_page, qr_svg, yuan
from mall.h5.shopper import nav
from mall.members.ledger import (
    POINTS_SOURCE_TEXT,
    expiring_points,
    points_balance,
    show_member_code,
    stored_value_balance,
)
from mall.members.models import MemberRow, PointsEntryRow
from mall.members.settings import MemberSettings
from mall.members.top_ups import top_up_offer
from mall.models import StockOnHandRow, StoreRow, utc_now
from mall.stock import stock_level

router = APIRouter(include_in_schema=False)
HISTORY_ROWS = 30
SHOWN_PRODUCTS = 8
LOGOUT_FORM = (
    "<form method='post' action='/logout'><button class='secondary'>退出登录</button></form>"
)
REFRESH_SCRIPT = """
const box=document.getElementById('code');
async function refresh(){try{const r=await fetch('/m/code',{cache:'no-store'});
if(!r.ok)return;const c=await r.json();box.querySelector('.qr').outerHTML=c.svg;
document.getElementById('digits').textContent=c.digits;}catch(e){}}
setInterval(refresh,%d);
document.getElementById('locate')?.addEventListener('click',()=>{navigator.geolocation&&
navigator.geolocation.getCurrentPosition(p=>{location.search='?lat='+p.coords.latitude.toFixed(4)
+'&lng='+p.coords.longitude.toFixed(4)})});
"""


def nearest_store(
    session: Session, member: MemberRow, lat: float | None, lng: float | None
) -> tuple[StoreRow | None, float | None]:
    """The store closest to (lat, lng) among stores with a location; without a position, the
    store where the member joined, else the first store."""
    best, away = nearest_located_store(session, lat=lat, lng=lng)
    if best is not None:
        return best, away
    stores = list(session.scalars(select(StoreRow).order_by(StoreRow.id)))
    home = next((s for s in stores if s.id == member.store_id), None)
    return home or (stores[0] if stores else None), None


def in_stock(session: Session, store_id: str) -> list[tuple[Any, int]]:
    """A few products available at the store now: (ProductData, available), most stocked first."""
    skus = list(
        session.scalars(
            select(StockOnHandRow.sku)
            .where(StockOnHandRow.store_id == store_id, StockOnHandRow.qty > 0)
            .order_by(StockOnHandRow.qty.desc())
            .limit(SHOWN_PRODUCTS * 2)
        )
    )
    products = products_by_sku(session, store_id, skus)
    shown = []
    for sku in skus:
        available = stock_level(session, store_id, sku).available
        product = products.get(sku)
        if product is not None and product.status == "active" and available > 0:
            shown.append((product, available))
    return shown[:SHOWN_PRODUCTS]


def _code_card(session: Session, member: MemberRow, settings: MemberSettings) -> str:
    shown = show_member_code(session, member, now=utc_now(), limits=settings)
    code, digits = shown.code, shown.digits
    return (
        "<div class='card' id='code'><h2>会员码（结账时出示给收银员）</h2>"
        f"{qr_svg(code)}<div class='digits' id='digits'>{escape(digits)}</div>"
        f"<p class='muted' style='text-align:center'>每 {settings.member_code_refresh_s} 秒自动刷新"
        "，截图无效</p></div>"
    )


def _history(session: Session, member: MemberRow) -> str:
    entries = session.scalars(
        select(PointsEntryRow)
        .where(PointsEntryRow.member_id == member.id)
        .order_by(PointsEntryRow.id.desc())
        .limit(HISTORY_ROWS)
    )
    rows = "".join(
        f"<tr><td>{entry.created_at.strftime('%m-%d')} "
        f"{POINTS_SOURCE_TEXT.get(entry.source, entry.source)}"
        f"</td><td class='{'plus' if entry.delta > 0 else 'minus'}'>{entry.delta:+d}</td></tr>"
        for entry in entries
    )
    return (
        "<div class='card' id='history'><h2>积分明细</h2>"
        + (f"<table>{rows}</table>" if rows else "<p class='muted'>还没有积分记录</p>")
        + "</div>"
    )


def _store_card(session: Session, member: MemberRow, lat: float | None, lng: float | None) -> str:
    store, distance = nearest_store(session, member, lat, lng)
    if store is None:
        return ""
    away = f"<span class='tag'>{distance:.1f} km</span>" if distance is not None else ""
    products = "".join(
        f"<div class='row'><a href='/p/{escape(p.sku)}?s={escape(store.id)}'>{escape(p.name)}</a>"
        f"<span>{yuan(p.price_fen)}</span></div>"
        for p, _available in in_stock(session, store.id)
    )
    return (
        f"<div class='card' id='store'><h2>附近门店</h2><h1>{escape(store.name)}{away}</h1>"
        f"<p class='muted'>{escape(store.address)} {escape(store.hours)}</p>"
        "<button class='secondary' id='locate' type='button'>用我的位置找最近的门店</button>"
        f"<h2 style='margin-top:12px'>门店有货</h2>{products or '<p class=muted>暂无</p>'}</div>"
    )


def _summary(session: Session, member: MemberRow, now: datetime) -> str:
    points = points_balance(session, member.id) - expiring_points(session, member.id, now)
    stored = stored_value_balance(session, member.id)
    tier = f"<span class='tag'>{escape(member.tier)}</span>" if member.tier else ""
    return (
        f"<div class='card' id='summary'><h1>{escape(member.name or '会员')} "
        f"****{escape(member.phone[-4:])}{tier}</h1>"
        f"<p class='muted'>会员卡号 {escape(member.card_no)}</p><div class='stats'>"
        f"<div><div class='big' id='points'>{points}</div>"
        "<div class='muted'>积分</div></div>"
        f"<div><div class='big'>{yuan(stored)}</div>"
        "<div class='muted'>储值余额</div></div></div>"
        f"{_top_up_offer(session)}</div>"
    )


def _top_up_offer(session: Session) -> str:
    """The chain's top-up bonus, read-only: top-ups are taken at the till."""
    offer = top_up_offer(session)
    return f"<p class='muted' id='top-up-offer'>{escape(offer)}</p>" if offer else ""


@router.get("/m", response_model=None)
def member_page(
    request: Request, db: Db, lat: float | None = None, lng: float | None = None
) -> Response:
    now, settings = utc_now(), member_settings(request)
    with db.write() as session:
        member = current_member(request, session, now)
        if member is None:
            return RedirectResponse("/login?next=/m", status_code=303)
        body = (
            nav("/m")
            + _summary(session, member, now)
            + _code_card(session, member, settings)
            + _store_card(session, member, lat, lng)
            + _history(session, member)
            + LOGOUT_FORM
        )
    return html_page(
        "我的会员", body, script=REFRESH_SCRIPT % (settings.member_code_refresh_s * 1000)
    )


@router.get("/m/code", response_model=None)
def fresh_code(request: Request, db: Db) -> Response:
    """A fresh member code for the page to show: {svg, digits, expires_in}; the digits shown
    before stop working."""
    now, settings = utc_now(), member_settings(request)
    with db.write() as session:
        member = current_member(request, session, now)
        if member is None:
            return JSONResponse({"message": "请先登录"}, status_code=401)
        shown = show_member_code(session, member, now=now, limits=settings)
    return JSONResponse(
        {
            "svg": qr_svg(shown.code),
            "digits": shown.digits,
            "expires_in": settings.member_code_ttl_s,
        },
        headers={"Cache-Control": "no-store"},
    )
