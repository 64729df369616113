"""`pos-mall member …`, `points-rules`, `offline-cap`, `top-up-rules` and `reviews`: add members,
adjust points or stored value, expire points past their date, show or change the chain's points
rules, offline cap and top-up bonus tiers, and list what the mall did not take from a till as
given."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select

from mall.db import MallDatabase
from mall.errors import MallError, NotFound
from mall.housekeeping import expire_points, prune
from mall.members.keys import (
    OFFLINE_CAPS_KEY,
    offline_caps,
    points_rules,
    set_chain_value,
    set_points_rules,
    set_top_up_tiers,
    top_up_tiers,
)
from mall.members.ledger import (
    PHONE,
    add_units,
    find_by_phone,
    get_or_create_member,
    member_info,
)
from mall.members.tiers import TierRules, set_tier_rules, tier_rules
from mall.models import ConflictRow, DeviceRow, utc_now
from pos_app.domain.top_up import TopUpTier, parse_tier, tier_label

MAX_NAME = 64  # what the till and the pages show (sync.member_protocol.MemberInfo)
Command = Callable[..., argparse.ArgumentParser]


def _member_add(db: MallDatabase, args: argparse.Namespace) -> None:
    if not PHONE.match(args.phone):
        raise MallError(400, "bad_phone", f"{args.phone!r} is not an 11-digit mobile number")
    if len(args.name) > MAX_NAME or not args.name.isprintable():
        raise MallError(
            400, "bad_name", f"a member's name is at most {MAX_NAME} printable characters"
        )
    with db.write() as session:
        member, created = get_or_create_member(session, args.phone, source="admin", name=args.name)
        if args.tier is not None:
            member.tier = args.tier
    print(f"member {member.id} card {member.card_no} {'added' if created else 'already there'}")


def _member_adjust(db: MallDatabase, args: argparse.Namespace) -> None:
    now = utc_now()
    with db.write() as session:
        member = find_by_phone(session, args.phone)
        if member is None:
            raise NotFound(f"no member with phone {args.phone}")
        for kind, delta in (("points", args.points), ("stored_value", args.stored_value_fen)):
            add_units(session, kind, member.id, delta, "adjustment", args.reason, now=now)
        info = member_info(session, member, now=now)
    print(
        f"member {info.member_id}: {info.points_balance} points, "
        f"{info.stored_value_fen} fen stored value"
    )


def _member_expire(db: MallDatabase, args: argparse.Namespace) -> None:
    now = utc_now()
    expired, members = expire_points(db, now)
    prune(db, now)
    print(f"{expired} points expired across {members} members")


def _points_rules(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        rules = points_rules(session)
        changes = {
            "points_per_yuan": args.per_yuan,
            "expiry_days": args.expiry_days,
            "redeem_points_per_yuan": args.redeem_per_yuan,
            "excluded_categories": frozenset(args.exclude) if args.exclude is not None else None,
            "tier_multipliers_bp": dict(args.tier) if args.tier is not None else None,
        }
        rules = replace(rules, **{k: v for k, v in changes.items() if v is not None})
        set_points_rules(session, rules)
    print(rules.to_dict())


def _offline_cap(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        caps = offline_caps(session)
        if args.points is not None:
            caps["points"] = args.points
        if args.stored_value_fen is not None:
            caps["stored_value"] = args.stored_value_fen
        if args.coupon_fen is not None:
            caps["coupon"] = args.coupon_fen
        set_chain_value(session, OFFLINE_CAPS_KEY, caps)
    print(
        f"per member per day without the mall: {caps['points']} points, "
        f"{caps['stored_value']} fen stored value; per till: {caps['coupon']} fen of coupons"
    )


def _top_up_rules(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        tiers = top_up_tiers(session)
        if args.clear:
            tiers = []
        if args.tier:
            replaced = {t.pay_fen for t in args.tier}
            tiers = [t for t in tiers if t.pay_fen not in replaced] + args.tier
        if args.clear or args.tier:
            set_top_up_tiers(session, tiers)
        tiers = top_up_tiers(session)
    print(f"充值赠送：{'，'.join(tier_label(t) for t in tiers) or '未设置'}")


def _top_up_tier(text: str) -> TopUpTier:
    try:
        return parse_tier(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _reviews(db: MallDatabase, args: argparse.Namespace) -> None:
    """Print the events (or claims of applied events) waiting for a person, newest last."""
    with db.read() as session:
        rows = session.execute(
            select(
                ConflictRow.created_at,
                DeviceRow.store_id,
                DeviceRow.till_id,
                ConflictRow.device_seq,
                ConflictRow.kind,
                ConflictRow.reason,
                ConflictRow.applied,
                ConflictRow.detail,
            )
            .join(DeviceRow, DeviceRow.id == ConflictRow.device_id)
            .order_by(ConflictRow.id.desc())
            .limit(args.limit)
        ).all()
    for at, store, till, seq, kind, reason, applied, detail in reversed(rows):
        state = "applied" if applied else "NOT applied"
        print(f"{at:%Y-%m-%d %H:%M} {store}/{till} #{seq} {kind} {reason} ({state}) {detail or ''}")
    print(f"{len(rows)} to review")


def _tiers(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        rules = tier_rules(session)
        if args.basis is not None or args.level is not None:
            rules = TierRules(
                args.basis or rules.basis,
                tuple(args.level) if args.level is not None else rules.tiers,
            )
            set_tier_rules(session, rules)
    spend = rules.basis == "spend"
    unit, basis = ("分", "累计消费") if spend else ("积分", "累计积分")
    levels = "，".join(f"{name} ≥ {threshold} {unit}" for name, threshold in rules.tiers)
    print(f"会员等级（按{basis}）：{levels or '未设置'}")


def _tier(text: str) -> tuple[str, int]:
    name, _, bp = text.partition("=")
    if not name or not bp.isdigit():
        raise argparse.ArgumentTypeError(f"expected TIER=NUMBER, got {text!r}")
    return name, int(bp)


def add_member_commands(commands: argparse._SubParsersAction, command: Command) -> None:  # type: ignore[type-arg]
    """Add the member commands with the CLI's `command(name, handler, help, parent)` helper."""
    member = commands.add_parser("member", help="members").add_subparsers(dest="sub", required=True)
    add = command("add", _member_add, "add a member by phone number", member)
    add.add_argument("phone")
    add.add_argument("--name", default="")
    add.add_argument("--tier")
    adjust = command("adjust", _member_adjust, "add or take points / stored value", member)
    adjust.add_argument("phone")
    adjust.add_argument("--points", type=int, default=0)
    adjust.add_argument("--stored-value-fen", type=int, default=0)
    adjust.add_argument("--reason", default="admin")
    command("expire", _member_expire, "expire points past their date (run daily)", member)
    rules = command("points-rules", _points_rules, "show or change the points rules")
    rules.add_argument("--per-yuan", type=int)
    rules.add_argument("--expiry-days", type=int)
    rules.add_argument("--redeem-per-yuan", type=int)
    rules.add_argument("--exclude", action="append", metavar="CATEGORY")
    rules.add_argument("--tier", type=_tier, action="append", metavar="TIER=BP")
    cap = command("offline-cap", _offline_cap, "show or set what may be spent offline a day")
    cap.add_argument("--points", type=int)
    cap.add_argument("--stored-value-fen", type=int)
    cap.add_argument("--coupon-fen", type=int, help="coupon value a till may take offline a day")
    tiers = command("tiers", _tiers, "show or set the member tiers and their thresholds")
    tiers.add_argument("--basis", choices=("spend", "points"))
    tiers.add_argument(
        "--level", type=_tier, action="append", metavar="TIER=THRESHOLD", help="fen or points"
    )
    top_up = command("top-up-rules", _top_up_rules, "show or set the top-up bonus tiers")
    top_up.add_argument(
        "--tier",
        type=_top_up_tier,
        action="append",
        metavar="PAY_FEN=BONUS_FEN",
        help="e.g. 20000=2000 for 充200送20 (replaces the tier of that amount)",
    )
    top_up.add_argument("--clear", action="store_true", help="remove every tier first")
    reviews = command("reviews", _reviews, "list conflicts and claims the mall did not take")
    reviews.add_argument("--limit", type=int, default=50)
