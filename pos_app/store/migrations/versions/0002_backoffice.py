"""back office: suppliers, receiving, stocktakes, label queue, stock levels and report tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 16:00:00

stock_levels and the report_* tables are caches of the ledgers, kept by triggers in the same
transaction as the ledger rows (whoever writes them: checkout, refund, sync, bulk loads), and
filled here from what the database already holds. Days are business days at UTC+8 (China
Standard Time, no daylight saving). Product cost on report rows is the product's cost_fen when
the line is recorded (weighed goods: cost per kg × grams / 1000, half away from zero).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LOCAL_DAY = "date({t}, '+8 hours')"
LOCAL_HOUR = "CAST(strftime('%H', {t}, '+8 hours') AS INTEGER)"
LOCAL_MONTH = "strftime('%Y-%m', {t}, '+8 hours')"

_LINE_COST = """CASE
    WHEN p.cost_fen IS NULL THEN 0
    WHEN NOT l.weighed THEN p.cost_fen * l.qty
    WHEN l.qty >= 0 THEN (p.cost_fen * l.qty + 500) / 1000
    ELSE -((p.cost_fen * -l.qty + 500) / 1000) END"""
_PRODUCT_SUMS = (
    "qty",
    "lines",
    "gross_fen",
    "discount_fen",
    "net_fen",
    "costed_net_fen",
    "cost_fen",
)
_PRODUCT_VALUES = (
    "l.qty",
    "1",
    "l.gross_fen",
    "l.discount_fen",
    "l.net_fen",
    "CASE WHEN p.cost_fen IS NULL THEN 0 ELSE l.net_fen END",
    _LINE_COST,
)


def _add_up(columns: tuple[str, ...]) -> str:
    return ", ".join(f"{c} = {c} + excluded.{c}" for c in columns)


def _product_upsert(table: str, key: str, key_expr: str, source: str, aggregate: bool) -> str:
    """INSERT … SELECT of line figures into report_product_<days|months>, summing on conflict.

    For the trigger `source` is one new line (aliased l); for the backfill, all lines grouped.
    """
    values = [f"SUM({v})" if aggregate else v for v in _PRODUCT_VALUES]
    group = f" GROUP BY {key_expr.format(t='s.created_at')}, l.product_id" if aggregate else ""
    return (
        f"INSERT INTO {table} ({key}, product_id, {', '.join(_PRODUCT_SUMS)}) "
        f"SELECT {key_expr.format(t='s.created_at')}, l.product_id, {', '.join(values)} "
        f"FROM {source} JOIN sales s ON s.id = l.sale_id JOIN products p ON p.id = l.product_id "
        f"WHERE true{group} "
        f"ON CONFLICT({key}, product_id) DO UPDATE SET {_add_up(_PRODUCT_SUMS)}"
    )


def _new_row(alias: str, columns: tuple[str, ...]) -> str:
    """The trigger's new row as a one-row source, so it joins like a table."""
    return "(SELECT " + ", ".join(f"new.{c} AS {c}" for c in columns) + f") {alias}"


_LINE_COLUMNS = ("sale_id", "product_id", "qty", "weighed", "gross_fen", "discount_fen", "net_fen")


_SALES_KEY = "day, hour, cashier_id, kind, is_member"
_SALES_SUMS = ("receipts", "total_fen", "discount_fen")


def _sales_key_values(prefix: str) -> str:
    t = f"{prefix}created_at"
    return (
        f"{LOCAL_DAY.format(t=t)}, {LOCAL_HOUR.format(t=t)}, {prefix}cashier_id, {prefix}kind, "
        f"{prefix}member_id IS NOT NULL"
    )


