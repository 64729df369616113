"""Alembic environment for the till database (batch mode for SQLite ALTERs)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import pos_app.store.backoffice_models  # these modules' tables belong in the metadata
import pos_app.store.member_models
import pos_app.store.payment_models
import pos_app.store.search_grams  # noqa: F401  # the SQL functions of the search index views
from pos_app.store.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url is not None
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
