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
from collections.abc import Iterable
from operator import add
from typing import Any

from sqlalchemy import Engine, event

PAD = "\x1f"
_PAD2 = PAD + PAD


def search_grams(name: str | None, initials: str | None) -> str:
    """The padded one- and two-character grams of name and initials, each once: the name's
    characters, its pairs, then the initials' characters and pairs the name lacks. (Called once
    per product when products are indexed in bulk, so written for speed: str.split() drops the
    same whitespace as str.isspace(), and a gram is padded when joined, not one by one.)"""
    name_chars, initials_chars = _squeezed(name), _squeezed(initials)
    singles = dict.fromkeys(name_chars)
    pairs = dict.fromkeys(map(add, name_chars, name_chars[1:]))
    more_singles = [ch for ch in dict.fromkeys(initials_chars) if ch not in singles]
    more_pairs = [
        pair
        for pair in dict.fromkeys(map(add, initials_chars, initials_chars[1:]))
        if pair not in pairs
    ]
    return (
        _padded(singles, _PAD2)
        + _padded(pairs, PAD)
        + _padded(more_singles, _PAD2)
        + _padded(more_pairs, PAD)
    )


def _squeezed(text: str | None) -> str:
    return "".join(text.lower().split()) if text else ""


def _padded(grams: Iterable[str], pad: str) -> str:
    """ "a␟b␟" for grams a, b and pad ␟; "" for none."""
    joined = pad.join(grams)
    return joined + pad if joined else ""


def register(dbapi_connection: Any) -> None:
    """Make search_grams() callable from SQL on this connection (SQLite only)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("search_grams", 2, search_grams, deterministic=True)


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    register(dbapi_connection)
