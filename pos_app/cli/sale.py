"""`pos sale`: a headless checkout through the same services the screen uses, for automation
and support. Online tenders are refused here: they need the mall's payment gateway."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import select

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartError
from pos_app.domain.money import format_fen
from pos_app.domain.parsed_barcode import InvalidBarcode
from pos_app.domain.tenders import Tender, TenderError, TenderKind, parse_tender
from pos_app.services.checkout import checkout
from pos_app.services.errors import ServiceError
from pos_app.services.selling import add_scanned_item
from pos_app.services.shift import open_shift
from pos_app.services.till import open_shift_of, scan_rules, till_identity
from pos_app.store.db import Database
from pos_app.store.models import Staff

OFFLINE_TENDERS = {TenderKind.CASH, TenderKind.CARD}


def _cashier(db: Database, code: str | None) -> Staff:
    with db.read() as session:
        query = select(Staff).where(Staff.active).order_by(Staff.id)
        query = query.where(Staff.code == code) if code else query.where(Staff.role == "cashier")
        staff = session.scalars(query).first()
    if staff is None:
        raise ServiceError(f"No active staff member {code or '(cashier)'}; run `pos demo-data`.")
    return staff


def _cart(db: Database, codes: list[str]) -> Cart:
    cart = Cart()
    with db.read() as session:
        rules = scan_rules(session)
        for code in codes:
            add_scanned_item(session, cart, code, rules)
    return cart


def _tenders(texts: list[str]) -> list[Tender]:
    tenders = [parse_tender(text) for text in texts]
    for tender in tenders:
        if tender.kind not in OFFLINE_TENDERS:
            raise TenderError(
                f"{tender.kind.value} needs the mall's payment service; use cash or card here."
            )
    return tenders


def _ensure_shift(db: Database, staff_id: int) -> None:
    with db.read() as session:
        is_open = open_shift_of(session, till_identity(session).till_id) is not None
    if not is_open:
        open_shift(db, staff_id=staff_id, float_fen=0)
        print("note: no shift was open; opened one with a ¥0.00 float.", file=sys.stderr)


def run_scripted_sale(db: Database, args: argparse.Namespace) -> int:
    try:
        staff = _cashier(db, args.cashier)
        cart = _cart(db, args.scan)
        tenders = _tenders(args.pay)
        _ensure_shift(db, staff.id)
        result = checkout(db, cart=cart, tenders=tenders, cashier_id=staff.id)
    except (InvalidBarcode, CartError, TenderError, ServiceError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"sale {result.sale_no} total {format_fen(result.total_fen)} "
        f"change {format_fen(result.change_fen)}"
    )
    return 0
