"""`pos-mall`: run the mall and administer it (stores, pairing codes, products, orders, demo).

Every command takes --db URL (default: $POS_MALL_DB, else a SQLite file in the user data dir)
and brings the database schema up to date first.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from mall.catalog import add_store, delete_product, read_csv, set_store_price, upsert_products
from mall.coupons.cli import add_coupon_commands
from mall.db import MallDatabase
from mall.demo import seed_demo
from mall.devices import new_pairing_code, revoke
from mall.errors import MallError
from mall.members.cli import add_member_commands
from mall.members.ledger import balance_differences
from mall.migrate import upgrade
from mall.orders import create_order
from mall.payments.reconcile import reconcile, report_lines
from mall.promotion_cli import add_promotion_commands, item_arg
from mall.settings import DB_URL_ENV, MallSettings, default_database_url
from mall.stock import add_move, on_hand_differences
from sync.protocol import ProductData

Handler = Callable[[MallDatabase, argparse.Namespace], None]
WORKER_HEALTHCHECK_S = 60


def _serve(args: argparse.Namespace) -> None:
    """Serve with N worker processes; each builds the app from the environment (the database
    was upgraded once, before they start)."""
    import uvicorn

    os.environ[DB_URL_ENV] = args.db
    uvicorn.run(
        "mall.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        # uvicorn restarts a worker that does not answer its supervisor within this time; a
        # worker still importing on a busy machine is not hung.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        **MallSettings.from_env().uvicorn_options(),
    )


def _store_add(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        add_store(
            session,
            args.id,
            args.name,
            address=args.address,
            lat=args.lat,
            lng=args.lng,
            hours=args.hours,
        )
    print(f"store {args.id} added")


def _pair_code(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        code = new_pairing_code(session, args.store, ttl_s=args.ttl_min * 60)
    print(code)


def _device_revoke(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        revoke(session, args.device)
    print(f"device {args.device} revoked")


def _product_add(db: MallDatabase, args: argparse.Namespace) -> None:
    product = ProductData(
        sku=args.sku,
        name=args.name,
        price_fen=args.price_fen,
        member_price_fen=args.member_price_fen,
        unit=args.unit,
        category=args.category,
        weighed=args.weighed,
        plu_code=args.plu,
        barcodes=args.barcode,
    )
    with db.write() as session:
        upsert_products(session, [product])
    print(f"product {args.sku} saved")


def _product_import(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        count = upsert_products(session, read_csv(args.csv))
    print(f"{count} products imported")


def _product_delete(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        delete_product(session, args.sku)
    print(f"product {args.sku} deleted")


def _product_price(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        set_store_price(
            session,
            args.store,
            args.sku,
            price_fen=args.price_fen,
            member_price_fen=args.member_price_fen,
        )
    print(f"price of {args.sku} at {args.store} set")


def _stock_receive(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        add_move(session, args.store, args.sku, args.qty, "receive", args.ref)
    print(f"{args.qty} × {args.sku} received at {args.store}")


def _check(db: MallDatabase, _args: argparse.Namespace) -> None:
    """Recompute stock on hand and member balances from their ledgers and compare them with the
    kept rows."""
    with db.read() as session:
        stock = on_hand_differences(session)
        balances = balance_differences(session)
    for store_id, sku, kept, ledger in stock:
        print(f"{store_id} {sku}: stock_on_hand {kept}, ledger sum {ledger}")
    for member_id, points, points_ledger, fen, fen_ledger in balances:
        print(
            f"member {member_id}: points {points} (ledger {points_ledger}), "
            f"stored value {fen} fen (ledger {fen_ledger})"
        )
    if stock or balances:
        raise MallError(
            409,
            "ledger_mismatch",
            f"{len(stock)} stock rows and {len(balances)} member balances differ",
        )
    print("stock on hand and member balances equal their ledgers")


def _order_add(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.write() as session:
        order, code = create_order(
            session,
            args.store,
            args.item,
            kind=args.kind,
            customer_name=args.customer,
            customer_phone=args.phone,
        )
    print(f"order {order.order_no} ({order.id}) total {order.total_fen} fen, pickup code {code}")


def _reconcile(db: MallDatabase, args: argparse.Namespace) -> None:
    with db.read() as session:
        report = reconcile(session, args.date, args.store)
    print(report.model_dump_json(indent=2) if args.json else "\n".join(report_lines(report)))


def _seed_demo(db: MallDatabase, args: argparse.Namespace) -> None:
    seed_demo(db, args.skus)
    print(f"demo stores and {args.skus} products ready")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=None, help="database URL (sqlite:///… or postgresql://…)")
    parser = argparse.ArgumentParser(prog="pos-mall", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str,
        handler: Handler | None,
        help_text: str,
        parent: argparse._SubParsersAction = commands,
    ) -> argparse.ArgumentParser:  # type: ignore[type-arg]
        sub = parent.add_parser(name, parents=[common], help=help_text)
        sub.set_defaults(handler=handler)
        return sub

    serve = command("serve", None, "run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (PostgreSQL; SQLite: keep 1)"
    )

    db_cmd = commands.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", required=True
    )
    command(
        "upgrade",
        lambda _db, _args: print("database is up to date"),
        "create or upgrade the schema",
        db_cmd,
    )

    store = commands.add_parser("store", help="stores").add_subparsers(dest="sub", required=True)
    add = command("add", _store_add, "add a store", store)
    add.add_argument("id")
    add.add_argument("name")
    add.add_argument("--address", default="")
    add.add_argument("--lat", type=float)
    add.add_argument("--lng", type=float)
    add.add_argument("--hours", default="")

    code = command("pair-code", _pair_code, "print a one-time code that pairs a till")
    code.add_argument("store")
    code.add_argument("--ttl-min", type=int, default=30)

    device = commands.add_parser("device", help="paired tills").add_subparsers(
        dest="sub", required=True
    )
    command("revoke", _device_revoke, "refuse a device from now on", device).add_argument("device")

    product = commands.add_parser("product", help="catalog").add_subparsers(
        dest="sub", required=True
    )
    padd = command("add", _product_add, "add or replace a product", product)
    padd.add_argument("sku")
    padd.add_argument("name")
    padd.add_argument("price_fen", type=int)
    padd.add_argument("--member-price-fen", type=int)
    padd.add_argument("--unit", default="个")
    padd.add_argument("--category")
    padd.add_argument("--weighed", action="store_true")
    padd.add_argument("--plu")
    padd.add_argument("--barcode", action="append", default=[])
    command("import", _product_import, "import a CSV (sku,name,price_fen,…)", product).add_argument(
        "csv", type=Path
    )
    command("delete", _product_delete, "delete a product", product).add_argument("sku")
    price = command("price", _product_price, "set a store's own price (omit to clear)", product)
    price.add_argument("store")
    price.add_argument("sku")
    price.add_argument("price_fen", type=int, nargs="?")
    price.add_argument("--member-price-fen", type=int)

    stock = commands.add_parser("stock", help="stock ledger").add_subparsers(
        dest="sub", required=True
    )
    receive = command("receive", _stock_receive, "record goods received at a store", stock)
    receive.add_argument("store")
    receive.add_argument("sku")
    receive.add_argument("qty", type=int)
    receive.add_argument("--ref", default="")

    order = commands.add_parser("order", help="online orders").add_subparsers(
        dest="sub", required=True
    )
    oadd = command("add", _order_add, "place a paid online order for pickup", order)
    oadd.add_argument("store")
    oadd.add_argument("--item", type=item_arg, action="append", required=True, metavar="SKU:QTY")
    oadd.add_argument("--kind", choices=("pickup", "delivery"), default="pickup")
    oadd.add_argument("--customer", default="")
    oadd.add_argument("--phone", default="")

    command(
        "check",
        _check,
        "compare stock on hand and member balances with their ledgers (exit 1 if not)",
    )
    recon = command("reconcile", _reconcile, "payment-code money vs till sales for one day")
    recon.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD (UTC+8)")
    recon.add_argument("--store", help="one store only")
    recon.add_argument("--json", action="store_true", help="print the report as JSON")

    seed = command("seed-demo", _seed_demo, "add demo stores and generated products")
    seed.add_argument("--skus", type=int, default=2000)
    add_member_commands(commands, command)
    add_promotion_commands(commands, command)
    add_coupon_commands(commands, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.db = args.db or default_database_url()
    upgrade(args.db)
    if args.handler is None:
        _serve(args)
        return 0
    db = MallDatabase(args.db)
    try:
        args.handler(db, args)
    except MallError as error:
        return _fail(error.message)
    except IntegrityError as error:
        return _fail(f"refused by the database: {error.orig}")
    except ValidationError as error:
        return _fail(str(error))
    finally:
        db.dispose()
    return 0


def _fail(message: str) -> int:
    print(f"pos-mall: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
