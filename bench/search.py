"""Product search p95 at N SKUs per query kind, as the search dialog runs it: the first page of
50, which the dialog shows at once (search_<kind>_p95_ms, budget 50 ms p95, DESIGN §10), and
the complete count of matches, which follows it in a second query when more match than the page
holds (search_<kind>_count_p95_ms: page and count together), one read transaction each.
Beside it, the raw limit measured in the same run: raw sqlite3 counting the same one-character
name matches by scanning the names (what an unindexed search costs).

Name queries are words of the demo catalog cut to 1–4 characters; "absent" names are words no
demo product has; one_char are single Hanzi; mixed queries put initials before Hanzi (cq小面);
partial barcodes are the first 7 or the last 6 digits. --db runs on an existing database
(e.g. one made by `pos --db PATH demo-data --skus 1000000`).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from pathlib import Path

from bench.common import demo_db, percentile, report
from pos_app.demo.data import spread_barcodes
from pos_app.demo.vocabulary import CATEGORIES, FRESH
from pos_app.services.pinyin import is_hanzi, pinyin_keys
from pos_app.services.search import prepare_search, search_page
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
    names, initials, full, one_char, mixed = [], [], [], [], []
    for _ in range(count):
        part = rng.choice(parts)
        length = rng.randint(1, min(4, len(part)))
        start = rng.randrange(len(part) - length + 1)
        names.append(part[start : start + length])
        one_char.append(rng.choice(part))
        part_full, part_initials = pinyin_keys(rng.choice(parts))
        initials.append(part_initials[: rng.randint(2, 5)])
        full.append(part_full[: rng.randint(3, 8)])
        word = rng.choice([p for p in parts if len(p) >= 3])
        mixed.append(pinyin_keys(word[:2])[1] + word[2:])
    return {
        "name": names,
        "one_char": one_char,
        "initials": initials,
        "pinyin_full": full,
        "mixed": mixed,
    }


def _timed(db: Database, queries: list[str], *, count: bool) -> list[float]:
    samples_ms = []
    for text in queries:
        start = time.perf_counter()
        with db.read() as session:
            search_page(session, text, count=count)
        samples_ms.append((time.perf_counter() - start) * 1000)
    return samples_ms


def _raw_scan_ms(path: Path, words: list[str]) -> list[float]:
    """Raw sqlite3: count the names containing each word by scanning them all."""
    connection = sqlite3.connect(path)
    samples_ms = []
    for word in words:
        start = time.perf_counter()
        connection.execute("SELECT count(*) FROM products WHERE instr(name, ?) > 0", (word,))
        samples_ms.append((time.perf_counter() - start) * 1000)
    connection.close()
    return samples_ms


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench search")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--db", type=Path, default=None, help="an existing demo database")
    args = parser.parse_args(argv)
    path = args.db or demo_db(args.skus)
    db = Database(path)
    start = time.perf_counter()
    prepare_search()
    report("search_prepare_ms", (time.perf_counter() - start) * 1000, "ms", None)
    rng = random.Random(1)
    queries = _queries(rng, args.queries)
    with db.read() as session:
        queries["barcode"] = spread_barcodes(session, args.queries)
    queries["barcode_partial"] = [
        code[:7] if n % 2 else code[-6:] for n, code in enumerate(queries["barcode"])
    ]
    queries["name_absent"] = list(ABSENT_WORDS) * 3
    for kind, texts in queries.items():
        samples = _timed(db, texts, count=False)
        report(f"search_{kind}_p95_ms", percentile(samples, 95), "ms", BUDGET_MS)
        report(f"search_{kind}_max_ms", max(samples), "ms", None)
        counted = _timed(db, texts, count=True)
        report(f"search_{kind}_count_p95_ms", percentile(counted, 95), "ms", None)
    raw = _raw_scan_ms(path, queries["one_char"][:20])
    report("raw_sqlite_name_scan_one_char_p95_ms", percentile(raw, 95), "ms", None)
    db.dispose()
    return 0
