"""The dashboard's key figures, each beside the previous period's, and how their change is
worded (percent, percentage points, more or less refunds)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal
from sqlalchemy.orm import Session

from pos_app.services.report_claims import claim_share_bp
from pos_app.services.report_period import Period
from pos_app.services.report_products import line_totals
from pos_app.services.report_ratios import basket_fen, share_bp
from pos_app.services.report_receipts import receipts_by
from pos_app.services.report_refunds import voids_by_kind
from pos_app.services.report_table import Kind
from pos_app.store.backoffice_models import ReportSalesHour


@dataclass(frozen=True)
class Kpi:
    """One key figure for the period and the previous period of equal length."""

    key: str
    kind: Kind
    current: int | None  # None: not available
    previous: int | None

    @property
    def change_bp(self) -> int | None:
        """The change against the previous period, in basis points. A share (Kind.BP) changes
        in percentage points (2668 after 2580 → 88, "+0.88 个百分点"); a figure below zero
        (refunds) by the relative change of its size, so more refunds is a positive change;
        any other figure by its relative change. None when there is nothing to compare."""
        if self.current is None or self.previous is None:
            return None
        if self.kind is Kind.BP:
            return self.current - self.previous
        if not self.previous:
            return None
        size = abs(self.previous)
        if self.previous < 0 and self.current <= 0:
            return share_bp(abs(self.current) - size, size)
        return share_bp(self.current - self.previous, size)

    @property
    def in_points(self) -> bool:
        """The change is in percentage points (a share), not in percent."""
        return self.kind is Kind.BP

    @property
    def below_zero(self) -> bool:
        """The figure counts money going out (refunds, a net refund) in both periods: at or
        below zero in each, below in one. Its change is the change of its size."""
        if self.current is None or self.previous is None:
            return False
        return max(self.current, self.previous) <= 0 and min(self.current, self.previous) < 0

    @property
    def more_or_less(self) -> str | None:
        """The change worded as "more" or "less" of a figure below zero (多退 / 少退: −72.54
        → −314.31 is 333.29 % more refunds, not "−333.29 %"); None for a plain signed change."""
        change = self.change_bp
        if self.in_points or not change or not self.below_zero:
            return None
        return "more" if change > 0 else "less"


def _key_figures(session: Session, period: Period) -> dict[str, tuple[Kind, int | None]]:
    receipts, sales, refunds, refund_receipts = receipts_by(session, period, literal(1)).get(
        1, (0, 0, 0, 0)
    )
    members = receipts_by(session, period, ReportSalesHour.is_member).get(1, (0, 0))
    lines = line_totals(session, period)
    rounding = sales + refunds - lines["net_fen"]  # the 抹零 row of the margin report
    costed = lines["costed_net_fen"] + rounding
    margin = costed - lines["cost_fen"]
    voids = voids_by_kind(session, period)
    return {
        "net_fen": (Kind.FEN, sales + refunds),
        "sales_fen": (Kind.FEN, sales),
        "receipts": (Kind.COUNT, receipts),
        "avg_basket_fen": (Kind.FEN, basket_fen((receipts, sales, refunds))),
        "member_share_bp": (Kind.BP, share_bp(members[1], sales)),
        "margin_fen": (Kind.FEN, margin),
        "margin_bp": (Kind.BP, share_bp(margin, costed)),
        "refunds_fen": (Kind.FEN, refunds),
        "refund_receipts": (Kind.COUNT, refund_receipts),
        "void_lines": (Kind.COUNT, voids.get("void_line", (0, 0))[0]),
        "void_sales": (Kind.COUNT, voids.get("void_sale", (0, 0))[0]),
        "qr_claim_share_bp": (Kind.BP, claim_share_bp(session, period)),
    }


def key_figures(session: Session, period: Period) -> list[Kpi]:
    """The dashboard's figures, each beside the previous period's."""
    now = _key_figures(session, period)
    before = _key_figures(session, period.previous())
    return [Kpi(key, kind, value, before[key][1]) for key, (kind, value) in now.items()]
