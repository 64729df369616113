"""Alembic environment for the mall database (batch mode so SQLite ALTERs work too)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import mall.members.models  # its tables belong in the metadata
import mall.payment_models  # noqa: F401  (its tables belong in the metadata)
from mall.models import Base

url = context.config.get_main_option("sqlalchemy.url")
assert url is not None
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
