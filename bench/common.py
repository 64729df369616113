"""Helpers shared by the benchmarks: figures printed as one JSON object per line, percentiles,
and demo databases kept in bench/data/ (gitignored) so a 1,000,000-SKU catalog is built once."""

from __future__ import annotations

import json
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def report(metric: str, value: float, unit: str, budget: float | None) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit, "budget": budget}))


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def demo_db(skus: int) -> Path:
    """A migrated till database with the demo store and `skus` products, built once and reused."""
    from pos_app.demo.data import generate_demo_catalog, seed_demo_store
    from pos_app.store.db import Database
    from pos_app.store.migrate import upgrade

    path = DATA_DIR / f"till-{skus}.db"
    ready = path.with_suffix(".ready")
    if ready.exists():
        upgrade(path)  # a file built by an older schema is brought up to date once
        return path
    for stale in DATA_DIR.glob(f"till-{skus}.db*"):
        stale.unlink()
    upgrade(path)
    db = Database(path)
    try:
        seed_demo_store(db)
        generate_demo_catalog(db, skus)
    finally:
        db.dispose()
    ready.touch()
    return path
