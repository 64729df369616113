"""`pos-mall promo …`: publish a new version of the promotion rules from a JSON file, list and
show versions, and price a cart with them (what a till or the online shop will charge)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from mall.db import MallDatabase
from mall.errors import Invalid, NotFound
from mall.promotion_view import rule_set
from mall.promotions import publish_rule_set, quote_cart, versions
from pos_app.domain.money import format_fen

Command = Callable[..., argparse.ArgumentParser]


def _read_rules(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise NotFound(f"读不到文件 {path}：{error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid("bad_json", f"{path} 不是 UTF-8 的 JSON：{error}") from None
    if not isinstance(data, dict):
        raise Invalid("bad_json", f'{path} 应是一个对象：{{"time_zone": …, "rules": […]}}')
    return data


def _set(db: MallDatabase, args: argparse.Namespace) -> None:
    data = _read_rules(args.file)
    with db.write() as session:
        rules = publish_rule_set(session, data, note=args.note)
    print(f"促销规则版本 {rules.version} 已发布：{len(rules.rules)} 条，门店收银机下次同步时生效")


def _list(db: MallDatabase, _args: argparse.Namespace) -> None:
    with db.read() as session:
        rows = versions(session)
    for version, created_at, note in rows:
        print(f"{version}\t{created_at.isoformat(timespec='seconds')}\t{note}")


def _show(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.read() as session:
        rules = rule_set(session, args.version)
    if rules is None:
        raise NotFound("还没有这个版本的促销规则" if args.version else "还没有发布促销规则")
    print(json.dumps(rules.to_dict(), ensure_ascii=False, indent=2))


def item_arg(text: str) -> tuple[str, int]:
    """SKU:QTY on the command line (units, or grams for weighed goods)."""
    sku, _, qty = text.partition(":")
    if not sku or not qty.isdigit() or int(qty) < 1:
        raise argparse.ArgumentTypeError(f"expected SKU:QTY, got {text!r}")
    return sku, int(qty)


def _quote(db: MallDatabase, args: argparse.Namespace) -> None:
    at = args.at or datetime.now(UTC)
    if at.tzinfo is None:
        raise Invalid("bad_time", "--at 要带时区，例如 2026-12-12T10:00+08:00")
    with db.read() as session:
        cart = quote_cart(session, args.store, args.item, at=at, member_tier=args.tier)
    for line in cart.lines:
        print(f"{line.product.name}\t×{line.qty}\t{format_fen(line.gross_fen)}")
        for applied in line.promotions:
            print(f"\t{applied.name}\t-{format_fen(applied.discount_fen)}")
    print(
        f"原价 {format_fen(cart.subtotal_fen)}  优惠 -{format_fen(cart.discount_fen)}  "
        f"应付 {format_fen(cart.total_fen)}  规则版本 {cart.promotion_version}"
    )


def add_promotion_commands(commands: argparse._SubParsersAction, command: Command) -> None:  # type: ignore[type-arg]
    """Add `promo …` with the CLI's `command(name, handler, help, parent)` helper."""
    promo = commands.add_parser("promo", help="promotions (促销)").add_subparsers(
        dest="sub", required=True
    )
    publish = command("set", _set, "publish a JSON file of rules as the next version", promo)
    publish.add_argument("file", type=Path)
    publish.add_argument("--note", default="")
    command("list", _list, "list the versions", promo)
    show = command("show", _show, "print a version (default: the newest) as JSON", promo)
    show.add_argument("--version", type=int)
    quote = command("quote", _quote, "price a cart at a store with the newest rules", promo)
    quote.add_argument("store")
    quote.add_argument("item", type=item_arg, nargs="+", metavar="SKU:QTY")
    quote.add_argument("--tier", help="price for a member of this tier ('' for no tier)")
    quote.add_argument("--at", type=datetime.fromisoformat, help="when (default: now)")
