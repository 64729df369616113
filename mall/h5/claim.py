"""The receipt claim page that the receipt QR link opens: /r/<token>.

It shows the receipt (from the synced sale, or "syncing" before it arrived), asks an unknown
visitor to log in with their phone, and claims the points once. Refused receipts (forged,
expired, already claimed, refunded, or a member's sale) get a page that says so plainly. In
WeChat the same link opens the mini-program, whose page gets the link as its `q` parameter and
asks /mp/receipt?q=… for the same facts as JSON.
"""

from __future__ import annotations

from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from mall.api import Db
from mall.h5.login import current_member, member_settings, phone_form
from mall.h5.page import banner, html_page, yuan
from mall.http import client_ip
from mall.members.claims import (
    ClaimRefused,
    ReceiptState,
    ReceiptView,
    claim_receipt,
    read_receipt,
    token_of_link,
)
from mall.members.ledger import points_balance
from mall.members.models import MemberRow
from mall.members.rate_limits import RateLimited
from mall.models import utc_now

router = APIRouter(include_in_schema=False)
SHOP_TIME = ZoneInfo("Asia/Shanghai")
_BANNER = {
    ReceiptState.CLAIMABLE: "ok",
    ReceiptState.PENDING: "wait",
    ReceiptState.CLAIMED: "wait",
}


def _receipt_card(view: ReceiptView) -> str:
    claim = view.claim
    if claim is None:
        return ""
    rows = "".join(
        f"<div class='row'><span>{escape(line.name)} × {line.qty}</span>"
        f"<span>{yuan(line.net_fen)}</span></div>"
        for line in view.lines
    )
    if not rows:
        rows = "<p class='muted'>小票明细正在从门店同步，请稍后刷新查看</p>"
    issued = claim.issued_at.astimezone(SHOP_TIME).strftime("%Y-%m-%d %H:%M")
    number = view.sale.sale_no if view.sale is not None else f"{claim.till_id}-{claim.till_seq:06d}"
    return (
        f"<div class='card' id='receipt'><h1>{escape(view.store_name)}</h1>"
        f"<p class='muted'>小票 {escape(number)} · {issued}</p>{rows}"
        f"<div class='row total'><span>实付</span><span>{yuan(claim.amount_fen)}</span></div></div>"
    )


def _action(view: ReceiptView, token: str, member: MemberRow | None) -> str:
    if view.state not in (ReceiptState.CLAIMABLE, ReceiptState.PENDING):
        if view.state is ReceiptState.CLAIMED and member is not None:
            return "<a class='button secondary' href='/m'>查看我的积分</a>"
        return ""
    if member is None:
        return phone_form(f"/r/{token}")
    points = f"领取 {view.points} 积分" if view.state is ReceiptState.CLAIMABLE else "领取积分"
    return (
        f"<form method='post' action='/r/{escape(token)}/claim' class='card'>"
        f"<h2>会员 ****{escape(member.phone[-4:])}</h2>"
        f"<button type='submit' id='claim'>{points}</button></form>"
    )


def render(
    view: ReceiptView, token: str, member: MemberRow | None, *, note: str = "", status: int = 200
) -> HTMLResponse:
    kind = _BANNER.get(view.state, "bad")
    body = banner("ok" if note else kind, note or view.message)
    body += _receipt_card(view) + _action(view, token, member)
    return html_page("领取小票积分", body, status=status)


@router.get("/r/{token}")
def receipt_page(token: str, request: Request, db: Db) -> HTMLResponse:
    now = utc_now()
    with db.read() as session:
        member = current_member(request, session, now)
        view = read_receipt(
            session, token, now=now, claim_days=member_settings(request).claim_days, member=member
        )
        status = 200 if view.state not in (ReceiptState.INVALID, ReceiptState.EXPIRED) else 400
        return render(view, token, member, status=status)


def _claimed_note(session: Session, view: ReceiptView, member: MemberRow) -> str:
    if view.sale is None:
        return "领取成功：小票同步到商城后积分自动到账"
    return f"领取成功：+{view.points} 积分，现有 {points_balance(session, member.id)} 积分"


@router.post("/r/{token}/claim", response_model=None)
def claim(token: str, request: Request, db: Db) -> Response:
    """Claim the receipt for the logged-in member (once per receipt, rate limited)."""
    now, settings = utc_now(), member_settings(request)
    with db.write() as session:
        member = current_member(request, session, now)
        if member is None:
            return RedirectResponse(f"/login?next=/r/{token}", status_code=303)
        try:
            view = claim_receipt(
                session, token, member, now=now, limits=settings, ip=client_ip(request)
            )
        except ClaimRefused as refused:
            return render(refused.view, token, member, status=409)
        except RateLimited as error:
            view = read_receipt(session, token, now=now, claim_days=settings.claim_days)
            return html_page(
                "领取小票积分", banner("bad", error.message) + _receipt_card(view), status=429
            )
        return render(view, token, member, note=_claimed_note(session, view, member))


@router.get("/mp/receipt")
def receipt_for_mini_program(q: str, request: Request, db: Db) -> dict[str, Any]:
    """For the mini-program page opened by the receipt QR: q is the scanned link
    (https://…/r/<token>, already decoded once with decodeURIComponent)."""
    with db.read() as session:
        view = read_receipt(
            session,
            token_of_link(q[:300]),
            now=utc_now(),
            claim_days=member_settings(request).claim_days,
        )
        return {
            "state": str(view.state),
            "message": view.message,
            "store_name": view.store_name,
            "amount_fen": view.claim.amount_fen if view.claim is not None else None,
            "points": view.points,
            "synced": view.sale is not None,
        }
