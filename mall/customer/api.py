"""The customer API under /customer/v1 (in the OpenAPI document, tag "customer"): what the
mini-program's typed client (miniprogram/src/api.ts) calls. Stores and the shelf are public;
everything else needs the customer's session (`Authorization: Bearer <token>` from
POST /auth/wechat). Every answer a customer may see carries a Chinese `message` on failure.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mall.api import Db
from mall.customer import member as members
from mall.customer.auth import customer_for_openid, customer_of
from mall.customer.cart import cart_view, set_qty
from mall.customer.models import CustomerRow, CustomerSessionRow
from mall.customer.orders import CustomerOrders
from mall.customer.schemas import (
    BindPhone,
    Cart,
    CartChange,
    Category,
    ClaimAnswer,
    ClaimedReceipt,
    ClaimReceipt,
    LedgerEntry,
    LoginAnswer,
    Member,
    MemberCode,
    NewTopUp,
    Order,
    PayAnswer,
    PickupSlot,
    PlaceOrder,
    ProductDetail,
    ProductPage,
    Sku,
    Store,
    StoreId,
    TopUp,
    TopUpPayAnswer,
    WeChatLogin,
)
from mall.customer.shelf import MAX_PAGE, categories, product_detail, products
from mall.customer.stores import (
    StoreNotFound,
    get_store,
    nearest_store,
    pickup_slots,
    store_view,
    stores_by_distance,
)
from mall.customer.top_ups import CustomerTopUps
from mall.customer.wechat import WeChatAccount
from mall.http import LimitedRoute, client_ip
from mall.members.rate_limits import count_first, forgive
from mall.members.settings import MemberSettings
from mall.models import utc_now
from mall.sessions import start_session
from sync.protocol import ErrorBody

PREFIX = "/customer/v1"
_errors = {code: {"model": ErrorBody} for code in (401, 404, 409, 422, 429, 503)}
router = APIRouter(
    prefix=PREFIX,
    tags=["customer"],
    route_class=LimitedRoute,  # type: ignore[arg-type]
    responses=_errors,  # type: ignore[arg-type]
)
WECHAT_FAILURES = "wechat_fail"  # rate_counters.scope is at most 16 characters
_bearer = HTTPBearer(auto_error=False, description="the token from POST /auth/wechat")
Lat = Annotated[float | None, Query(ge=-90, le=90)]
Lng = Annotated[float | None, Query(ge=-180, le=180)]
StorePath = Annotated[StoreId, Path()]
OrderIdPath = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
PaymentIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


def _orders(request: Request) -> CustomerOrders:
    return request.app.state.customer_orders


def _top_ups(request: Request) -> CustomerTopUps:
    return request.app.state.customer_top_ups


def _wechat(request: Request) -> WeChatAccount:
    return request.app.state.settings.wechat


def _limits(request: Request) -> MemberSettings:
    return request.app.state.settings.members


def current_customer(
    db: Db, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> CustomerRow:
    header = f"Bearer {credentials.credentials}" if credentials else None
    with db.read() as session:
        customer = customer_of(session, header, now=utc_now())
        session.expunge(customer)
        return customer


Customer = Annotated[CustomerRow, Depends(current_customer)]
Orders = Annotated[CustomerOrders, Depends(_orders)]
TopUps = Annotated[CustomerTopUps, Depends(_top_ups)]


def _count_wechat_attempt(db: Db, request: Request) -> str:
    """Count a WeChat code exchange from this address before it is tried (each one costs a call
    to WeChat); the caller forgives it once it worked, so only refused codes lock out."""
    limits, ip = _limits(request), client_ip(request)
    count_first(
        db,
        WECHAT_FAILURES,
        ip,
        limit=limits.wechat_failures_per_ip,
        window=timedelta(seconds=limits.lockout_s),
        message=f"微信授权失败次数过多，请 {limits.lockout_s // 60} 分钟后再试",
    )
    return ip


# -- log-in -----------------------------------------------------------------------------------


@router.post("/auth/wechat")
def log_in(body: WeChatLogin, db: Db, request: Request) -> LoginAnswer:
    """Exchange wx.login's code (WeChat code2session) for a customer session token."""
    ip = _count_wechat_attempt(db, request)
    openid = _wechat(request).openid(body.code)
    ttl_s = request.app.state.settings.customer_session_s
    with db.write() as session:
        forgive(session, WECHAT_FAILURES, ip)
        customer = customer_for_openid(session, openid)
        token = start_session(
            session,
            CustomerSessionRow.customer_id,
            customer.id,
            now=utc_now(),
            ttl=timedelta(seconds=ttl_s),
        )
        return LoginAnswer(
            token=token,
            expires_in=ttl_s,
            customer_id=customer.id,
            is_member=customer.member_id is not None,
        )


