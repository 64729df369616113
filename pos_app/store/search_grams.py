"""The short grams of a product for the search index (migration 0009), as an SQL function.

The FTS5 trigram index cannot see fewer than three characters. Its `short` column therefore
holds every distinct character of the name and of the pinyin initials followed by two U+001F,
and every distinct pair followed by one (水 → "水␟␟", 小面 → "小面␟", xm → "xm␟"), spaces
ignored. A one- or two-character query is then a three-character phrase the index answers
completely. SQLite calls search_grams() from the index's view on every connection of this
process (registered for every SQLAlchemy engine), in triggers and in a bulk rebuild alike.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, event

PAD = "\x1f"
_PAD2 = PAD + PAD


def search_grams(name: str | None, initials: str | None) -> str:
    """The padded one- and two-character grams of name and initials, each once. (Called once
    per product by a bulk index rebuild, so written for speed: str.split() drops the same
    whitespace as str.isspace().)"""
    grams: dict[str, None] = {}
    for text in (name or "", initials or ""):
        chars = "".join(text.lower().split())
        grams.update(dict.fromkeys([ch + _PAD2 for ch in chars]))
        grams.update(dict.fromkeys([chars[i : i + 2] + PAD for i in range(len(chars) - 1)]))
    return "".join(grams)


def register(dbapi_connection: Any) -> None:
    """Make search_grams() callable from SQL on this connection (SQLite only)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("search_grams", 2, search_grams, deterministic=True)


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    register(dbapi_connection)
