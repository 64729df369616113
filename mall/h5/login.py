"""Log-in for the H5 pages with a phone number and an SMS code; a new phone becomes a member.

The session cookie (HttpOnly, SameSite=Lax) holds a random token; the database keeps its hash.
Forms post url-encoded bodies, parsed here (no form library needed). `next` only ever leads
back into this site.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import delete
from sqlalchemy.orm import Session

from mall.api import Db
from mall.errors import MallError
from mall.h5.page import banner, html_page
from mall.http import client_ip
from mall.members.ledger import PHONE, forget_digits, get_or_create_member
from mall.members.models import MemberRow, MemberSessionRow
from mall.members.rate_limits import RateLimited
from mall.members.settings import MemberSettings
from mall.members.sms import check_code, issue_code
from mall.models import utc_now
from mall.sessions import start_session, token_digest

COOKIE = "mdt_member"
MAX_FORM_BYTES = 4096
router = APIRouter(include_in_schema=False)


async def form_fields(request: Request) -> dict[str, str]:
    """The fields of a url-encoded form post (first value of each). A body over the limit is
    refused as soon as it says so (Content-Length) or its bytes pass it, never read whole."""
    too_large = MallError(413, "body_too_large", "the form is too large")
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
        raise too_large
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise too_large
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)
    return {name: values[0].strip() for name, values in fields.items()}


Form = Annotated[dict[str, str], Depends(form_fields)]


def member_settings(request: Request) -> MemberSettings:
    return request.app.state.settings.members


def safe_next(value: str | None) -> str:
    """A path on this site to go back to after logging in; anything else means the member page."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value[:300]
    return "/m"


def current_member(request: Request, session: Session, now: datetime) -> MemberRow | None:
    """The logged-in member of this request, or None."""
    token = request.cookies.get(COOKIE)
    row = session.get(MemberSessionRow, token_digest(token)) if token else None
    if row is None or row.expires_at <= now:
        return None
    return session.get(MemberRow, row.member_id)


def phone_form(next_path: str, error: str = "") -> str:
    """Step 1 of logging in (also embedded in the claim page)."""
    return (
        "<form method='post' action='/login/code' class='card' id='login'>"
        "<h2>手机号登录 / 注册会员</h2>"
        + (banner("bad", error) if error else "")
        + "<label for='phone'>手机号</label><input id='phone' name='phone' type='tel' "
        "inputmode='numeric' maxlength='11' placeholder='请输入 11 位手机号' required>"
        f"<input type='hidden' name='next' value='{escape(next_path)}'>"
        "<button type='submit'>获取验证码</button></form>"
    )


def code_form(phone: str, next_path: str, error: str = "") -> str:
    return (
        "<form method='post' action='/login' class='card' id='verify'>"
        f"<h2>验证码已发送至 {escape(phone[:3])}****{escape(phone[-4:])}</h2>"
        + (banner("bad", error) if error else "")
        + "<label for='code'>短信验证码</label><input id='code' name='code' inputmode='numeric' "
        "maxlength='6' autocomplete='one-time-code' required>"
        f"<input type='hidden' name='phone' value='{escape(phone)}'>"
        f"<input type='hidden' name='next' value='{escape(next_path)}'>"
        "<button type='submit'>登录</button></form>"
    )


@router.get("/login")
def login_page(next: str | None = None) -> HTMLResponse:
    return html_page("登录", phone_form(safe_next(next)))


@router.post("/login/code")
def send_code(request: Request, form: Form, db: Db) -> HTMLResponse:
    """Send a verification code to the phone (rate limited), then ask for it."""
    phone, next_path = form.get("phone", ""), safe_next(form.get("next"))
    if not PHONE.match(phone):
        return html_page("登录", phone_form(next_path, "请输入正确的 11 位手机号"), status=400)
    settings = member_settings(request)
    try:
        with db.write() as session:
            code = issue_code(session, phone, ip=client_ip(request), now=utc_now(), limits=settings)
    except RateLimited as error:
        return html_page("登录", phone_form(next_path, error.message), status=429)
    settings.sms_sender.send(phone, code)
    return html_page("输入验证码", code_form(phone, next_path))


def _end_session(session: Session, token: str) -> None:
    session.execute(
        delete(MemberSessionRow).where(MemberSessionRow.token_sha256 == token_digest(token))
    )


@router.post("/login", response_model=None)
def login(request: Request, form: Form, db: Db) -> Response:
    """Check the code; a new phone number becomes a member. Then back to where they came from."""
    phone, code, next_path = (
        form.get("phone", ""),
        form.get("code", ""),
        safe_next(form.get("next")),
    )
    settings, now = member_settings(request), utc_now()
    if not PHONE.match(phone):
        return html_page("登录", phone_form(next_path, "请输入正确的 11 位手机号"), status=400)
    with db.write() as session:
        if not check_code(session, phone, code, now=now, limits=settings):
            failed = code_form(phone, next_path, "验证码不正确或已过期")
            return html_page("输入验证码", failed, status=400)
        member, _ = get_or_create_member(session, phone, source="h5")
        old_token = request.cookies.get(COOKIE)
        if old_token:  # never the token the browser had: no session fixation
            _end_session(session, old_token)
        token = start_session(
            session,
            MemberSessionRow.member_id,
            member.id,
            now=now,
            ttl=timedelta(days=settings.session_days),
        )
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request, db: Db) -> RedirectResponse:
    token = request.cookies.get(COOKIE)
    if token:
        with db.write() as session:
            member = current_member(request, session, utc_now())
            if member is not None:
                forget_digits(member)  # a screenshot of the page no longer works either
            _end_session(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
