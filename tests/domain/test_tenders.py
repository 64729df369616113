"""Tests for pos_app.domain.tenders: change, split payments and which tenders may overpay."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.tenders import (
    Settlement,
    Tender,
    TenderError,
    TenderKind,
    parse_tender,
    settle,
)


def test_cash_overpayment_gives_change() -> None:
    """¥50 cash for a ¥37.80 sale gives ¥12.20 change and applies ¥37.80 cash."""
    result = settle(3780, [Tender(TenderKind.CASH, 5000)])
    assert result == Settlement(
        due_fen=3780,
        tendered_fen=5000,
        change_fen=1220,
        remaining_fen=0,
        applied=(Tender(TenderKind.CASH, 3780),),
    )
    assert result.is_paid


def test_exact_wechat_payment_pays_the_sale() -> None:
    """A WeChat payment of exactly the amount due settles with no change."""
    tender = Tender(TenderKind.WECHAT, 3000, reference="4200001234")
    result = settle(3000, [tender])
    assert result.is_paid
    assert result.change_fen == 0
    assert result.applied == (tender,)


def test_split_payment_wechat_then_cash_with_change() -> None:
    """¥30 by WeChat then ¥20 cash for ¥45 leaves ¥5 change from the cash."""
    result = settle(4500, [Tender(TenderKind.WECHAT, 3000), Tender(TenderKind.CASH, 2000)])
    assert result.is_paid
    assert result.change_fen == 500
    assert result.applied == (Tender(TenderKind.WECHAT, 3000), Tender(TenderKind.CASH, 1500))


def test_partial_payment_leaves_an_amount_remaining() -> None:
    """Tenders short of the total leave remaining_fen and the sale is not paid."""
    result = settle(4500, [Tender(TenderKind.CARD, 1000), Tender(TenderKind.CASH, 500)])
    assert (result.remaining_fen, result.change_fen, result.is_paid) == (3000, 0, False)


def test_non_cash_overpayment_is_refused_with_amounts_in_the_message() -> None:
    """WeChat cannot pay more than is still due, so no change is ever given for it."""
    with pytest.raises(TenderError, match=r"WeChat amount ¥50\.00 is more than the ¥30\.00"):
        settle(3000, [Tender(TenderKind.WECHAT, 5000)])


def test_non_cash_after_cash_covered_everything_is_refused() -> None:
    """Cash first then a card payment for a sale already paid is refused, not turned to change."""
    with pytest.raises(TenderError, match="already paid"):
        settle(3000, [Tender(TenderKind.CASH, 5000), Tender(TenderKind.CARD, 100)])


def test_non_cash_is_checked_against_what_remains_after_earlier_tenders() -> None:
    """Cash ¥20 then Alipay ¥15 on ¥30 is refused: only ¥10 was still due."""
    with pytest.raises(TenderError, match=r"Alipay amount ¥15\.00 is more than the ¥10\.00"):
        settle(3000, [Tender(TenderKind.CASH, 2000), Tender(TenderKind.ALIPAY, 1500)])


def test_zero_due_with_no_tenders_is_paid() -> None:
    """A fully discounted sale needs no tender."""
    assert settle(0, []).is_paid


@pytest.mark.parametrize("amount", [0, -100])
def test_tender_amounts_must_be_positive(amount: int) -> None:
    """A tender of zero or less is refused."""
    with pytest.raises(TenderError, match=r"more than ¥0\.00"):
        Tender(TenderKind.CASH, amount)


def test_tender_amounts_must_be_whole_fen() -> None:
    """A float amount is a bug and is refused."""
    with pytest.raises(TenderError, match="whole fen"):
        Tender(TenderKind.CASH, 12.5)  # type: ignore[arg-type]


def test_negative_due_is_refused() -> None:
    """settle() is for sales; a negative amount due is an error."""
    with pytest.raises(TenderError):
        settle(-1, [])


tenders = st.lists(
    st.builds(
        Tender,
        st.sampled_from(list(TenderKind)),
        st.integers(min_value=1, max_value=100_000),
    ),
    max_size=6,
)


@given(st.integers(min_value=0, max_value=200_000), tenders)
def test_settlement_books_balance(due: int, taken: list[Tender]) -> None:
    """Applied sums to min(due, tendered); change comes only from cash; remaining adds up."""
    try:
        result = settle(due, taken)
    except TenderError:
        return
    tendered = sum(t.amount_fen for t in taken)
    cash = sum(t.amount_fen for t in taken if t.kind is TenderKind.CASH)
    assert result.tendered_fen == tendered
    assert result.applied_fen == min(due, tendered)
    assert result.applied_fen + result.change_fen == tendered
    assert result.remaining_fen == due - result.applied_fen
    assert 0 <= result.change_fen <= cash
    assert result.change_fen == 0 or result.is_paid
    assert all(t.amount_fen > 0 for t in result.applied)


@given(
    st.integers(min_value=0, max_value=200_000),
    st.lists(
        st.builds(
            Tender,
            st.sampled_from([k for k in TenderKind if k is not TenderKind.CASH]),
            st.integers(min_value=1, max_value=100_000),
        ),
        max_size=6,
    ),
)
def test_non_cash_tenders_are_accepted_exactly_when_they_fit(due: int, taken: list[Tender]) -> None:
    """Without cash, settle succeeds iff the tenders add up to no more than the amount due."""
    if sum(t.amount_fen for t in taken) <= due:
        assert settle(due, taken).change_fen == 0
    else:
        with pytest.raises(TenderError):
            settle(due, taken)


@pytest.mark.parametrize(
    ("text", "tender"),
    [
        ("cash:2000", Tender(TenderKind.CASH, 2000)),
        ("WeChat:1500", Tender(TenderKind.WECHAT, 1500)),
        (" alipay : 99 ", Tender(TenderKind.ALIPAY, 99)),
        ("card:5000:slip-0042", Tender(TenderKind.CARD, 5000, "slip-0042")),
        ("stored_value:100", Tender(TenderKind.STORED_VALUE, 100)),
    ],
)
def test_parse_tender_reads_method_and_fen(text: str, tender: Tender) -> None:
    """The CLI form METHOD:FEN[:REFERENCE] becomes a Tender."""
    assert parse_tender(text) == tender


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "METHOD:FEN"),
        ("cash", "METHOD:FEN"),
        ("cash:", "METHOD:FEN"),
        ("bitcoin:100", "Unknown payment method 'bitcoin'"),
        ("cash:12.50", "whole fen"),
        ("cash:-5", "whole fen"),
        ("cash:0", "more than ¥0.00"),
        ("cash:１００", "whole fen"),
    ],
)
def test_parse_tender_explains_garbage(text: str, message: str) -> None:
    """Malformed CLI tenders raise TenderError saying what the right form is."""
    with pytest.raises(TenderError, match=message):
        parse_tender(text)


def test_tender_kind_values_match_the_stored_names() -> None:
    """Tender kinds are stored by value; the values must not drift."""
    assert [k.value for k in TenderKind] == [
        "cash",
        "wechat",
        "alipay",
        "card",
        "stored_value",
        "points",
    ]