# -- stores and shelf (public) ----------------------------------------------------------------


@router.get("/stores")
def stores(db: Db, lat: Lat = None, lng: Lng = None) -> list[Store]:
    """Every store with its hours and whether it is open now; nearest first given a position."""
    with db.read() as session:
        return stores_by_distance(session, now=utc_now(), lat=lat, lng=lng)


@router.get("/stores/nearest")
def nearest(
    db: Db,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lng: Annotated[float, Query(ge=-180, le=180)],
) -> Store:
    """The store closest to the position."""
    with db.read() as session:
        found, _away = nearest_store(session, lat=lat, lng=lng)
        if found is None:
            raise StoreNotFound()
        return store_view(found, now=utc_now(), lat=lat, lng=lng)


@router.get("/stores/{store_id}")
def store(store_id: StorePath, db: Db) -> Store:
    with db.read() as session:
        return store_view(get_store(session, store_id), now=utc_now())


@router.get("/stores/{store_id}/pickup-slots")
def slots(store_id: StorePath, db: Db) -> list[PickupSlot]:
    """The half-hour pickup slots the store offers next (within its opening hours)."""
    with db.read() as session:
        return pickup_slots(get_store(session, store_id), now=utc_now())


@router.get("/stores/{store_id}/categories")
def store_categories(store_id: StorePath, db: Db) -> list[Category]:
    with db.read() as session:
        return categories(session, store_id)


@router.get("/stores/{store_id}/products")
def store_products(
    store_id: StorePath,
    db: Db,
    category: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
) -> ProductPage:
    """A page of the store's shelf: by category, or searched by name, pinyin or barcode."""
    with db.read() as session:
        return products(session, store_id, category=category, q=q, offset=offset, limit=limit)


@router.get("/stores/{store_id}/products/{sku}")
def store_product(store_id: StorePath, sku: Annotated[Sku, Path()], db: Db) -> ProductDetail:
    """One product at the store: price, member price and what the store can sell now."""
    with db.read() as session:
        return product_detail(session, store_id, sku, now=utc_now())


# -- cart -------------------------------------------------------------------------------------


@router.get("/cart")
def cart(customer: Customer, db: Db, store_id: Annotated[StoreId, Query()]) -> Cart:
    with db.read() as session:
        get_store(session, store_id)
        return cart_view(session, customer, store_id)


@router.post("/cart/items")
def add_to_cart(body: CartChange, customer: Customer, db: Db) -> Cart:
    """Add qty of a product (refused beyond what the store can sell now)."""
    with db.write() as session:
        return set_qty(
            session, customer, body.store_id, body.sku, body.qty, add=True, now=utc_now()
        )


@router.put("/cart/items")
def set_cart_qty(body: CartChange, customer: Customer, db: Db) -> Cart:
    """Set a line's quantity; 0 takes it out."""
    with db.write() as session:
        return set_qty(
            session, customer, body.store_id, body.sku, body.qty, add=False, now=utc_now()
        )


# -- orders and payment -----------------------------------------------------------------------


@router.post("/orders")
def place_order(body: PlaceOrder, customer: Customer, orders: Orders) -> Order:
    """The cart at the store becomes a pickup order for the slot; the goods are reserved now."""
    return orders.place(customer, body)


@router.get("/orders")
def list_orders(
    customer: Customer, orders: Orders, status: Literal["all", "open", "done"] = "all"
) -> list[Order]:
    """The customer's orders, newest first."""
    return orders.listed(customer, status)


