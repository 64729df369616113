"""The first-start catalog snapshot: gzip-compressed NDJSON, streamed chunk by chunk.

Line one is a SnapshotHeader with the feed position read before any product; then one
ProductData per line; the last line is SnapshotEnd with the count, so a cut stream is noticed.
Products changed while streaming are also in the feed after that position, and feed data is
always the latest state, so a till that applies the snapshot and then the feed ends up exact.
Memory stays at one chunk however large the catalog.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any

from mall.catalog_view import product_chunk
from mall.db import MallDatabase
from mall.feed import head_seq
from sync.protocol import SNAPSHOT_FORMAT

COMPRESS_LEVEL = 6


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def snapshot_stream(db: MallDatabase, store_id: str, *, chunk: int) -> Iterator[bytes]:
    """Yields the gzip stream; each chunk of products is read in its own short transaction."""
    deflate = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, 31)
    with db.read() as session:
        seq = head_seq(session)
    header = {"type": "header", "format": SNAPSHOT_FORMAT, "store_id": store_id, "server_seq": seq}
    yield deflate.compress(_line(header).encode())
    after, count = 0, 0
    while True:
        with db.read() as session:
            after, products = product_chunk(session, store_id, after, chunk)
        if not products:
            break
        count += len(products)
        data = deflate.compress("".join(map(_line, products)).encode())
        if data:
            yield data
    yield deflate.compress(_line({"type": "end", "count": count}).encode()) + deflate.flush()
