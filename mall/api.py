"""The sync API under /api/v1: pairing, push, change feed, snapshot, stock, pickup orders.

Handlers are plain functions (FastAPI runs them in its thread pool); each write is one
transaction. Every device call is authenticated and scoped to the device's own store.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import APIKeyHeader

from mall.db import MallDatabase
from mall.devices import DeviceIdentity, authenticate, pair
from mall.feed import fresh_page, head_seq
from mall.http import LimitedRoute, client_ip
from mall.members.rate_limits import count_first, forgive
from mall.order_view import store_orders
from mall.orders import hand_over
from mall.promotion_view import rule_set_data
from mall.push import apply_push
from mall.settings import MallSettings
from mall.snapshot import snapshot_stream
from mall.stock import stock_level
from sync.protocol import (
    MAX_FEED_PAGE,
    ChangeFeedPage,
    ErrorBody,
    HandoverRequest,
    Health,
    OnlineOrder,
    PairRequest,
    PairResponse,
    PromotionSetData,
    PushRequest,
    PushResponse,
    StockLevel,
)
from sync.status import OPEN_ORDER_STATUSES

_auth_header = APIKeyHeader(
    name="Authorization",
    auto_error=False,
    description="`Device <device_id>:<device_secret>` as issued by POST /pair",
)
_errors = {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422)}
router = APIRouter(route_class=LimitedRoute, responses=_errors)  # type: ignore[arg-type]


def database(request: Request) -> MallDatabase:
    return request.app.state.db


def settings(request: Request) -> MallSettings:
    return request.app.state.settings


Db = Annotated[MallDatabase, Depends(database)]
PAIR_FAILURES = "pair_fail"


def current_device(
    db: Db, authorization: Annotated[str | None, Depends(_auth_header)]
) -> DeviceIdentity:
    with db.read() as session:
        return authenticate(session, authorization)


Device = Annotated[DeviceIdentity, Depends(current_device)]


@router.get("/health")
def health(db: Db) -> Health:
    with db.read() as session:
        return Health(status="ok", server_seq=head_seq(session))


@router.post("/pair", responses={429: {"model": ErrorBody}})
def pair_device(body: PairRequest, db: Db, request: Request) -> PairResponse:
    """Exchange a one-time pairing code for device credentials (shown once, keep them safe).
    Wrong codes from one address are limited (429 until the lockout is over)."""
    limits, ip = settings(request).members, client_ip(request)
    count_first(
        db,
        PAIR_FAILURES,
        ip,
        limit=limits.pairing_failures_per_ip,
        window=timedelta(seconds=limits.lockout_s),
        message="too many wrong pairing codes from this address; try again later",
    )
    with db.write() as session:
        answer = pair(session, body)
        forgive(session, PAIR_FAILURES, ip)
        return answer


@router.post("/sync/push")
def push(body: PushRequest, device: Device, db: Db) -> PushResponse:
    """Apply the device's events exactly once; JSON, optionally `Content-Encoding: gzip`."""
    with db.write() as session:
        return apply_push(session, device, body.events)


@router.get("/sync/changes")
def changes(
    device: Device,
    db: Db,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_FEED_PAGE)] = 500,
) -> ChangeFeedPage:
    """Changes for the device's store after cursor, in server_seq order (data null: deleted)."""
    return fresh_page(db, device.store_id, cursor, limit)


@router.get("/sync/promotions")
def promotions(device: Device, db: Db) -> PromotionSetData | None:
    """The chain's newest promotion rules (null: none yet); later versions come by the feed."""
    with db.read() as session:
        return rule_set_data(session)


@router.get(
    "/sync/snapshot",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/gzip": {}}}},
)
def snapshot(
    device: Device,
    db: Db,
    request: Request,
    after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    seq: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> StreamingResponse:
    """The whole catalog for first start: gzip NDJSON (header line, products, end line); with
    after, the products past that id with a mark line after each chunk (see mall.snapshot)."""
    chunk = settings(request).snapshot_chunk
    stream = snapshot_stream(db, device.store_id, chunk=chunk, after=after, seq=seq)
    return StreamingResponse(stream, media_type="application/gzip")


@router.get("/stock/{sku}")
def stock(
    device: Device, db: Db, sku: Annotated[str, Path(pattern=r"^[\x21-\x7e]{1,32}$")]
) -> StockLevel:
    """On hand, reserved, safety stock and what is available online at the device's store."""
    with db.read() as session:
        return stock_level(session, device.store_id, sku)


@router.get("/orders")
def orders(device: Device, db: Db, status: Literal["open", "all"] = "open") -> list[OnlineOrder]:
    """The device's store's online orders (open ones by default), oldest first."""
    statuses = (
        OPEN_ORDER_STATUSES
        if status == "open"
        else (*OPEN_ORDER_STATUSES, "completed", "cancelled")
    )
    with db.read() as session:
        return store_orders(session, device.store_id, statuses)


@router.post("/orders/{order_id}/handover")
def handover(order_id: UUID, body: HandoverRequest, device: Device, db: Db) -> OnlineOrder:
    """Hand a pickup order over: the code must match; the reservation becomes a sale."""
    with db.write() as session:
        return hand_over(
            session,
            device.store_id,
            str(order_id),
            body.pickup_code,
            till_id=device.till_id,
            device_id=device.device_id,
        )
