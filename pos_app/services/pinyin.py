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

__all__ = [
    "MAX_READINGS",
    "char_readings",
    "hanzi_readings",
    "is_hanzi",
    "pinyin_keys",
    "reading_variants",
    "spells",
]

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


# -- readings for matching what was typed against a name (polyphones, ü typed as v or u) -----

_U_FORMS = {"lv": "lu", "nv": "nu", "lve": "lue", "nve": "nue", "lvn": "lun"}


_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


def _toneless(reading: str) -> str:
    """lǜ → lv: tone marks off, ü as v (a table, not pypinyin's converter: 40,000 characters'
    readings are converted on first use)."""
    return reading.translate(_TONES)


@cache
def _heteronyms() -> dict[str, tuple[str, ...]]:
    """Hanzi → every toneless reading pypinyin knows for it (单 → dan, chan, shan), with ü as
    both v and u (绿 → lv, lu)."""
    from pypinyin.constants import PINYIN_DICT

    table: dict[str, tuple[str, ...]] = {}
    for code, readings in PINYIN_DICT.items():
        found = {_toneless(r) for r in readings.split(",")}
        found |= {_U_FORMS[r] for r in found if r in _U_FORMS}
        table[chr(code)] = tuple(sorted(r for r in found if r.isascii() and r.isalpha()))
    return table


def char_readings(char: str) -> tuple[str, ...]:
    """Every reading of one character, or the character itself (lower case) if it has none."""
    return _heteronyms().get(char) or (char.lower(),)


PARTNERS_PER_SYLLABLE = 40


@cache
def _partners() -> dict[str, tuple[str, ...]]:
    """Syllable → other readings of characters that can be read that way (shan → dan, chan,
    ...): what the index may hold where the cashier typed this syllable. Only characters of
    pypinyin's phrase dictionary count (the rare ones would drown the useful pairs), most
    shared pairs first; ü written v or u always pairs."""
    from collections import Counter

    from pypinyin.constants import PHRASES_DICT

    common = {char for phrase in PHRASES_DICT for char in phrase}
    pairs: dict[str, Counter[str]] = {}
    for char, readings in _heteronyms().items():
        if char not in common:
            continue
        for reading in readings:
            pairs.setdefault(reading, Counter()).update(r for r in readings if r != reading)
    found: dict[str, tuple[str, ...]] = {}
    for syllable, counter in pairs.items():
        u_form = {_U_FORMS.get(syllable), *(v for v, u in _U_FORMS.items() if u == syllable)}
        top = [r for r, _ in counter.most_common(PARTNERS_PER_SYLLABLE)]
        found[syllable] = tuple(dict.fromkeys([*(r for r in u_form if r), *top]))
    return found


def _segment(word: str) -> list[str] | None:
    """Split letters into pinyin syllables, longest first ("shanxian" → shan, xian)."""
    known = _partners()
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[len(word)] = []
    for start in range(len(word) - 1, -1, -1):
        for end in range(min(len(word), start + 6), start, -1):
            rest = best[end]
            if rest is not None and word[start:end] in known:
                best[start] = [word[start:end], *rest]
                break
    return best[0]


def reading_variants(word: str, *, limit: int = 24) -> list[str]:
    """Spellings of word with one syllable read another way its characters allow: what the
    index holds for 单县 (danxian) when the cashier typed shanxian. At most `limit`."""
    syllables = _segment(word)
    if not syllables:
        return []
    variants: list[str] = []
    partners = _partners()
    for i, syllable in enumerate(syllables):
        for other in partners.get(syllable, ()):
            variants.append("".join([*syllables[:i], other, *syllables[i + 1 :]]))
    return [v for v in dict.fromkeys(variants) if v != word][:limit]


def _units(name: str) -> list[tuple[str, ...]]:
    """What each character of name may be typed as: its readings and their first letters."""
    units = []
    for char in name.lower():
        if char.isspace():
            continue
        readings = char_readings(char)
        units.append(tuple({*readings, *(r[0] for r in readings)}))
    return units


def spells(name: str, typed: str) -> bool:
    """True if typed (letters, digits, Hanzi) spells consecutive characters of name, each as
    itself, a reading or the first letter of a reading: cq小面 and chongqingxm both spell
    重庆小面, shanxian spells 单县."""
    units = _units(name)
    typed = typed.lower()

    @cache
    def rest_from(unit: int, pos: int) -> bool:
        if pos == len(typed):
            return True
        if unit == len(units):
            return False
        return any(
            typed.startswith(option, pos) and rest_from(unit + 1, pos + len(option))
            for option in units[unit]
        ) or (typed[pos] == name_chars[unit] and rest_from(unit + 1, pos + 1))

    name_chars = [ch for ch in name.lower() if not ch.isspace()]
    return any(rest_from(start, 0) for start in range(len(units)))
