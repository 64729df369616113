"""Pinyin keys of product names and the readings search uses for one or two Hanzi."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pos_app.services.pinyin import hanzi_readings, is_hanzi, pinyin_keys

# Shop characters, many with several readings (乐 le/yue/lao, 行 xing/hang, 长 chang/zhang).
SHOP_HANZI = "可口乐亭百事银行长城重庆音盒和还的了地得茶奶牛面鱼鸡米水油盐酱醋糖果干湿大小青柠单"


def test_coca_cola_gives_full_pinyin_and_initials() -> None:
    """可口可乐 is kekoukele in full and kkkl as initials."""
    assert pinyin_keys("可口可乐") == ("kekoukele", "kkkl")


def test_letters_and_digits_stay_lowercased_and_punctuation_goes() -> None:
    """Latin letters and digits are kept whole in both keys; spaces and symbols are dropped."""
    assert pinyin_keys("可口可乐 330ML 听装") == ("kekoukele330mltingzhuang", "kkkl330mltz")
    assert pinyin_keys("Oreo-奥利奥!") == ("oreoaoliao", "oreoala")


def test_phrases_are_read_in_context() -> None:
    """重庆 is chongqing and 银行 yinhang, not the characters' first readings."""
    assert pinyin_keys("重庆 银行") == ("chongqingyinhang", "cqyh")


def test_keys_of_a_name_are_the_keys_of_its_space_separated_parts_joined() -> None:
    """Demo data relies on computing keys part by part; the result equals the whole name's."""
    name = "农夫山泉 饮用天然水 550ml 瓶装"
    parts = [pinyin_keys(part) for part in name.split()]
    assert pinyin_keys(name) == ("".join(p[0] for p in parts), "".join(p[1] for p in parts))


def test_readings_of_a_word_cover_every_heteronym() -> None:
    """乐 is le alone, yue in 音乐 and lao in 乐亭: 可乐 lists all three ways."""
    assert hanzi_readings("可乐") == {"kele", "keyue", "kelao"}
    assert is_hanzi("可乐") and not is_hanzi("可乐330") and not is_hanzi("")


@given(
    st.text(alphabet=SHOP_HANZI, min_size=1, max_size=12),
    st.integers(min_value=0, max_value=11),
    st.integers(min_value=1, max_value=2),
)
def test_any_short_word_of_a_name_has_a_reading_inside_the_names_full_pinyin(
    name: str, start: int, length: int
) -> None:
    """Search relies on it: whatever reading a name gives a 1–2 Hanzi word, it is listed."""
    word = name[start : start + length]
    if not word:
        return
    full, _ = pinyin_keys(name)
    assert any(reading in full for reading in hanzi_readings(word))
