"""Receipt QR tokens: signed by the till, verified by the mall, refused when anything is off."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.receipt_token import (
    ExpiredToken,
    MalformedToken,
    ReceiptTokenError,
    TamperedToken,
    UnknownKey,
    receipt_url,
    sign_receipt_token,
    unverified_store_id,
    verify_receipt_token,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
SOLD_AT = datetime(2025, 3, 1, 6, 5, tzinfo=UTC)
NOW = SOLD_AT + timedelta(hours=2)
MAX_AGE = timedelta(days=30)
ALPHABET = string.ascii_letters + string.digits + "-_"


def _sign(**changes: object) -> str:
    fields: dict[str, object] = {
        "store_id": "S001",
        "till_id": "T01",
        "till_seq": 1234,
        "amount_fen": 12345,
        "issued_at": SOLD_AT,
        "kid": "1",
        "key": KEY,
    }
    fields.update(changes)
    return sign_receipt_token(**fields)  # type: ignore[arg-type]


TOKEN = _sign()


def test_a_signed_token_verifies_to_the_sale_it_was_made_for() -> None:
    """Verification gives back store, till, sequence, amount, time and key id."""
    claim = verify_receipt_token(TOKEN, {"1": KEY}, now=NOW, max_age=MAX_AGE)
    assert (claim.store_id, claim.till_id, claim.till_seq) == ("S001", "T01", 1234)
    assert (claim.amount_fen, claim.issued_at, claim.kid) == (12345, SOLD_AT, "1")


def test_the_token_is_about_32_url_safe_characters() -> None:
    """A typical token stays short enough for a small QR code and needs no URL escaping."""
    assert 30 <= len(TOKEN) <= 36
    assert set(TOKEN) <= set(ALPHABET)


def test_refund_amounts_and_long_ids_round_trip() -> None:
    """Negative amounts, big sequence numbers and 15-character ids survive signing."""
    token = _sign(store_id="STORE-0000012_x", till_id="T99", till_seq=2**31, amount_fen=-99_999)
    claim = verify_receipt_token(token, {"1": KEY}, now=NOW, max_age=MAX_AGE)
    assert (claim.store_id, claim.till_seq, claim.amount_fen) == ("STORE-0000012_x", 2**31, -99_999)


def test_the_mall_can_read_the_store_before_choosing_keys() -> None:
    """The store id is readable without the key, to look up that store's keys."""
    assert unverified_store_id(TOKEN) == "S001"


def test_a_rotated_key_still_verifies_old_receipts() -> None:
    """Tokens signed with an older key id verify as long as the mall keeps that key."""
    old = _sign(kid="1", key=KEY)
    new = _sign(kid="2", key=OTHER_KEY)
    keys = {"1": KEY, "2": OTHER_KEY}
    assert verify_receipt_token(old, keys, now=NOW, max_age=MAX_AGE).kid == "1"
    assert verify_receipt_token(new, keys, now=NOW, max_age=MAX_AGE).kid == "2"


def test_a_wrong_key_id_is_refused() -> None:
    """A token naming a key id the mall does not have is refused as UnknownKey."""
    with pytest.raises(UnknownKey, match="key '7'"):
        verify_receipt_token(_sign(kid="7"), {"1": KEY}, now=NOW, max_age=MAX_AGE)


def test_a_token_signed_with_another_key_is_refused_as_tampered() -> None:
    """The right key id with the wrong key bytes fails the signature check."""
    with pytest.raises(TamperedToken, match="not genuine"):
        verify_receipt_token(_sign(key=OTHER_KEY), {"1": KEY}, now=NOW, max_age=MAX_AGE)


def test_an_expired_token_is_refused() -> None:
    """A genuine token older than max_age is refused as ExpiredToken."""
    later = SOLD_AT + MAX_AGE + timedelta(minutes=1)
    with pytest.raises(ExpiredToken, match="expired"):
        verify_receipt_token(TOKEN, {"1": KEY}, now=later, max_age=MAX_AGE)


@pytest.mark.parametrize("garbage", ["", "abc", "not a token!", "A" * 80, TOKEN + "="])
def test_garbage_is_refused_as_malformed(garbage: str) -> None:
    """Text that cannot be a token is refused with MalformedToken, not a crash."""
    with pytest.raises(MalformedToken):
        verify_receipt_token(garbage, {"1": KEY}, now=NOW, max_age=MAX_AGE)


@given(position=st.integers(0, len(TOKEN) - 1), replacement=st.sampled_from(ALPHABET))
def test_any_single_character_change_is_refused(position: int, replacement: str) -> None:
    """Changing any one character of a token makes it invalid (never a different valid claim)."""
    if TOKEN[position] == replacement:
        return
    changed = TOKEN[:position] + replacement + TOKEN[position + 1 :]
    with pytest.raises(ReceiptTokenError):
        verify_receipt_token(changed, {"1": KEY}, now=NOW, max_age=MAX_AGE)


@given(
    till_seq=st.integers(0, 2**40),
    amount_fen=st.integers(-(2**39), 2**39),
    minutes=st.integers(0, 30 * 365 * 24 * 60),
)
def test_any_sale_round_trips_through_a_token(till_seq: int, amount_fen: int, minutes: int) -> None:
    """Whatever the sequence, amount and time, verification returns exactly what was signed."""
    issued = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    token = _sign(till_seq=till_seq, amount_fen=amount_fen, issued_at=issued)
    claim = verify_receipt_token(token, {"1": KEY}, now=issued, max_age=MAX_AGE)
    assert (claim.till_seq, claim.amount_fen, claim.issued_at) == (till_seq, amount_fen, issued)


def test_signing_refuses_ids_and_keys_that_cannot_be_carried() -> None:
    """Ids outside the token's alphabet, short keys and bad key ids are programming errors."""
    for bad in ({"store_id": "门店1"}, {"till_id": ""}, {"key": b"short"}, {"kid": "g"}):
        with pytest.raises(ValueError):
            _sign(**bad)


def test_receipt_url_puts_the_token_under_r() -> None:
    """The QR link is the mall's base URL, /r/, then the token."""
    assert receipt_url("https://mall.example.cn/", TOKEN) == f"https://mall.example.cn/r/{TOKEN}"
