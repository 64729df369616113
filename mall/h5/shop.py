"""The H5 shop's browsing pages, the twin of the mini-program's home, store list, category and
search pages: / (the store, search, categories, its shelf), /stores (nearest first, by the
phone's position when the customer allows it) and /products (a category or a search)."""

from __future__ import annotations

from html import escape
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from mall.api import Db
from mall.customer.schemas import Store
from mall.customer.shelf import MAX_PAGE, categories, products
from mall.customer.stores import store_view, stores_by_distance
from mall.h5.page import banner, html_page
from mall.h5.shopper import nav, remember_store, shelf, shopped_store
from mall.models import utc_now

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=64)]
LOCATE_SCRIPT = """
document.getElementById('locate')?.addEventListener('click',()=>{navigator.geolocation&&
navigator.geolocation.getCurrentPosition(p=>{location.search='?lat='+p.coords.latitude.toFixed(4)
+'&lng='+p.coords.longitude.toFixed(4)})});
"""


def _store_card(view: Store) -> str:
    state = "营业中" if view.open_now else "休息中"
    return (
        f"<div class='card' id='store'><h1>{escape(view.name)}<span class='tag'>{state}</span>"
        f"</h1><p class='muted'>{escape(view.address)} · 营业 "
        f"{escape(view.hours or '以门店为准')}</p>"
        "<a class='button secondary' href='/stores'>切换门店</a></div>"
    )


def _search_form(q: str = "") -> str:
    return (
        "<form method='get' action='/products' class='card' id='search'>"
        f"<input name='q' value='{escape(q)}' placeholder='搜索商品名、拼音首字母或条码'></form>"
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: Db, s: Text = "") -> HTMLResponse:
    with db.read() as session:
        store = shopped_store(request, session, s)
        if store is None:
            return html_page("门店通商城", banner("wait", "暂时没有营业的门店"))
        view = store_view(store, now=utc_now())
        chips = "".join(
            f"<a href='/products?category={quote(c.name)}'>{escape(c.name)}</a>"
            for c in categories(session, store.id)
        )
        page = products(session, store.id, category=None, q=None, offset=0, limit=20)
    body = (
        nav("/")
        + _store_card(view)
        + _search_form()
        + f"<div class='card'><h2>分类</h2><div class='chips' id='categories'>{chips}</div></div>"
        + f"<div class='card' id='shelf'><h2>本店商品</h2>{shelf(store.id, page.items)}</div>"
    )
    return remember_store(html_page("门店通商城", body), store)  # type: ignore[return-value]


@router.get("/stores", response_class=HTMLResponse)
def stores(db: Db, lat: float | None = None, lng: float | None = None) -> HTMLResponse:
    with db.read() as session:
        found = stores_by_distance(session, now=utc_now(), lat=lat, lng=lng)
    rows = "".join(
        f"<div class='item' id='store-{escape(s.id)}'><div><a href='/?s={escape(s.id)}'>"
        f"{escape(s.name)}</a><div class='muted'>{escape(s.address)} · 营业 "
        f"{escape(s.hours or '以门店为准')}{'' if s.open_now else ' · 休息中'}</div></div>"
        f"<span>{f'{s.distance_km:.1f} km' if s.distance_km is not None else ''}</span></div>"
        for s in found
    )
    body = (
        nav("/stores")
        + "<div class='card'><h2>选择门店</h2>"
        + "<button class='secondary' id='locate' type='button'>用我的位置找最近的门店</button>"
        + f"{rows}</div>"
    )
    return html_page("选择门店", body, script=LOCATE_SCRIPT)


@router.get("/products", response_class=HTMLResponse)
def product_list(
    request: Request,
    db: Db,
    q: Text = "",
    category: Text = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> HTMLResponse:
    with db.read() as session:
        store = shopped_store(request, session)
        if store is None:
            return html_page("商品", banner("wait", "暂时没有营业的门店"))
        page = products(
            session,
            store.id,
            category=category or None,
            q=q or None,
            offset=offset,
            limit=MAX_PAGE,
        )
    title = f"“{q}”的搜索结果" if q else (category or "全部商品")
    more = (
        f"<a class='button secondary' href='/products?q={quote(q)}&category={quote(category)}"
        f"&offset={offset + MAX_PAGE}'>下一页</a>"
        if page.has_more
        else ""
    )
    body = (
        nav("/")
        + _search_form(q)
        + f"<div class='card' id='shelf'><h2>{escape(title)} · {page.total} 件 · "
        + f"{escape(store.name)}</h2>{shelf(store.id, page.items)}{more}</div>"
    )
    return html_page(title, body)
