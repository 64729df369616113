"""The till's database as the screens hold it: a handle they pass to the services, which open
their own unit of work on it (`read()` or `write()`). The UI imports it from here, never from
the store."""

from __future__ import annotations

from pos_app.store.db import Database

__all__ = ["Database"]
