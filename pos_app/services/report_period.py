"""The shop's calendar for reports: a period of business days (UTC+8), today's business day,
and stepping over its days, weeks and months."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

SHOP_TZ = timezone(timedelta(hours=8), "CST")
SHOP_TZ_MODIFIER = "+8 hours"  # SQLite date() of a UTC time, on the shop's calendar (SHOP_TZ)


@dataclass(frozen=True)
class Period:
    """Business days first..last, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"The period ends ({self.last}) before it starts ({self.first}).")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period compared with this one: whole calendar months compare with as many
        calendar months before (November with October); other ranges with the days of equal
        length just before."""
        months = self._whole_months()
        if months:
            before = self.first.year * 12 + self.first.month - 1 - months
            return Period(date(before // 12, before % 12 + 1, 1), self.first - timedelta(days=1))
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def _whole_months(self) -> int:
        """How many calendar months the period is, 0 unless it starts on a 1st and ends on the
        last day of a month."""
        if self.first.day != 1 or (self.last + timedelta(days=1)).day != 1:
            return 0
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the period as aware UTC datetimes."""
        start = datetime.combine(self.first, time(), SHOP_TZ)
        end = datetime.combine(self.last + timedelta(days=1), time(), SHOP_TZ)
        return start.astimezone(UTC), end.astimezone(UTC)

    @classmethod
    def ending(cls, last: date, days: int) -> Period:
        return cls(last - timedelta(days=days - 1), last)


def shop_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(SHOP_TZ).date()


def days_in(period: Period) -> Iterable[date]:
    return (period.first + timedelta(days=i) for i in range(period.days))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
