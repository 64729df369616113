"""The first-start catalog snapshot: gzip-compressed NDJSON, streamed chunk by chunk.

Line one is a SnapshotHeader with the feed position read before any product; then one
ProductData per line; the last line is SnapshotEnd with the count, so a cut stream is noticed.
Products changed while streaming are also in the feed after that position, and feed data is
always the latest state, so a till that applies the snapshot and then the feed ends up exact.
Memory stays at one chunk however large the catalog.

A till that asks with `after` (a product id, 0 to start) gets a SnapshotMark line after each
chunk: the id to ask from and the feed position to keep, so a download cut by a crash or a lost
connection goes on from its last stored chunk instead of starting over. Its `seq` is the header
position of the first request, so the feed still brings whatever changed in the meantime.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any

from mall.catalog_view import product_chunk
from mall.db import MallDatabase
from mall.feed import head_seq, publish
from sync.protocol import SNAPSHOT_FORMAT

COMPRESS_LEVEL = 6


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _line(data: dict[str, Any]) -> str:
    return _ENCODER.encode(data) + "\n"


def snapshot_stream(
    db: MallDatabase,
    store_id: str,
    *,
    chunk: int,
    after: int | None = None,
    seq: int | None = None,
) -> Iterator[bytes]:
    """Yields the gzip stream; each chunk of products is read in its own short transaction.
    With after (resumable), products with a greater id follow, each chunk then a mark line;
    seq, if given, is the header's feed position instead of the head."""
    deflate = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, 31)
    if seq is None:
        publish(db)  # the cursor given covers every change committed before products are read
        with db.read() as session:
            seq = head_seq(session)
    header = {"type": "header", "format": SNAPSHOT_FORMAT, "store_id": store_id, "server_seq": seq}
    yield deflate.compress(_line(header).encode())
    last, count = after or 0, 0
    while True:
        with db.read() as session:
            last, products = product_chunk(session, store_id, last, chunk)
        if not products:
            break
        count += len(products)
        text = "".join(map(_line, products))
        if after is not None:
            text += _line({"type": "mark", "after": last})
        data = deflate.compress(text.encode())
        if data:
            yield data
    yield deflate.compress(_line({"type": "end", "count": count}).encode()) + deflate.flush()
