"""Product search p95 at N SKUs for name, pinyin-initials, full-pinyin and barcode queries, as
the search dialog runs them (one read transaction each). Budget 50 ms p95 (DESIGN §10).

Name queries are words of the demo catalog cut to 1–4 characters; "absent" names are words no
demo product has, the slowest case for one- and two-character words.
"""

from __future__ import annotations

import argparse
import random
import time

from bench.common import demo_db, percentile, report
from pos_app.services.demo_data import spread_barcodes
from pos_app.services.demo_vocabulary import CATEGORIES, FRESH
from pos_app.services.pinyin import is_hanzi, pinyin_keys
from pos_app.services.search import prepare_search, search_products
from pos_app.store.db import Database

BUDGET_MS = 50
ABSENT_WORDS = ("榴莲", "龙虾", "螺蛳粉", "茅台", "咖喱", "蟹", "鳄", "榨汁机", "鲍鱼", "燕窝")


def _lines() -> list[str]:
    return [
        line for words in (*CATEGORIES, FRESH) for group in words.groups for line in group.lines
    ]


def _queries(rng: random.Random, count: int) -> dict[str, list[str]]:
    """Name, initials and full-pinyin queries a cashier might type for demo products."""
    parts = sorted({part for line in _lines() for part in line.split() if is_hanzi(part)})
    names, initials, full = [], [], []
    for _ in range(count):
        part = rng.choice(parts)
        length = rng.randint(1, min(4, len(part)))
        start = rng.randrange(len(part) - length + 1)
        names.append(part[start : start + length])
        part_full, part_initials = pinyin_keys(rng.choice(parts))
        initials.append(part_initials[: rng.randint(2, 5)])
        full.append(part_full[: rng.randint(3, 8)])
    return {"name": names, "initials": initials, "pinyin_full": full}


def _timed(db: Database, queries: list[str]) -> list[float]:
    samples_ms = []
    for text in queries:
        start = time.perf_counter()
        with db.read() as session:
            search_products(session, text)
        samples_ms.append((time.perf_counter() - start) * 1000)
    return samples_ms


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench search")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    db = Database(demo_db(args.skus))
    start = time.perf_counter()
    prepare_search()
    report("search_prepare_ms", (time.perf_counter() - start) * 1000, "ms", None)
    rng = random.Random(1)
    queries = _queries(rng, args.queries)
    with db.read() as session:
        queries["barcode"] = spread_barcodes(session, args.queries)
    queries["name_absent"] = list(ABSENT_WORDS) * 3
    for kind, texts in queries.items():
        samples = _timed(db, texts)
        report(f"search_{kind}_p95_ms", percentile(samples, 95), "ms", BUDGET_MS)
        report(f"search_{kind}_max_ms", max(samples), "ms", None)
    db.dispose()
    return 0
