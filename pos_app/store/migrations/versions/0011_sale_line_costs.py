"""cost on every sale line: the unit cost and line cost a sale carried, refunds the original's

From this revision checkout writes the product's cost price at the moment of sale on each line
(unit_cost_fen per unit or per kg, line_cost_fen for the line; NULL when the product had no
cost), and a refund line carries its share of the original line's cost, so a refund after a
cost change takes back exactly the cost the sale recorded. The report cache (report_product_*)
now sums these line costs instead of looking the product's cost up when a line is written.

History is filled as well as the database allows, and these are the assumptions:
- a sale line's unit cost is the cost of the product's last receiving (入库) posted at or
  before the sale, with a cost above zero; where there was none, the product's cost price as
  it stands at this migration (history before the first receiving cannot be known better);
- a refund line takes its share of its original line's cost (as refund_sale does now); a
  refund without an original line is costed like a sale line at its own time;
- the report cache is rebuilt from the lines, so earlier days may change where a refund had
  been costed at the later cost price.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LOCAL_DAY = "date({t}, '+8 hours')"
LOCAL_MONTH = "strftime('%Y-%m', {t}, '+8 hours')"


def _half_up(numerator: str, denominator: str) -> str:
    """SQL for numerator / denominator rounded half away from zero (denominator > 0)."""
    return (
        f"(CASE WHEN ({numerator}) >= 0 THEN (2 * ({numerator}) + {denominator}) / (2 * "
        f"{denominator}) ELSE -((2 * -({numerator}) + {denominator}) / (2 * {denominator})) END)"
    )


_LAST_RECEIVED_COST = """(SELECT rl.cost_fen FROM receiving_lines rl
    JOIN receivings r ON r.id = rl.receiving_id
    WHERE rl.product_id = sale_lines.product_id AND rl.cost_fen > 0
    AND r.posted_at <= (SELECT s.created_at FROM sales s WHERE s.id = sale_lines.sale_id)
    ORDER BY r.posted_at DESC, rl.id DESC LIMIT 1)"""

_FILL_UNIT_COSTS = f"""UPDATE sale_lines SET unit_cost_fen = coalesce({_LAST_RECEIVED_COST},
    (SELECT p.cost_fen FROM products p WHERE p.id = sale_lines.product_id))
    WHERE original_line_id IS NULL"""

_FILL_LINE_COSTS = f"""UPDATE sale_lines SET line_cost_fen = CASE
    WHEN unit_cost_fen IS NULL THEN NULL
    WHEN weighed THEN {_half_up("unit_cost_fen * qty", "1000")}
    ELSE unit_cost_fen * qty END
    WHERE original_line_id IS NULL"""

# A refund line's share: cost × (before + now) / sold − cost × before / sold, so the shares of
# several partial refunds add up to the line's cost exactly (as refund_sale computes them).
_FILL_REFUND_COSTS = f"""WITH shares AS (
    SELECT l.id AS id, o.unit_cost_fen AS unit_cost, o.line_cost_fen AS cost, o.qty AS sold,
    -l.qty AS now, coalesce(SUM(-l.qty) OVER (PARTITION BY l.original_line_id ORDER BY l.id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM sale_lines l JOIN sale_lines o ON o.id = l.original_line_id)
    UPDATE sale_lines SET unit_cost_fen = shares.unit_cost,
    line_cost_fen = -({_half_up("shares.cost * (shares.before + shares.now)", "shares.sold")}
        - {_half_up("shares.cost * shares.before", "shares.sold")})
    FROM shares WHERE shares.id = sale_lines.id AND shares.sold > 0"""

_PRODUCT_SUMS = "qty, lines, gross_fen, discount_fen, net_fen, costed_net_fen, cost_fen"
_LINE_VALUES = (
    "l.qty",
    "1",
    "l.gross_fen",
    "l.discount_fen",
    "l.net_fen",
    "CASE WHEN l.line_cost_fen IS NULL THEN 0 ELSE l.net_fen END",
    "coalesce(l.line_cost_fen, 0)",
)
# before this revision: the product's cost when the line was written (for the downgrade)
_PRODUCT_COST_VALUES = (
    *_LINE_VALUES[:5],
    "CASE WHEN p.cost_fen IS NULL THEN 0 ELSE l.net_fen END",
    """CASE WHEN p.cost_fen IS NULL THEN 0 WHEN NOT l.weighed THEN p.cost_fen * l.qty
    ELSE """
    + _half_up("p.cost_fen * l.qty", "1000")
    + " END",
)
_LINE_COLUMNS = ("sale_id", "product_id", "qty", "weighed", "gross_fen", "discount_fen", "net_fen")


def _product_upsert(
    table: str, key: str, key_expr: str, *, one_line: bool, line_cost: bool = True
) -> str:
    """Line figures into report_product_<days|months>: the new line, or every line grouped;
    costed from the line's own cost (or, before this revision, the product's)."""
    day = key_expr.format(t="s.created_at")
    sums = _LINE_VALUES if line_cost else _PRODUCT_COST_VALUES
    columns = (*_LINE_COLUMNS, "line_cost_fen") if line_cost else _LINE_COLUMNS
    if one_line:
        source = "(SELECT " + ", ".join(f"new.{c} AS {c}" for c in columns) + ") l"
        values, group = ", ".join(sums), ""
    else:
        source = "sale_lines l"
        values = ", ".join(f"SUM({v})" for v in sums)
        group = f" GROUP BY {day}, l.product_id"
    products = "" if line_cost else " JOIN products p ON p.id = l.product_id"
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in _PRODUCT_SUMS.split(", "))
    return (
        f"INSERT INTO {table} ({key}, product_id, {_PRODUCT_SUMS}) "
        f"SELECT {day}, l.product_id, {values} FROM {source} JOIN sales s ON s.id = l.sale_id"
        f"{products} "
        f"WHERE true{group} ON CONFLICT({key}, product_id) DO UPDATE SET {updates}"
    )


_TABLES = (
    ("report_product_days", "day", LOCAL_DAY),
    ("report_product_months", "month", LOCAL_MONTH),
)


def _trigger(*, line_cost: bool = True) -> str:
    body = "; ".join(
        _product_upsert(t, k, e, one_line=True, line_cost=line_cost) for t, k, e in _TABLES
    )
    return f"CREATE TRIGGER report_lines_ai AFTER INSERT ON sale_lines BEGIN {body}; END"


def upgrade() -> None:
    op.add_column("sale_lines", sa.Column("unit_cost_fen", sa.Integer(), nullable=True))
    op.add_column("sale_lines", sa.Column("line_cost_fen", sa.Integer(), nullable=True))
    op.execute("DROP TRIGGER IF EXISTS report_lines_ai")
    for statement in (_FILL_UNIT_COSTS, _FILL_LINE_COSTS, _FILL_REFUND_COSTS):
        op.execute(statement)
    for table, key, expr in _TABLES:
        op.execute(f"DELETE FROM {table}")
        op.execute(_product_upsert(table, key, expr, one_line=False))
    op.execute(_trigger())


def downgrade() -> None:
    op.execute("DROP TRIGGER report_lines_ai")
    op.execute(_trigger(line_cost=False))
    op.drop_column("sale_lines", "line_cost_fen")
    op.drop_column("sale_lines", "unit_cost_fen")
