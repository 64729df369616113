"""Delays between failed sync rounds: exponential with jitter, so a hundred tills that lost the
network together do not all knock on the mall at the same second when it comes back."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    base_s: float = 2.0
    max_s: float = 300.0

    def delay_s(self, failures: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after the given number of consecutive failures (≥ 1): a random
        point in the upper half of min(max_s, base_s × 2^(failures − 1))."""
        ceiling = min(self.max_s, self.base_s * 2 ** min(max(failures, 1) - 1, 32))
        return (rng or random).uniform(ceiling / 2, ceiling)
