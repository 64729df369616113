"""The sync contract shared by till and mall: pydantic schemas of events, feed pages and errors.

Every model forbids unknown fields and bounds its strings, lists and integers, so the mall can
refuse bad input with a clear 422 before it touches the database. Money is integer fen.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from sync.pinyin import FULL_MAX

API_PREFIX = "/api/v1"
MAX_BATCH = 500
MAX_FEED_PAGE = 1000
MAX_FEN = 10**11  # one billion yuan: far above any till fact, far below 64-bit overflow
MAX_QTY = 10**9  # units, or grams for weighed goods
MAX_SEQ = 2**62
SNAPSHOT_FORMAT = 1

Fen = Annotated[int, Field(strict=True, ge=-MAX_FEN, le=MAX_FEN)]
PriceFen = Annotated[int, Field(strict=True, ge=0, le=MAX_FEN)]
Qty = Annotated[int, Field(strict=True, ge=-MAX_QTY, le=MAX_QTY)]
Seq = Annotated[int, Field(strict=True, ge=0, le=MAX_SEQ)]
Sku = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,32}$")]
Code = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,32}$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.-]{1,32}$")]
# A store or till number as a receipt token carries it (pos_app.domain.receipt_token).
ShopId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{1,15}$")]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"  # no control characters
Text8 = Annotated[str, StringConstraints(max_length=8, pattern=_PRINTABLE)]
Text64 = Annotated[str, StringConstraints(max_length=64, pattern=_PRINTABLE)]
Text100 = Annotated[str, StringConstraints(max_length=100, pattern=_PRINTABLE)]
Text120 = Annotated[str, StringConstraints(max_length=120, pattern=_PRINTABLE)]
Text200 = Annotated[str, StringConstraints(max_length=200, pattern=_PRINTABLE)]
PinyinFull = Annotated[str, StringConstraints(max_length=FULL_MAX, pattern=_PRINTABLE)]
Text500 = Annotated[str, StringConstraints(max_length=500, pattern=_PRINTABLE)]


def canonical_json(data: Any) -> str:
    """The one byte form of a payload that both sides hash (sorted keys, no spaces, UTF-8)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_hash(payload: Any) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def pickup_code_sha256(order_id: str, code: str) -> str:
    """What an order carries instead of its pickup code; the till checks a scanned code with it."""
    return hashlib.sha256(f"{order_id}:{code}".encode()).hexdigest()


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- facts pushed by the till -------------------------------------------------------------------


class LinePromotion(Strict):
    """A promotion's saving on a sale line (negative on a refund line: its share given back)."""

    rule_id: Code
    name: Text64
    kind: Ident
    discount_fen: Fen


class SaleLinePayload(Strict):
    line_no: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    sku: Sku
    name: Text120
    qty: Qty
    weighed: bool
    unit_price_fen: Fen
    gross_fen: Fen
    discount_fen: Fen
    net_fen: Fen
    promotions: Annotated[list[LinePromotion], Field(max_length=20)] = []


class PaymentPayload(Strict):
    kind: Ident
    amount_fen: Fen
    reference: Text64 = ""


class SaleCouponPayload(Strict):
    """The coupon a sale used: the mall's hold on it (or "OFF…": taken offline) and what it
    took off the sale (its shares are on the lines as promotions of kind "coupon")."""

    coupon_id: Annotated[str, StringConstraints(pattern=r"^C[0-9A-F]{12}$")]
    reference: Ident
    discount_fen: Annotated[int, Field(strict=True, ge=0, le=MAX_FEN)]


