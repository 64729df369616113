"""Pinyin for product search: the name keys (可口可乐 → kekoukele, kkkl) and the readings of a
short Hanzi word, so that search can find "可乐" through the pinyin the name was indexed with.

The keys come from sync.pinyin, the one implementation the till and the mall share: a product
synced from the mall and one imported at the till must get the same keys. The readings follow
how pypinyin reads a name: each character as it reads it alone, or as a dictionary phrase does.
"""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache

from sync.pinyin import pinyin_keys

__all__ = ["MAX_READINGS", "hanzi_readings", "is_hanzi", "pinyin_keys"]

MAX_READINGS = 32
_HANZI_RUN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def is_hanzi(text: str) -> bool:
    """True if text is one run of Hanzi and nothing else."""
    return _HANZI_RUN.fullmatch(text) is not None


@cache
def _phrase_readings() -> dict[str, frozenset[str]]:
    """Hanzi → the toneless readings pypinyin's phrase dictionary gives it (乐 → le, yue, lao)."""
    from pypinyin.constants import PHRASES_DICT  # loaded on first use: it costs ~0.2 s
    from pypinyin.contrib.tone_convert import to_normal

    found: dict[str, set[str]] = {}
    for phrase, readings in PHRASES_DICT.items():
        for char, options in zip(phrase, readings, strict=False):
            found.setdefault(char, set()).add(to_normal(options[0]))
    return {char: frozenset(readings) for char, readings in found.items()}


@lru_cache(maxsize=8192)
def _char_readings(char: str) -> tuple[str, ...]:
    """Every reading pypinyin can give char inside a name: its reading on its own, and the one
    each dictionary phrase containing it uses; ("",) for a character it does not know."""
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    own = PINYIN_DICT.get(ord(char))
    readings = {to_normal(own.split(",")[0])} if own else set()
    readings |= _phrase_readings().get(char, frozenset())
    known = sorted(r for r in readings if r.isascii() and r.isalpha())
    return tuple(known) or ("",)


def hanzi_readings(word: str) -> frozenset[str]:
    """Every full-pinyin reading of a Hanzi word, one per combination of its characters'
    readings (可乐 → kele, keyue, kelao): whatever reading pinyin_keys gave the word inside a
    name is among them. Empty if there are more than MAX_READINGS combinations.
    """
    per_char = [_char_readings(char) for char in word]
    count = 1
    for readings in per_char:
        count *= len(readings)
    if count > MAX_READINGS:
        return frozenset()
    return frozenset("".join(combo) for combo in itertools.product(*per_char))