def _sales_upsert(aggregate: bool) -> str:
    """INSERT of receipt figures into report_sales_hours: the new sale, or all sales grouped."""
    if aggregate:
        key_values = _sales_key_values("")
        select = (
            f"SELECT {key_values}, COUNT(*), SUM(total_fen), SUM(discount_fen) FROM sales "
            f"WHERE true GROUP BY {key_values}"
        )
    else:
        select = f"SELECT {_sales_key_values('new.')}, 1, new.total_fen, new.discount_fen"
    return (
        f"INSERT INTO report_sales_hours ({_SALES_KEY}, {', '.join(_SALES_SUMS)}) {select} "
        f"ON CONFLICT({_SALES_KEY}) DO UPDATE SET {_add_up(_SALES_SUMS)}"
    )


def _payments_upsert(source: str, aggregate: bool) -> str:
    day = LOCAL_DAY.format(t="s.created_at")
    sums = "COUNT(*), SUM(y.amount_fen)" if aggregate else "1, y.amount_fen"
    group = f" GROUP BY {day}, y.kind, s.kind" if aggregate else ""
    return (
        "INSERT INTO report_payment_days (day, tender, sale_kind, payments, amount_fen) "
        f"SELECT {day}, y.kind, s.kind, {sums} FROM {source} JOIN sales s ON s.id = y.sale_id "
        f"WHERE true{group} "
        "ON CONFLICT(day, tender, sale_kind) DO UPDATE SET "
        "payments = payments + excluded.payments, amount_fen = amount_fen + excluded.amount_fen"
    )


def _stock_upsert(product: str, delta: str) -> str:
    return (
        f"INSERT INTO stock_levels (product_id, on_hand) VALUES ({product}, {delta}) "
        "ON CONFLICT(product_id) DO UPDATE SET on_hand = on_hand + excluded.on_hand"
    )


TRIGGERS = {
    "stock_levels_ai": (
        "AFTER INSERT ON stock_moves",
        [_stock_upsert("new.product_id", "new.delta")],
    ),
    "stock_levels_ad": (
        "AFTER DELETE ON stock_moves",
        [_stock_upsert("old.product_id", "-old.delta")],
    ),
    "stock_levels_au": (
        "AFTER UPDATE OF product_id, delta ON stock_moves",
        [
            _stock_upsert("old.product_id", "-old.delta"),
            _stock_upsert("new.product_id", "new.delta"),
        ],
    ),
    "report_sales_ai": ("AFTER INSERT ON sales", [_sales_upsert(aggregate=False)]),
    "report_lines_ai": (
        "AFTER INSERT ON sale_lines",
        [
            _product_upsert(
                "report_product_days",
                "day",
                LOCAL_DAY,
                _new_row("l", _LINE_COLUMNS),
                aggregate=False,
            ),
            _product_upsert(
                "report_product_months",
                "month",
                LOCAL_MONTH,
                _new_row("l", _LINE_COLUMNS),
                aggregate=False,
            ),
        ],
    ),
    "report_payments_ai": (
        "AFTER INSERT ON payments",
        [_payments_upsert(_new_row("y", ("sale_id", "kind", "amount_fen")), aggregate=False)],
    ),
}

BACKFILL = [
    "INSERT INTO stock_levels (product_id, on_hand) "
    "SELECT product_id, SUM(delta) FROM stock_moves GROUP BY product_id",
    _sales_upsert(aggregate=True),
    _product_upsert("report_product_days", "day", LOCAL_DAY, "sale_lines l", aggregate=True),
    _product_upsert("report_product_months", "month", LOCAL_MONTH, "sale_lines l", aggregate=True),
    _payments_upsert("payments y", aggregate=True),
]


def _product_figures(key: sa.Column[str], table: str) -> None:
    op.create_table(
        table,
        key,
        sa.Column("product_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _PRODUCT_SUMS),
        sa.PrimaryKeyConstraint(key.name, "product_id", name=op.f(f"pk_{table}")),
        sqlite_with_rowid=False,
    )


def _create_documents() -> None:
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("name", name=op.f("uq_suppliers_name")),
    )
    op.create_table(
        "receivings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_no", sa.String(length=32), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("posted_by", sa.Integer(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("total_cost_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posted_by"], ["staff.id"], name=op.f("fk_receivings_posted_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_receivings_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receivings")),
        sa.UniqueConstraint("doc_no", name=op.f("uq_receivings_doc_no")),
    )
    with op.batch_alter_table("receivings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receivings_posted_at"), ["posted_at"], unique=False)
    op.create_table(
        "receiving_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receiving_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("cost_fen", sa.Integer(), nullable=False),
        sa.Column("line_cost_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_receiving_lines_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["receiving_id"],
            ["receivings.id"],
            name=op.f("fk_receiving_lines_receiving_id_receivings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receiving_lines")),
    )
    with op.batch_alter_table("receiving_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receiving_lines_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_receiving_lines_receiving_id"), ["receiving_id"], unique=False
        )