class SalePayload(Strict):
    """A committed sale as checkout writes it to the outbox (kind "sale")."""

    sale_no: Ident
    store_id: Ident
    till_id: Ident
    till_seq: Annotated[int, Field(strict=True, ge=1, le=MAX_SEQ)]
    created_at: AwareDatetime
    cashier: Annotated[int, Field(strict=True, ge=0, le=MAX_SEQ)] | Text64  # staff id or code
    member_id: Text64 | None = None
    subtotal_fen: Fen
    discount_fen: Fen
    rounding_fen: Fen
    total_fen: Fen
    points_earned: Annotated[int, Field(strict=True, ge=-MAX_FEN, le=MAX_FEN)] = 0
    promo_version: Annotated[int, Field(strict=True, ge=0, le=MAX_SEQ)] | None = None
    lines: Annotated[list[SaleLinePayload], Field(max_length=1000)]
    payments: Annotated[list[PaymentPayload], Field(max_length=20)]
    coupon: SaleCouponPayload | None = None

    @model_validator(mode="after")
    def _signed_as_the_business_allows(self) -> SalePayload:
        """A sale takes goods and money in (qty, tenders, points ≥ 0); a refund gives them back
        (all ≤ 0). A tender of the wrong sign would mint money or points."""
        sign = -1 if isinstance(self, RefundPayload) else 1
        what = "a refund" if sign < 0 else "a sale"
        amounts = [
            ("points_earned", self.points_earned),
            *((f"lines[{n}].qty", line.qty) for n, line in enumerate(self.lines)),
            *((f"payments[{n}].amount_fen", p.amount_fen) for n, p in enumerate(self.payments)),
        ]
        for name, value in amounts:
            if value * sign < 0:
                raise ValueError(
                    f"{name} of {what} may not be {'positive' if sign < 0 else 'negative'}"
                )
        return self


class RefundPayload(SalePayload):
    """A refund (kind "refund"): the sale shape with negative qty and amounts; a return without
    a receipt has no original_sale_no."""

    original_sale_no: Ident | None = None


class StockPayload(Strict):
    """A stock receipt, count adjustment or transfer at the device's store (kind "stock")."""

    sku: Sku
    delta: Qty
    reason: Ident
    ref: Text64 = ""


Phone = Annotated[str, StringConstraints(pattern=r"^1[3-9][0-9]{9}$")]  # mainland mobile


class MemberSignupPayload(Strict):
    """A quick signup at the till (kind "member_signup"), queued while the mall was offline;
    the till's sales name this member "tel:<phone>" until the mall knows it."""

    phone: Phone
    name: Text64 = ""
    store_id: Ident
    created_at: AwareDatetime


class TopUpPayload(Strict):
    """Stored value bought at the till (kind "top_up"): what the member paid and how, and the
    bonus the till expects; the mall credits the paid amount and the bonus of its own tiers
    (bonus_fen is a claim, compared). Paid with money only: never with stored value or points."""

    top_up_no: Ident
    store_id: Ident
    till_id: Ident
    created_at: AwareDatetime
    cashier: Annotated[int, Field(strict=True, ge=0, le=MAX_SEQ)] | Text64
    member_id: Annotated[str, StringConstraints(pattern=r"^M[0-9A-F]{12}$")]  # known to the mall
    amount_fen: Annotated[int, Field(strict=True, ge=1, le=MAX_FEN)]
    bonus_fen: PriceFen
    payments: Annotated[list[PaymentPayload], Field(min_length=1, max_length=20)]

    @model_validator(mode="after")
    def _paid_in_money(self) -> TopUpPayload:
        if any(p.kind in ("stored_value", "points") or p.amount_fen <= 0 for p in self.payments):
            raise ValueError("a top-up is paid with positive money tenders only")
        if sum(p.amount_fen for p in self.payments) != self.amount_fen:
            raise ValueError("the payments of a top-up must add up to amount_fen")
        return self


class ShiftClosePayload(Strict):
    """A Z close at the till (kind "shift_close"): the shift's figures as the Z report printed."""

    till_id: Ident
    shift_id: Seq
    z_no: Annotated[int, Field(strict=True, ge=1, le=MAX_SEQ)]
    net_fen: Fen
    by_tender: Annotated[dict[Ident, Fen], Field(max_length=20)]
    expected_cash_fen: Fen  # the float, cash of sales and top-ups, and cash in/out
    counted_cash_fen: PriceFen
    top_ups_by_tender: Annotated[dict[Ident, Fen], Field(max_length=20)] = {}  # 充值, not sales


EVENT_PAYLOADS: dict[str, type[Strict]] = {
    "sale": SalePayload,
    "refund": RefundPayload,
    "stock": StockPayload,
    "member_signup": MemberSignupPayload,
    "shift_close": ShiftClosePayload,
    "top_up": TopUpPayload,
}
_EVENT_KINDS = {schema: kind for kind, schema in EVENT_PAYLOADS.items()}