@router.get("/orders/{order_id}")
def get_order(order_id: OrderIdPath, customer: Customer, orders: Orders) -> Order:
    return orders.get(customer, order_id)


@router.post("/orders/{order_id}/pay")
def pay_order(order_id: OrderIdPath, customer: Customer, orders: Orders) -> PayAnswer:
    """WeChat Pay (JSAPI) for the order: the fields for wx.requestPayment, or the payment
    already started or made (an order is never charged twice)."""
    return orders.pay(customer, order_id)


@router.post("/sandbox/payments/{payment_id}/confirm")
def confirm_sandbox_payment(payment_id: PaymentIdPath, customer: Customer, orders: Orders) -> Order:
    """The sandbox's payment sheet: the customer confirms paying (sandbox payments only)."""
    return orders.confirm_sandbox(customer, payment_id)


@router.post("/orders/{order_id}/cancel")
def cancel(order_id: OrderIdPath, customer: Customer, orders: Orders) -> Order:
    """Cancel before pickup: the reservation is released and a payment refunded in full."""
    return orders.cancel(customer, order_id)


# -- member center ----------------------------------------------------------------------------


@router.get("/member")
def member(customer: Customer, db: Db) -> Member:
    """The customer's member card (404 not_member before binding a phone number)."""
    with db.read() as session:
        return members.member_view(session, members.member_of(session, customer), now=utc_now())


@router.post("/member/bind")
def bind(body: BindPhone, customer: Customer, db: Db, request: Request) -> Member:
    """Become a member with the phone number WeChat vouches for (getPhoneNumber's code)."""
    ip = _count_wechat_attempt(db, request)
    phone = _wechat(request).phone_number(body.wx_phone_code)
    with db.write() as session:
        forgive(session, WECHAT_FAILURES, ip)
        mine = session.get(CustomerRow, customer.id, with_for_update=True)
        assert mine is not None
        found = members.bind_phone(session, mine, phone, store_id=body.store_id)
        return members.member_view(session, found, now=utc_now())


@router.get("/member/code")
def member_code(customer: Customer, db: Db, request: Request) -> MemberCode:
    """A fresh member code (QR text + digits) for the till; the digits before stop working."""
    with db.write() as session:
        found = members.member_of(session, customer)
        return members.code_for(session, found, now=utc_now(), limits=_limits(request))


@router.get("/member/points")
def points(customer: Customer, db: Db) -> list[LedgerEntry]:
    """The member's points history, newest first."""
    with db.read() as session:
        return members.points_history(session, members.member_of(session, customer))


@router.get("/member/receipts")
def receipts(customer: Customer, db: Db) -> list[ClaimedReceipt]:
    """The receipts the member claimed points for, newest first."""
    with db.read() as session:
        return members.claimed_receipts(session, members.member_of(session, customer))


@router.post("/member/receipts/claim")
def claim_receipt(body: ClaimReceipt, customer: Customer, db: Db, request: Request) -> ClaimAnswer:
    """Claim a scanned receipt's points (the link of the receipt QR), once per receipt."""
    with db.write() as session:
        found = members.member_of(session, customer)
        return members.claim(
            session, found, body.link, now=utc_now(), limits=_limits(request), ip=client_ip(request)
        )


@router.post("/member/top-ups")
def top_up(body: NewTopUp, customer: Customer, top_ups: TopUps) -> TopUpPayAnswer:
    """Top up the member's stored value (充值) by WeChat Pay: the fields for
    wx.requestPayment; credited with the bonus of the chain's tiers once paid, never before."""
    return top_ups.create(customer, body)


@router.get("/member/top-ups/{top_up_id}")
def get_top_up(top_up_id: OrderIdPath, customer: Customer, top_ups: TopUps) -> TopUp:
    return top_ups.get(customer, top_up_id)


@router.post("/sandbox/top-up-payments/{payment_id}/confirm")
def confirm_sandbox_top_up(payment_id: PaymentIdPath, customer: Customer, top_ups: TopUps) -> TopUp:
    """The sandbox's payment sheet for a top-up: the customer confirms paying."""
    return top_ups.confirm_sandbox(customer, payment_id)
