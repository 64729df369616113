"""Member codes: signed by the mall with Ed25519, checked by the till offline; any change, an
expired code or one signed by another key is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from sync.member_code import (
    CODE_PREFIX,
    ExpiredMemberCode,
    ForgedMemberCode,
    MalformedMemberCode,
    MemberCodeError,
    sign_member_code,
    verify_member_code,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
PRIVATE = Ed25519PrivateKey.generate()
PUBLIC = PRIVATE.public_key().public_bytes_raw()
CODE = sign_member_code(
    member_id="M0123456789AB",
    tier="gold",
    expires_at=NOW + timedelta(minutes=5),
    private_key=PRIVATE.private_bytes_raw(),
)
URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def test_a_fresh_code_names_the_member_and_tier() -> None:
    """The till reads member id, tier and expiry from a code the mall signed."""
    token = verify_member_code(CODE, PUBLIC, now=NOW)
    assert (token.member_id, token.tier) == ("M0123456789AB", "gold")
    assert token.expires_at == NOW + timedelta(minutes=5)
    assert CODE.startswith(CODE_PREFIX) and len(CODE) < 130


def test_an_expired_code_is_refused_with_a_reason() -> None:
    """Five minutes later the screenshot of a code no longer works."""
    with pytest.raises(ExpiredMemberCode, match="refresh"):
        verify_member_code(CODE, PUBLIC, now=NOW + timedelta(minutes=5))


def test_a_code_signed_by_another_key_is_refused_as_forged() -> None:
    """Only the mall's key makes codes this till accepts."""
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    with pytest.raises(ForgedMemberCode, match="not genuine"):
        verify_member_code(CODE, other, now=NOW)


def test_a_till_without_the_malls_key_refuses_every_code() -> None:
    """An unpaired till cannot vouch for any member code."""
    with pytest.raises(ForgedMemberCode, match="pair"):
        verify_member_code(CODE, b"", now=NOW)


GARBAGE = ["", "MC1", "MC1!!!!", "6901234567892", "MC1" + "A" * 300, "MC1AAAA", "mc1" + CODE[3:]]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_text_that_is_not_a_member_code_is_refused_as_malformed(garbage: str) -> None:
    """Barcodes, truncated or oversized codes are not member codes."""
    with pytest.raises(MalformedMemberCode):
        verify_member_code(garbage, PUBLIC, now=NOW)


@given(
    position=st.integers(min_value=len(CODE_PREFIX), max_value=len(CODE) - 1),
    replacement=st.sampled_from(URL_SAFE),
)
def test_any_single_character_change_is_refused(position: int, replacement: str) -> None:
    """Changing any character of the code (member id, tier, expiry or signature) is refused."""
    changed = CODE[:position] + replacement + CODE[position + 1 :]
    if changed == CODE:
        return
    with pytest.raises(MemberCodeError):
        verify_member_code(changed, PUBLIC, now=NOW)


@given(cut=st.integers(min_value=0, max_value=len(CODE) - 1), extra=st.text(URL_SAFE, max_size=4))
def test_a_cut_or_extended_code_is_refused(cut: int, extra: str) -> None:
    """A code cut short or with characters added is refused, never misread."""
    with pytest.raises(MemberCodeError):
        verify_member_code(CODE[:cut] + extra, PUBLIC, now=NOW)