def event_kind(payload: Strict) -> str:
    """The outbox kind of a typed payload: the one EVENT_PAYLOADS entry of its exact type."""
    return _EVENT_KINDS[type(payload)]


class PushEvent(Strict):
    """One outbox event. Kinds the mall does not know yet are kept, not refused."""

    id: UUID
    device_seq: Annotated[int, Field(strict=True, ge=1, le=MAX_SEQ)]
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{0,31}$")]
    payload: dict[str, Any]
    payload_hash: Sha256Hex

    @model_validator(mode="after")
    def _payload_matches(self) -> PushEvent:
        try:
            digest = payload_hash(self.payload)
        except (ValueError, RecursionError) as error:
            raise ValueError(f"payload is not canonical JSON: {error}") from None
        if digest != self.payload_hash:
            raise ValueError("payload_hash is not the sha256 of the canonical payload")
        schema = EVENT_PAYLOADS.get(self.kind)
        if schema is not None:
            schema.model_validate(self.payload)
        return self

    def typed_payload(self) -> Strict | None:
        schema = EVENT_PAYLOADS.get(self.kind)
        return None if schema is None else schema.model_validate(self.payload)


class PushRequest(Strict):
    events: Annotated[list[PushEvent], Field(max_length=MAX_BATCH)]

    @model_validator(mode="after")
    def _consecutive(self) -> PushRequest:
        for before, after in zip(self.events, self.events[1:], strict=False):
            if after.device_seq != before.device_seq + 1:
                raise ValueError("events must have consecutive device_seq in ascending order")
        return self


ConflictReason = Literal[
    "payload_mismatch", "seq_taken", "id_reused", "duplicate_sale_no", "duplicate_till_seq"
]


class Conflict(Strict):
    """An event the mall recorded for a person to resolve instead of applying it."""

    event_id: UUID
    device_seq: Seq
    reason: ConflictReason
    message: Text200


class PushResponse(Strict):
    acked_through_seq: Seq
    applied: Seq = 0
    replayed: Seq = 0
    conflicts: list[Conflict] = []


# ---- what the mall sends down -------------------------------------------------------------------


class ProductData(Strict):
    """A product as this store sells it: the chain's data with the store's price override."""

    sku: Sku
    name: Text120
    pinyin_full: PinyinFull = ""
    pinyin_initials: Text120 = ""
    unit: Text8 = "个"
    price_fen: PriceFen
    member_price_fen: PriceFen | None = None
    tax_rate_bp: Annotated[int, Field(strict=True, ge=0, le=10_000)] = 1300
    category: Text64 | None = None
    weighed: bool = False
    plu_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,8}$")] | None = None
    status: Literal["active", "inactive"] = "active"
    barcodes: Annotated[list[Code], Field(max_length=50)] = []


OrderStatus = Literal["pending_payment", "paid", "ready", "completed", "cancelled"]


class OrderLine(Strict):
    sku: Sku
    name: Text120
    qty: Annotated[int, Field(strict=True, ge=1, le=MAX_QTY)]
    unit_price_fen: PriceFen
    net_fen: PriceFen


class OnlineOrder(Strict):
    """An online order to fulfil at a store; pickup_code_sha256 = sha256("<id>:<code>")."""

    id: UUID
    order_no: Ident
    store_id: Ident
    kind: Literal["pickup", "delivery"]
    status: OrderStatus
    customer_name: Text64 = ""
    customer_phone_tail: Annotated[str, StringConstraints(pattern=r"^[0-9]{0,4}$")] = ""
    created_at: datetime
    total_fen: PriceFen
    lines: Annotated[list[OrderLine], Field(max_length=200)]
    pickup_code_sha256: Sha256Hex


class ProductChange(Strict):
    server_seq: Seq
    entity: Literal["product"]
    key: Sku
    data: ProductData | None  # None is a tombstone: the product was deleted


class OrderChange(Strict):
    server_seq: Seq
    entity: Literal["order"]
    key: Annotated[str, StringConstraints(max_length=36)]
    data: OnlineOrder | None


