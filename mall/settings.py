"""The mall's settings: where its database lives and the limits it enforces on requests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

DB_URL_ENV = "POS_MALL_DB"


def default_database_url() -> str:
    """$POS_MALL_DB, else a SQLite file in the user's data dir (e.g. ~/.local/share/pos-mall)."""
    url = os.environ.get(DB_URL_ENV)
    if url:
        return url
    data_dir = Path(user_data_dir("pos-mall", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'mall.db'}"


@dataclass(frozen=True)
class MallSettings:
    database_url: str
    max_body_bytes: int = 4 * 1024 * 1024  # as sent (maybe gzip)
    max_inflated_bytes: int = 16 * 1024 * 1024  # after gunzip
    pairing_code_ttl_s: int = 30 * 60
    snapshot_chunk: int = 5000
