"""Alembic environment for the mall database (batch mode so SQLite ALTERs work too)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

import mall.coupons.models
import mall.customer.models  # its tables belong in the metadata
import mall.members.models  # (as are these)
import mall.payment_models  # noqa: F401  (its tables belong in the metadata)
from mall.models import Base

MIGRATION_LOCK = 0x6D616C6C  # "mall": the advisory lock key that serialises upgrades

url = context.config.get_main_option("sqlalchemy.url")
assert url is not None
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Workers and `pos-mall db upgrade` may start at once: one migrates, the others wait
            # here (the lock ends with this transaction) and then find nothing left to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()
engine.dispose()
