"""What the customer API receives and answers (the shapes of miniprogram/src/api.ts).

Requests are strict (unknown fields refused); money is integer fen; times are ISO 8601 with
the shop's offset (+08:00)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

StoreId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.-]{1,32}$")]
Sku = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,32}$")]
MAX_CART_QTY = 99


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


# -- requests ---------------------------------------------------------------------------------


class WeChatLogin(Request):
    code: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class CartChange(Request):
    store_id: StoreId
    sku: Sku
    qty: Annotated[int, Field(strict=True, ge=0, le=MAX_CART_QTY)]


class PlaceOrder(Request):
    store_id: StoreId
    pickup_start: datetime


class NewTopUp(Request):
    amount_fen: Annotated[int, Field(gt=0, le=5_000_000)]
    store_id: StoreId | None = None  # the store the customer shops at; else where they joined


class BindPhone(Request):
    wx_phone_code: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    store_id: StoreId | None = None


class ClaimReceipt(Request):
    link: Annotated[str, StringConstraints(min_length=1, max_length=300)]


# -- answers ----------------------------------------------------------------------------------


class Store(Answer):
    id: str
    name: str
    address: str
    lat: float | None
    lng: float | None
    hours: str
    open_now: bool
    distance_km: float | None


class PickupSlot(Answer):
    start: datetime
    end: datetime
    label: str


class Category(Answer):
    name: str
    count: int


class Product(Answer):
    sku: str
    name: str
    unit: str
    category: str | None
    price_fen: int
    member_price_fen: int | None
    available: int


class ProductPage(Answer):
    items: list[Product]
    total: int
    offset: int
    has_more: bool


class ProductDetail(Product):
    barcodes: list[str]
    store: Store


class CartLine(Answer):
    sku: str
    name: str
    unit: str
    qty: int
    unit_price_fen: int
    line_fen: int
    available: int
    problem: str  # "" when the store can supply the line, else why not (for the customer)


class Cart(Answer):
    store_id: str
    lines: list[CartLine]
    count: int
    total_fen: int
    can_order: bool


class OrderLine(Answer):
    sku: str
    name: str
    qty: int
    unit_price_fen: int
    net_fen: int


OrderStatus = Literal["pending_payment", "paid", "ready", "completed", "cancelled"]


class Order(Answer):
    id: str
    order_no: str
    store: Store
    status: OrderStatus
    status_text: str
    lines: list[OrderLine]
    total_fen: int
    paid_fen: int
    refunded_fen: int
    created_at: datetime
    pickup_start: datetime | None
    pickup_end: datetime | None
    pickup_label: str
    pickup_code: str | None
    can_pay: bool
    can_cancel: bool
    points_earned: int


class PayParams(Answer):
    prepay_id: str
    client: dict[str, str]  # what wx.requestPayment takes


class PayAnswer(Answer):
    payment_id: str
    status: Literal["pending", "paid", "failed", "cancelled"]
    message: str
    params: PayParams | None
    sandbox: bool
    order: Order


class LoginAnswer(Answer):
    token: str
    expires_in: int
    customer_id: str
    is_member: bool


class TopUpTierView(Answer):
    pay_fen: int
    bonus_fen: int
    label: str  # 充200送20


class Member(Answer):
    member_id: str
    card_no: str
    name: str
    tier: str
    phone_tail: str
    points: int
    points_available: int
    stored_value_fen: int
    stored_value_available_fen: int
    top_up_offer: str = ""  # 到店充值享：充200送20
    top_up_tiers: list[TopUpTierView] = []  # what the mini-program offers to pay online


class TopUp(Answer):
    id: str
    amount_fen: int
    bonus_fen: int  # credited with the amount once paid (0 before)
    status: Literal["pending_payment", "credited"]
    status_text: str
    created_at: datetime


class TopUpPayAnswer(Answer):
    payment_id: str
    status: Literal["pending", "paid", "failed", "cancelled"]
    message: str
    params: PayParams | None
    sandbox: bool
    top_up: TopUp


class MemberCode(Answer):
    code: str
    digits: str
    expires_in: int
    refresh_in: int


class LedgerEntry(Answer):
    at: datetime
    delta: int
    source: str
    text: str


class ClaimAnswer(Answer):
    state: str
    message: str
    points: int
    store_name: str


class ClaimedReceipt(Answer):
    store_name: str
    till_id: str
    till_seq: int
    amount_fen: int
    status: str
    points: int
    claimed_at: datetime