class PromotionSetData(Strict):
    """A version of the chain's promotion rules (pos_app.domain.promotion_rules.RuleSet); the
    rules are checked by the domain when read, so a till and the mall accept the same ones."""

    version: Seq
    time_zone: Text64
    rules: Annotated[list[dict[str, Any]], Field(max_length=500)]


class PromotionsChange(Strict):
    server_seq: Seq
    entity: Literal["promotions"]
    key: Ident
    data: PromotionSetData | None


Change = Annotated[ProductChange | OrderChange | PromotionsChange, Field(discriminator="entity")]


class ChangeFeedPage(Strict):
    changes: list[Change]
    next_cursor: Seq
    has_more: bool


SNAPSHOT_CONTROL_PREFIX = b'{"type":'  # how header and end lines start; product lines never do


class SnapshotHeader(Strict):
    """First line of the snapshot stream; then one ProductData per line, then SnapshotEnd.
    Header and end lines are written with "type" as their first key (SNAPSHOT_CONTROL_PREFIX)."""

    type: Literal["header"]
    format: Literal[1]
    store_id: Ident
    server_seq: Seq


class SnapshotMark(Strict):
    """After each chunk of a resumable snapshot: the product id to ask from to go on."""

    type: Literal["mark"]
    after: Seq


class SnapshotEnd(Strict):
    type: Literal["end"]
    count: Seq


class StockLevel(Strict):
    store_id: Ident
    sku: Sku
    on_hand: int
    reserved: int
    safety_stock: int
    available: int


class HandoverRequest(Strict):
    pickup_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,12}$")]


# ---- pairing, health and errors -----------------------------------------------------------------


class PairRequest(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z-]{4,32}$")]
    till_id: ShopId
    device_name: Text64 = ""


Kid = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]$")]
Base64Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{22,88}={0,2}$")]


class TopUpTierData(Strict):
    """A top-up bonus tier (pos_app.domain.top_up.TopUpTier): pay at least pay_fen, get bonus."""

    pay_fen: Annotated[int, Field(strict=True, ge=1, le=MAX_FEN)]
    bonus_fen: PriceFen


class PointsRulesData(Strict):
    """The chain's points rules (pos_app.domain.points.PointsRules on the wire)."""

    points_per_yuan: Annotated[int, Field(strict=True, ge=0, le=1000)] = 1
    excluded_categories: Annotated[list[Text64], Field(max_length=200)] = []
    tier_multipliers_bp: dict[Ident, Annotated[int, Field(strict=True, ge=0, le=100_000)]] = {}
    expiry_days: Annotated[int, Field(strict=True, ge=0, le=3650)] = 365
    redeem_points_per_yuan: Annotated[int, Field(strict=True, ge=1, le=100_000)] = 100
    # What one member may spend per day at a till that cannot reach the mall (0: nothing); the
    # mall takes offline redemptions within these, so the till must know the same figures.
    offline_points_cap: Annotated[int, Field(strict=True, ge=0, le=MAX_FEN)] = 0
    offline_stored_value_cap_fen: PriceFen = 0
    # Coupon value one till may take a day without the mall (each coupon still only once).
    offline_coupon_cap_fen: PriceFen = 0
    # 充200送20: the stored-value top-up tiers the till offers (the mall credits by its own).
    top_up_tiers: Annotated[list[TopUpTierData], Field(max_length=20)] = []


class PairResponse(Strict):
    """Device credentials, and what the till needs for members: the store's receipt token keys
    {kid: base64 key} (receipt_kid signs new receipts), the mall's Ed25519 public key for member
    codes (base64, raw 32 bytes) and the points rules."""

    device_id: Ident
    device_secret: Annotated[str, StringConstraints(min_length=32, max_length=128)]
    store_id: Ident
    store_name: Text100
    receipt_keys: dict[Kid, Base64Key] = {}
    receipt_kid: Kid | None = None
    member_code_public_key: Base64Key | None = None
    points_rules: PointsRulesData | None = None


class Health(Strict):
    status: Literal["ok"]
    server_seq: Seq


class ErrorBody(Strict):
    """Every 4xx/5xx answer of the mall: a machine code, a sentence for people, and details."""

    code: Ident
    message: Text500
    expected_seq: Seq | None = None
    errors: list[dict[str, Any]] | None = None
