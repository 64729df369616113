"""Settings of the member features: how long codes, holds and sessions live, how far back a
receipt may be claimed, the rate limits that keep one phone or one IP from abusing them, and
the SMS sender of verification codes."""

from __future__ import annotations

from dataclasses import dataclass, field

from mall.members.sms import SmsSender, sender_from_env


@dataclass(frozen=True)
class MemberSettings:
    claim_days: int = 30  # a receipt can be claimed this many days after the sale
    member_code_ttl_s: int = 300
    member_code_refresh_s: int = 60
    hold_ttl_s: int = 600
    presented_for_s: int = 3600  # holds allowed this long after the member showed their code
    sms_code_ttl_s: int = 300
    sms_interval_s: int = 60  # per phone, between two codes
    sms_per_phone_hour: int = 5
    sms_per_ip_hour: int = 20
    sms_attempts: int = 5  # wrong guesses before a code is burnt
    claims_per_phone_day: int = 10
    claims_per_ip_day: int = 30
    session_days: int = 7
    lookups_per_device_minute: int = 30  # member look-ups by one till
    lookup_misses_per_device: int = 20  # look-ups that found nobody, per lockout window
    pairing_failures_per_ip: int = 10  # wrong pairing codes from one address, per window
    wechat_failures_per_ip: int = 20  # refused WeChat log-in/phone codes, per window
    lockout_s: int = 15 * 60  # the window of the two failure limits above
    sms_sender: SmsSender = field(default_factory=sender_from_env)
