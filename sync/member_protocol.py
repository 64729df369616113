"""The members part of the sync contract: lookups, quick signup and redemption holds that a
paired till asks the mall for while a member stands at the counter (DESIGN §7).

The same strict style as sync.protocol: unknown fields refused, strings and numbers bounded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from sync.protocol import MAX_FEN, MAX_SEQ, Ident, Phone, Strict, Text64

CardNo = Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]
Digits = Annotated[str, StringConstraints(pattern=r"^8[0-9]{17}$")]
# The signed member QR (sync.member_code: "MC1" + base64url, at most 200 characters).
MemberQr = Annotated[str, StringConstraints(pattern=r"^MC1[A-Za-z0-9_-]{1,197}$")]
MemberId = Annotated[str, StringConstraints(pattern=r"^M[0-9A-F]{12}$")]
Tier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{0,16}$")]
HoldKind = Literal["points", "stored_value"]
HoldStatus = Literal["active", "captured", "released", "expired"]
# A balance is a sum of ledger entries: bounded by what a BIGINT sum can hold, not by one entry.
Balance = Annotated[int, Field(strict=True, ge=-MAX_SEQ, le=MAX_SEQ)]


class MemberLookup(Strict):
    """Find a member by exactly one of: phone number, card number, the 18 dynamic digits, the
    member QR code."""

    phone: Phone | None = None
    card_no: CardNo | None = None
    digits: Digits | None = None
    code: MemberQr | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> MemberLookup:
        keys = (self.phone, self.card_no, self.digits, self.code)
        if sum(value is not None for value in keys) != 1:
            raise ValueError("give exactly one of phone, card_no, digits, code")
        return self


class MemberInfo(Strict):
    """A member as the till may show them: phone masked to its last four digits. The balances
    come only to a till that was shown the member's own code (the 18 dynamic digits or the
    member QR, while they are the newest the member page showed); a look-up by phone or card
    number, or a signup of a known phone, leaves them out (None), so a number is no key to
    someone's balances."""

    member_id: MemberId
    name: Text64
    tier: Tier
    phone_tail: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
    card_no: CardNo
    points_balance: Balance | None = None
    points_available: Balance | None = None  # balance less the points held for sales in progress
    stored_value_fen: Balance | None = None
    stored_value_available_fen: Balance | None = None
    created: bool = False  # true only in the answer to the signup that created the member


class MemberSignup(Strict):
    phone: Phone
    name: Text64 = ""


class HoldRequest(Strict):
    """Hold points or stored value worth amount_fen for a sale in progress; request_id makes a
    retry return the same hold."""

    request_id: Ident
    member_id: MemberId
    kind: HoldKind
    amount_fen: Annotated[int, Field(strict=True, ge=1, le=MAX_FEN)]


class HoldInfo(Strict):
    """A hold: the sale event names hold_id in its payment's reference to capture it."""

    hold_id: Ident
    member_id: MemberId
    kind: HoldKind
    amount_fen: Annotated[int, Field(strict=True, ge=0, le=MAX_FEN)]
    points: Annotated[int, Field(strict=True, ge=0, le=MAX_FEN)]
    status: HoldStatus
    expires_at: datetime


class ClaimedReceipt(Strict):
    """A receipt of this store whose QR code a customer claimed in the mini-program."""

    till_id: Ident
    till_seq: Annotated[int, Field(strict=True, ge=1)]
    claimed_at: datetime


class ClaimedReceipts(Strict):
    """A page of claims after a cursor; pass next_after back for the next page."""

    claims: Annotated[list[ClaimedReceipt], Field(max_length=1000)]
    next_after: Annotated[int, Field(strict=True, ge=0)]
