"""Verification codes sent by SMS for the H5 log-in, through a pluggable sender.

The default sender has no SMS provider: it writes the code to the mall's log (for the demo and
a shop trying the mall out). A real deployment plugs in its provider's sender. Only a hash of
each code is stored; a code is used once, expires, and is burnt after a few wrong guesses.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.members.models import SmsCodeRow
from mall.members.rate_limits import enforce

if TYPE_CHECKING:  # settings name the default sender of this module
    from mall.members.settings import MemberSettings

log = logging.getLogger("mall.sms")
CODE_DIGITS = 6


class SmsSender(Protocol):
    def send(self, phone: str, code: str) -> None: ...


class LogSmsSender:
    """Writes the code to the mall's log instead of sending it (no SMS provider configured)."""

    def send(self, phone: str, code: str) -> None:
        log.warning(
            "SMS verification code for ******%s: %s (log sender, no SMS provider)", phone[-4:], code
        )


def _digest(phone: str, code: str) -> str:
    return hashlib.sha256(f"{phone}:{code}".encode()).hexdigest()


def issue_code(
    session: Session, phone: str, *, ip: str, now: datetime, limits: MemberSettings
) -> str:
    """A new code for phone (rate limited per phone and per IP); the caller sends it."""
    hour = timedelta(hours=1)
    enforce(
        session,
        "sms_gap",
        phone,
        limit=1,
        window=timedelta(seconds=limits.sms_interval_s),
        now=now,
        message="验证码已发送，请稍等一分钟再试",
    )
    enforce(
        session,
        "sms_phone",
        phone,
        limit=limits.sms_per_phone_hour,
        window=hour,
        now=now,
        message="这个手机号获取验证码太频繁，请一小时后再试",
    )
    enforce(
        session,
        "sms_ip",
        ip,
        limit=limits.sms_per_ip_hour,
        window=hour,
        now=now,
        message="获取验证码太频繁，请稍后再试",
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    session.add(
        SmsCodeRow(
            phone=phone,
            code_sha256=_digest(phone, code),
            created_at=now,
            expires_at=now + timedelta(seconds=limits.sms_code_ttl_s),
            attempts=0,
        )
    )
    return code


def check_code(
    session: Session, phone: str, code: str, *, now: datetime, limits: MemberSettings
) -> bool:
    """True (and the code used up) if code is the phone's latest live code."""
    row = session.scalar(
        select(SmsCodeRow)
        .where(SmsCodeRow.phone == phone, SmsCodeRow.used_at.is_(None))
        .order_by(SmsCodeRow.id.desc())
        .limit(1)
    )
    if row is None or row.expires_at <= now or row.attempts >= limits.sms_attempts:
        return False
    if not secrets.compare_digest(row.code_sha256, _digest(phone, code)):
        row.attempts += 1
        return False
    row.used_at = now
    return True
