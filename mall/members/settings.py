"""Settings of the member features: how long codes, holds and sessions live, how far back a
receipt may be claimed, the rate limits that keep one phone or one IP from abusing them, and
the SMS sender of verification codes."""

from __future__ import annotations

from dataclasses import dataclass, field

from mall.members.sms import LogSmsSender, SmsSender


@dataclass(frozen=True)
class MemberSettings:
    claim_days: int = 30  # a receipt can be claimed this many days after the sale
    member_code_ttl_s: int = 300
    member_code_refresh_s: int = 60
    hold_ttl_s: int = 600
    sms_code_ttl_s: int = 300
    sms_interval_s: int = 60  # per phone, between two codes
    sms_per_phone_hour: int = 5
    sms_per_ip_hour: int = 20
    sms_attempts: int = 5  # wrong guesses before a code is burnt
    claims_per_phone_day: int = 10
    claims_per_ip_day: int = 30
    session_days: int = 30
    sms_sender: SmsSender = field(default_factory=LogSmsSender)
