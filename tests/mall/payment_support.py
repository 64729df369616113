"""Helpers for payment tests: fast sandbox timings, fresh payment codes that pick a sandbox
scenario, and waiting on a condition with a deadline (the mall settles payments on its own
thread, so tests wait for the state they expect, never for a fixed time)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import TypeVar

from mall.payments.config import PaymentSettings

T = TypeVar("T")
# Query every 0.1 s, give up after 1.5 s, the customer confirms after 0.3 s, slow answers 0.2 s.
FAST_PAYMENTS = PaymentSettings(
    query_interval_s=0.1, deadline_s=1.5, sandbox_confirm_s=0.3, sandbox_slow_s=0.2
)
_serial = itertools.count(int(time.time() * 1000) % 10**9)


def payment_code(scenario: str = "", provider: str = "wechat") -> str:
    """A new WeChat (18 digits) or Alipay (20 digits) code; scenario "01" ends in 9901 etc."""
    tail = f"99{scenario}" if scenario else "0000"
    serial = next(_serial)
    if provider == "wechat":
        return f"13{serial:012d}{tail}"
    return f"28{serial:014d}{tail}"


def eventually(probe: Callable[[], T], accept: Callable[[T], bool], timeout_s: float = 10.0) -> T:
    """probe() until accept(result) holds; AssertionError with the last result at the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = probe()
        if accept(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still {result!r} after {timeout_s} s")
        time.sleep(0.05)
