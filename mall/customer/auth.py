"""Customer log-in: a WeChat openid becomes a customer (once), and each log-in a session token
the mini-program sends as `Authorization: Bearer <token>`; only the token's hash is stored."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.customer.models import CustomerRow, CustomerSessionRow
from mall.db import insert_if_absent
from mall.errors import MallError
from mall.sessions import token_digest

BEARER = "Bearer "


class LoginNeeded(MallError):
    """No valid session: the mini-program logs in again (wx.login) and repeats the call."""

    def __init__(self, message: str = "登录已过期，请重新登录") -> None:
        super().__init__(401, "login_needed", message)
        self.auth_challenge = False


def customer_for_openid(session: Session, openid: str) -> CustomerRow:
    """The customer with this openid, created the first time (two first log-ins at once make
    one customer)."""
    insert_if_absent(
        session,
        CustomerRow,
        id="C" + secrets.token_hex(6).upper(),
        openid=openid,
        created_at=datetime.now().astimezone(),
    )
    customer = session.scalar(select(CustomerRow).where(CustomerRow.openid == openid))
    assert customer is not None
    return customer


def customer_of(session: Session, authorization: str | None, *, now: datetime) -> CustomerRow:
    """The customer whose live session this Authorization header names, else LoginNeeded."""
    if not authorization or not authorization.startswith(BEARER):
        raise LoginNeeded("请先登录")
    token = authorization[len(BEARER) :].strip()
    if not 20 <= len(token) <= 100:
        raise LoginNeeded()
    row = session.get(CustomerSessionRow, token_digest(token))
    if row is None or row.expires_at <= now:
        raise LoginNeeded()
    customer = session.get(CustomerRow, row.customer_id)
    assert customer is not None
    return customer