def _create_stocktakes() -> None:
    op.create_table(
        "stocktakes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_no", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["staff.id"], name=op.f("fk_stocktakes_closed_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["staff.id"], name=op.f("fk_stocktakes_opened_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktakes")),
        sa.UniqueConstraint("doc_no", name=op.f("uq_stocktakes_doc_no")),
    )
    with op.batch_alter_table("stocktakes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stocktakes_status"), ["status"], unique=False)
    op.create_table(
        "stocktake_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stocktake_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("counted_qty", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("shelf", sa.String(length=32), nullable=False),
        sa.Column("counted_by", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["counted_by"], ["staff.id"], name=op.f("fk_stocktake_counts_counted_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stocktake_counts_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["stocktake_id"],
            ["stocktakes.id"],
            name=op.f("fk_stocktake_counts_stocktake_id_stocktakes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktake_counts")),
        sa.UniqueConstraint("stocktake_id", "product_id", name="uq_stocktake_counts_product"),
    )


def _create_stock_tables() -> None:
    op.create_table(
        "stock_levels",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reorder_level", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_levels_product_id_products")
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_stock_levels")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.create_index("ix_stock_levels_on_hand", ["on_hand", "product_id"], unique=False)
        batch_op.create_index(
            "ix_stock_levels_shortfall",
            [sa.text("on_hand - reorder_level"), "product_id"],
            unique=False,
            sqlite_where=sa.text("reorder_level IS NOT NULL"),
        )
    op.create_table(
        "label_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_label_queue_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_queue")),
    )
    with op.batch_alter_table("label_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_label_queue_printed_at"), ["printed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_label_queue_product_id"), ["product_id"], unique=False)


def _create_report_tables() -> None:
    op.create_table(
        "report_sales_hours",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("is_member", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _SALES_SUMS),
        sa.PrimaryKeyConstraint(*_SALES_KEY.split(", "), name=op.f("pk_report_sales_hours")),
        sqlite_with_rowid=False,
    )
    _product_figures(sa.Column("day", sa.String(length=10), nullable=False), "report_product_days")
    _product_figures(
        sa.Column("month", sa.String(length=7), nullable=False), "report_product_months"
    )
    op.create_table(
        "report_payment_days",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("tender", sa.String(length=16), nullable=False),
        sa.Column("sale_kind", sa.String(length=8), nullable=False),
        sa.Column("payments", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "tender", "sale_kind", name=op.f("pk_report_payment_days")),
        sqlite_with_rowid=False,
    )
    # Directly, not in batch mode: the journal must never be copied (its triggers would go).
    op.create_index("ix_journal_kind_created_at", "journal", ["kind", "created_at"])


def upgrade() -> None:
    _create_documents()
    _create_stocktakes()
    _create_stock_tables()
    _create_report_tables()
    for statement in BACKFILL:
        op.execute(statement)
    for name, (when, statements) in TRIGGERS.items():
        body = "".join(f"{statement};\n" for statement in statements)
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN\n{body}END")


def downgrade() -> None:
    for name in reversed(TRIGGERS):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_journal_kind_created_at", table_name="journal")
    for table in (
        "report_payment_days",
        "report_product_months",
        "report_product_days",
        "report_sales_hours",
        "label_queue",
        "stock_levels",
        "stocktake_counts",
        "stocktakes",
        "receiving_lines",
        "receivings",
        "suppliers",
    ):
        op.drop_table(table)
