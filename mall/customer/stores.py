"""Stores as customers find them: location and opening hours, open now or not, nearest first
by great-circle distance, and the pickup slots a store offers (half hours within its hours)."""

from __future__ import annotations

import math
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.customer.schemas import PickupSlot, Store
from mall.errors import MallError
from mall.models import StoreRow

SHOP_TIME = ZoneInfo("Asia/Shanghai")
EARTH_RADIUS_KM = 6371.0
HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-~－至]\s*(\d{1,2}):(\d{2})\s*$")
SLOT_MINUTES = 30
SLOT_LEAD_MINUTES = 15  # the store needs this long to put an order together
SLOT_DAYS = 2  # today and tomorrow
MAX_SLOTS = 24


class StoreNotFound(MallError):
    def __init__(self) -> None:
        super().__init__(404, "store_not_found", "没有找到这家门店")


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def valid_position(lat: float | None, lng: float | None) -> bool:
    """A real place on earth (inf, nan or beyond the poles: as if no position was given)."""
    return lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180


def opening_minutes(hours: str) -> tuple[int, int] | None:
    """ "07:00-23:00" → (420, 1380) minutes of the day; closing ≤ opening runs past midnight;
    None when the hours are not written that way (then the store counts as open)."""
    found = HOURS.match(hours or "")
    if found is None:
        return None
    h1, m1, h2, m2 = (int(part) for part in found.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
        return None
    return h1 * 60 + m1, h2 * 60 + m2


def is_open(hours: str, at: datetime) -> bool:
    span = opening_minutes(hours)
    if span is None:
        return True
    local = at.astimezone(SHOP_TIME)
    minute = local.hour * 60 + local.minute
    start, end = span
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end  # overnight, or round the clock (start == end)


def store_view(
    store: StoreRow, *, now: datetime, lat: float | None = None, lng: float | None = None
) -> Store:
    away = None
    if valid_position(lat, lng) and store.lat is not None and store.lng is not None:
        away = round(distance_km(lat or 0.0, lng or 0.0, store.lat, store.lng), 3)
    return Store(
        id=store.id,
        name=store.name,
        address=store.address,
        lat=store.lat,
        lng=store.lng,
        hours=store.hours,
        open_now=is_open(store.hours, now),
        distance_km=away,
    )


def get_store(session: Session, store_id: str) -> StoreRow:
    store = session.get(StoreRow, store_id)
    if store is None:
        raise StoreNotFound()
    return store


def stores_by_distance(
    session: Session, *, now: datetime, lat: float | None, lng: float | None
) -> list[Store]:
    """Every store, nearest first when a position is given (stores without a location last)."""
    views = [
        store_view(store, now=now, lat=lat, lng=lng)
        for store in session.scalars(select(StoreRow).order_by(StoreRow.id))
    ]
    return sorted(views, key=lambda s: (s.distance_km is None, s.distance_km or 0.0))


def nearest_store(
    session: Session, *, lat: float | None, lng: float | None
) -> tuple[StoreRow | None, float | None]:
    """The located store closest to (lat, lng) and how far it is; (None, None) without a
    position or without located stores."""
    if not valid_position(lat, lng):
        return None, None
    located = [
        store
        for store in session.scalars(select(StoreRow).order_by(StoreRow.id))
        if store.lat is not None and store.lng is not None
    ]
    if not located:
        return None, None
    here = (lat or 0.0, lng or 0.0)
    best = min(located, key=lambda s: distance_km(*here, s.lat or 0.0, s.lng or 0.0))
    return best, distance_km(*here, best.lat or 0.0, best.lng or 0.0)


def _day_label(day: datetime, today: datetime) -> str:
    offset = (day.date() - today.date()).days
    return {0: "今天", 1: "明天", 2: "后天"}.get(offset, day.strftime("%m-%d"))


def pickup_slots(store: StoreRow, *, now: datetime) -> list[PickupSlot]:
    """The next half-hour slots (starting at least SLOT_LEAD_MINUTES from now) that lie within
    the store's opening hours, today and tomorrow."""
    local_now = now.astimezone(SHOP_TIME)
    earliest = local_now + timedelta(minutes=SLOT_LEAD_MINUTES)
    start = datetime.combine(earliest.date(), time(earliest.hour), SHOP_TIME)
    while start < earliest:
        start += timedelta(minutes=SLOT_MINUTES)
    slots: list[PickupSlot] = []
    end_of_window = datetime.combine(local_now.date(), time(), SHOP_TIME) + timedelta(
        days=SLOT_DAYS
    )
    step = timedelta(minutes=SLOT_MINUTES)
    while start + step <= end_of_window and len(slots) < MAX_SLOTS:
        end = start + step
        if is_open(store.hours, start) and is_open(store.hours, end - timedelta(minutes=1)):
            label = f"{_day_label(start, local_now)} {start:%H:%M}-{end:%H:%M}"
            slots.append(PickupSlot(start=start, end=end, label=label))
        start = end
    return slots


def slot_label(start: datetime, end: datetime, *, now: datetime) -> str:
    local = start.astimezone(SHOP_TIME)
    return (
        f"{_day_label(local, now.astimezone(SHOP_TIME))} "
        f"{local:%H:%M}-{end.astimezone(SHOP_TIME):%H:%M}"
    )
