"""What a till loads right after its first screen, on a thread of its own, so that neither the
first search nor the first sale pays for it: pypinyin's and zhconv's tables (~0.5 s) and the
sync contract's models (pydantic, ~0.25 s), which every sale's outbox event is built from.
Nothing before the first screen imports them (tests/test_start_imports.py)."""

from __future__ import annotations

import importlib

from pos_app.services.search import prepare_search

CONTRACT_MODULES = (
    "sync.protocol",
    "sync.member_protocol",
    "sync.coupon_protocol",
    "sync.payment_protocol",
)


def warm_up() -> None:
    """Load the search tables and the contract's modules now. Call it from a worker thread."""
    prepare_search()
    for module in CONTRACT_MODULES:
        importlib.import_module(module)
