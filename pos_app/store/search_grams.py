"""The SQL functions the product search index's views call, registered on every connection of
this process (every SQLAlchemy engine), in triggers and in a bulk rebuild alike.

search_chars() (migration 0016) writes a name or its initials as one token per character for
the `products_chars` index, whose tokenizer splits at spaces only: a one-character query is a
token, a two-character query a phrase of two neighbouring tokens. Whitespace is dropped first,
so 可口 可乐 holds the pair 口可.

search_grams() wrote the padded grams of migration 0009's `short` column; migration 0009 (on a
till older than it) and the downgrade of 0016 still build that column with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from operator import add
from typing import Any

from sqlalchemy import Engine, event

_PAD = "\x1f"
_PAD2 = _PAD + _PAD
# ASCII control characters are separators to the index's tokenizer: a name's are written as a
# character no query can hold (queries drop everything unprintable), so they still part the
# characters either side as they did in 0009's grams.
UNSEARCHABLE = "\ue000"
_CONTROLS = {code: UNSEARCHABLE for code in (*range(0x20), 0x7F)}


def search_chars(text: str | None) -> str:
    """text lower-cased, without whitespace, a space after every character but the last:
    "可口 可乐" → "可 口 可 乐". (Called once per product and column when products are indexed
    in bulk, so written for speed: the translation runs only for text holding something
    unprintable, which shop data almost never does.)"""
    if not text:
        return ""
    squeezed = "".join(text.lower().split())
    if not squeezed.isprintable():
        squeezed = squeezed.translate(_CONTROLS)
    return " ".join(squeezed)


def search_grams(name: str | None, initials: str | None) -> str:
    """The padded one- and two-character grams of name and initials, each once: the name's
    characters, its pairs, then the initials' characters and pairs the name lacks."""
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
        + _padded(pairs, _PAD)
        + _padded(more_singles, _PAD2)
        + _padded(more_pairs, _PAD)
    )


def _squeezed(text: str | None) -> str:
    return "".join(text.lower().split()) if text else ""


def _padded(grams: Iterable[str], pad: str) -> str:
    """ "a␟b␟" for grams a, b and pad ␟; "" for none."""
    joined = pad.join(grams)
    return joined + pad if joined else ""


def register(dbapi_connection: Any) -> None:
    """Make search_chars() and search_grams() callable from SQL on this connection (SQLite
    only)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("search_chars", 1, search_chars, deterministic=True)
        dbapi_connection.create_function("search_grams", 2, search_grams, deterministic=True)


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    register(dbapi_connection)
