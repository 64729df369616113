"""How well each product sells, for search to rank equal matches (issue 16): units sold, halved
for every week since, one row per product. Checkout adds a sale's units in its own transaction
with one executemany (a weighed line counts once), so keeping it costs checkout one statement;
nothing needs refreshing, old sales simply weigh less."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from pos_app.services.sale_facts import LineFacts

HALF_LIFE_DAYS = 7
MAX_SHIFT = 62  # halving more often than this leaves 0 of any count
# The popularity as of :today (a day number) of a product_popularity row.
_SCORE = f"(units >> min({MAX_SHIFT}, (:today - day) / {HALF_LIFE_DAYS}))"

_ADD = sql_text(
    "INSERT INTO product_popularity (product_id, units, day) VALUES (:product_id, :units, :day)"
    " ON CONFLICT (product_id) DO UPDATE SET day = excluded.day, units = excluded.units"
    f" + (units >> min({MAX_SHIFT}, (excluded.day - day) / {HALF_LIFE_DAYS}))"
)


def today_number(now: datetime | None = None) -> int:
    """The day number popularity is kept in: days since 0001-01-01, UTC."""
    return (now or datetime.now(UTC)).date().toordinal()


def record_sold(session: Session, lines: Iterable[LineFacts], *, day: date) -> None:
    """Add the units of a sale's lines (a weighed line: one) to their products' popularity."""
    units: dict[int, int] = {}
    for line in lines:
        units[line.product_id] = units.get(line.product_id, 0) + (1 if line.weighed else line.qty)
    rows = [
        {"product_id": pid, "units": n, "day": day.toordinal()} for pid, n in units.items() if n > 0
    ]
    if rows:
        session.connection().execute(_ADD, rows)


def scores(session: Session, ids: Iterable[int], *, today: int) -> dict[int, int]:
    """The popularity of each of ids that has any."""
    id_list = ",".join(str(int(i)) for i in ids)
    if not id_list:
        return {}
    query = sql_text(
        f"SELECT product_id, {_SCORE} FROM product_popularity WHERE product_id IN ({id_list})"
    )
    return {pid: value for pid, value in session.execute(query, {"today": today}) if value}
