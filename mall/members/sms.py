"""Verification codes sent by SMS for the H5 log-in, through a pluggable sender.

The default sender has no SMS provider: it sends nothing and never writes a code anywhere. A demo
that wants codes in the mall's log says so with POS_MALL_DEMO_SMS=log; a real deployment plugs in
its provider's sender. Only a hash of
each code is stored; a code is used once, expires, and is burnt after a few wrong guesses.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import CursorResult, and_, select, update
from sqlalchemy.orm import Session

from mall.members.models import SmsCodeRow
from mall.members.rate_limits import enforce

if TYPE_CHECKING:  # settings name the default sender of this module
    from mall.members.settings import MemberSettings

log = logging.getLogger("mall.sms")
DEMO_SMS_ENV = "POS_MALL_DEMO_SMS"
CODE_DIGITS = 6


class SmsSender(Protocol):
    def send(self, phone: str, code: str) -> None: ...


class UnsentSms:
    """No SMS provider configured: the code is not sent, and not logged either."""

    def send(self, phone: str, code: str) -> None:
        log.warning("no SMS provider configured: no code sent to ******%s", phone[-4:])


class DemoLogSms:
    """For a demo only (POS_MALL_DEMO_SMS=log): the code goes to the mall's log."""

    def send(self, phone: str, code: str) -> None:
        log.warning("DEMO SMS code for ******%s: %s (not sent)", phone[-4:], code)


def sender_from_env() -> SmsSender:
    """The demo log sender if POS_MALL_DEMO_SMS=log, else the sender that sends nothing."""
    return DemoLogSms() if os.environ.get(DEMO_SMS_ENV) == "log" else UnsentSms()


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
    """True (and the code used up) if code is the phone's latest live code. Every guess is
    counted first by a conditional UPDATE, so parallel guesses cannot outrun the limit, and
    the code is used once by another."""
    row_id = session.scalar(
        select(SmsCodeRow.id)
        .where(SmsCodeRow.phone == phone, SmsCodeRow.used_at.is_(None))
        .order_by(SmsCodeRow.id.desc())
        .limit(1)
    )
    if row_id is None:
        return False
    live = and_(
        SmsCodeRow.id == row_id,
        SmsCodeRow.used_at.is_(None),
        SmsCodeRow.expires_at > now,
        SmsCodeRow.attempts < limits.sms_attempts,
    )
    counted = session.execute(
        update(SmsCodeRow)
        .where(live)
        .values(attempts=SmsCodeRow.attempts + 1)
        .returning(SmsCodeRow.code_sha256)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if counted is None or not secrets.compare_digest(counted, _digest(phone, code)):
        return False
    used = session.execute(
        update(SmsCodeRow)
        .where(SmsCodeRow.id == row_id, SmsCodeRow.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return isinstance(used, CursorResult) and used.rowcount == 1
