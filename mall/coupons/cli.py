"""`pos-mall coupon …`: add a campaign, issue its coupons to members by phone, list a member's
coupons and show one coupon's ledger."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.coupons.ledger import add_campaign, issue, member_coupons
from mall.coupons.models import CouponEntryRow
from mall.db import MallDatabase
from mall.errors import NotFound
from mall.members.ledger import find_by_phone
from mall.models import utc_now
from pos_app.domain.money import format_fen

Command = Callable[..., argparse.ArgumentParser]


def _member_id(session: Session, phone: str) -> str:
    member = find_by_phone(session, phone)
    if member is None:
        raise NotFound(f"没有手机号为 {phone} 的会员")
    return member.id


def _campaign(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        row = add_campaign(
            session,
            campaign_id=args.id,
            name=args.name,
            value_fen=args.value_fen,
            min_spend_fen=args.min_spend_fen,
            valid_days=args.days,
            claimable=args.claimable,
            per_member=args.per_member,
            total=args.total,
        )
    threshold = f"满{format_fen(row.min_spend_fen)}可用" if row.min_spend_fen else "无门槛"
    print(
        f"活动 {row.id}「{row.name}」：{format_fen(row.value_fen)}，{threshold}，"
        f"{row.valid_days} 天有效"
    )


def _issue(db: MallDatabase, args: argparse.Namespace) -> None:
    now = utc_now()
    with db.write() as session:
        ids = [
            issue(session, args.campaign, _member_id(session, p), now=now).id for p in args.phone
        ]
    print(f"已发放 {len(ids)} 张：{' '.join(ids)}")


def _list(db: MallDatabase, args: argparse.Namespace) -> None:
    now = utc_now()
    with db.read() as session:
        coupons = member_coupons(session, _member_id(session, args.phone), now=now).coupons
    for c in coupons:
        print(
            f"{c.coupon_id}\t{c.name}\t{format_fen(c.value_fen)}\t{c.status}\t{c.expires_at:%Y-%m-%d}"
        )
    print(f"共 {len(coupons)} 张")


def _show(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.read() as session:
        rows = session.scalars(
            select(CouponEntryRow)
            .where(CouponEntryRow.coupon_id == args.coupon)
            .order_by(CouponEntryRow.id)
        ).all()
    if not rows:
        raise NotFound(f"没有券 {args.coupon}")
    for row in rows:
        where = f"{row.store_id or ''}/{row.device_id or ''}".strip("/")
        print(f"{row.created_at:%Y-%m-%d %H:%M:%S}\t{row.action}\t{where}\t{row.ref}")


def add_coupon_commands(commands: argparse._SubParsersAction, command: Command) -> None:  # type: ignore[type-arg]
    """Add `coupon …` with the CLI's `command(name, handler, help, parent)` helper."""
    coupon = commands.add_parser("coupon", help="coupons (优惠券)").add_subparsers(
        dest="sub", required=True
    )
    campaign = command("campaign", _campaign, "add a coupon campaign", coupon)
    campaign.add_argument("id")
    campaign.add_argument("name")
    campaign.add_argument("--value-fen", type=int, required=True)
    campaign.add_argument("--min-spend-fen", type=int, default=0)
    campaign.add_argument("--days", type=int, default=30, help="valid for this many days")
    campaign.add_argument("--claimable", action="store_true", help="members may claim it")
    campaign.add_argument("--per-member", type=int, default=1)
    campaign.add_argument("--total", type=int, help="at most this many coupons in all")
    give = command("issue", _issue, "issue a campaign's coupon to members by phone", coupon)
    give.add_argument("campaign")
    give.add_argument("phone", nargs="+")
    command("list", _list, "a member's coupons", coupon).add_argument("phone")
    command("show", _show, "a coupon's ledger", coupon).add_argument("coupon")
