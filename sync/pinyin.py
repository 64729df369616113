"""Pinyin search keys of a product name (全拼 and 首字母), as the till's search expects them."""

from __future__ import annotations

NAME_MAX = 120  # characters of a product name (the till's and the mall's column, the protocol)
LONGEST_SYLLABLE = 6  # letters: zhuang, chuang, shuang
# Keys of the longest name never cut: every Han character one syllable, anything else one
# letter or digit at most.
FULL_MAX, INITIALS_MAX = NAME_MAX * LONGEST_SYLLABLE, NAME_MAX
_OTHER = "\x00"  # marks a run of non-Han characters in pypinyin's output


def _mark_other(chunk: str) -> str:
    return _OTHER + chunk


def pinyin_keys(name: str) -> tuple[str, str]:
    """("kekoukele330ml", "kkkl330ml") for "可口可乐 330ml": lower case, letters and digits only.

    A Han character contributes its syllable to the full key and its first letter to the
    initials; a run of Latin letters or digits stays whole in both.
    """
    from pypinyin import lazy_pinyin  # here, not at import: its dictionaries cost ~0.2 s

    full: list[str] = []
    initials: list[str] = []
    for chunk in lazy_pinyin(name, errors=_mark_other):
        word = "".join(ch for ch in chunk.lower() if ch.isascii() and ch.isalnum())
        if word:
            full.append(word)
            initials.append(word if chunk.startswith(_OTHER) else word[0])
    return "".join(full)[:FULL_MAX], "".join(initials)[:INITIALS_MAX]
