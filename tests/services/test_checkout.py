"""Checkout: one transaction holding sale, lines, payments, stock, outbox and journal."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import event, func, select, update

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services import checkout as checkout_module
from pos_app.services.catalog import lookup_scan
from pos_app.services.checkout import checkout
from pos_app.services.errors import EmptyCart, NotFullyPaid, UnknownBarcode
from pos_app.store.db import Database
from pos_app.store.journal import verify_journal
from pos_app.store.models import (
    JournalEntry,
    OutboxEvent,
    Payment,
    Product,
    Sale,
    SaleLine,
    StockMove,
)
from tests.conftest import CASHIER_ID, barcode_of


def cart_with(db: Database, *codes: str) -> Cart:
    cart = Cart()
    with db.read() as session:
        for code in codes:
            found = lookup_scan(session, parse_barcode(code))
            cart.add(found.info, barcode=code)
    return cart


def counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Sale, SaleLine, Payment, StockMove, OutboxEvent, JournalEntry)
        }


def test_cash_sale_commits_every_ledger_and_gives_change(db: Database) -> None:
    """A cash sale stores sale, lines, payment with change, stock deltas, event and journal."""
    cart = cart_with(db, barcode_of("1001"), barcode_of("1001"), barcode_of("1002"))
    result = checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 2000)], cashier_id=CASHIER_ID)
    assert (result.sale_no, result.total_fen, result.change_fen) == ("T01-000001", 900, 1100)
    with db.read() as session:
        sale = session.scalars(select(Sale)).one()
        assert [(line.sku, line.qty, line.net_fen) for line in sale.lines] == [
            ("1001", 2, 700),
            ("1002", 1, 200),
        ]
        payment = sale.payments[0]
        assert (payment.kind, payment.amount_fen, payment.tendered_fen, payment.change_fen) == (
            "cash",
            900,
            2000,
            1100,
        )
        moves = session.execute(select(StockMove.delta, StockMove.reason)).all()
        assert sorted(moves) == [(-2, "sale"), (-1, "sale")]
        event = session.scalars(select(OutboxEvent)).one()
        assert (event.kind, event.device_seq) == ("sale", 1)
        assert '"total_fen":900' in event.payload
        assert verify_journal(session) == []


def test_split_payment_records_each_tender(db: Database) -> None:
    """WeChat for part and cash for the rest gives two payment rows that sum to the total."""
    cart = cart_with(db, barcode_of("1003"), barcode_of("1003"))
    tenders = [Tender(TenderKind.WECHAT, 500, "wx-1"), Tender(TenderKind.CASH, 1000)]
    result = checkout(db, cart=cart, tenders=tenders, cashier_id=CASHIER_ID)
    assert result.change_fen == 600
    with db.read() as session:
        rows = session.execute(select(Payment.kind, Payment.amount_fen)).all()
    assert rows == [("wechat", 500), ("cash", 400)]


def test_sale_numbers_are_gapless(db: Database) -> None:
    """Each sale takes the next number of the till, with no gap."""
    numbers = [
        checkout(
            db,
            cart=cart_with(db, barcode_of("1002")),
            tenders=[Tender(TenderKind.CASH, 200)],
            cashier_id=CASHIER_ID,
        ).sale_no
        for _ in range(3)
    ]
    assert numbers == ["T01-000001", "T01-000002", "T01-000003"]


def test_unpaid_or_empty_cart_is_refused_and_nothing_is_stored(db: Database) -> None:
    """Too little money or an empty cart raises a clear error and writes nothing."""
    before = counts(db)
    with pytest.raises(NotFullyPaid, match="still to pay"):
        checkout(
            db,
            cart=cart_with(db, barcode_of("1001")),
            tenders=[Tender(TenderKind.CASH, 100)],
            cashier_id=CASHIER_ID,
        )
    with pytest.raises(EmptyCart):
        checkout(db, cart=Cart(), tenders=[Tender(TenderKind.CASH, 100)], cashier_id=CASHIER_ID)
    assert counts(db) == before


def test_unknown_barcode_is_a_clear_error(db: Database) -> None:
    """A valid EAN that is not in the catalog names the code in its message."""
    with db.read() as session, pytest.raises(UnknownBarcode, match="6900000000007"):
        lookup_scan(session, parse_barcode("6900000000007"))


@pytest.mark.parametrize("failing_step", range(len(checkout_module.CHECKOUT_STEPS)))
def test_error_at_any_checkout_step_leaves_nothing_behind(
    db: Database, monkeypatch: pytest.MonkeyPatch, failing_step: int
) -> None:
    """An error injected after any step rolls back the whole sale: no row of it remains."""
    before = counts(db)
    steps = list(checkout_module.CHECKOUT_STEPS)
    real_step = steps[failing_step]

    def step_then_fail(draft: object) -> None:
        real_step(draft)  # type: ignore[arg-type]
        raise RuntimeError("injected failure")

    steps[failing_step] = step_then_fail
    monkeypatch.setattr(checkout_module, "CHECKOUT_STEPS", steps)
    with pytest.raises(RuntimeError, match="injected"):
        checkout(
            db,
            cart=cart_with(db, barcode_of("1001")),
            tenders=[Tender(TenderKind.CASH, 500)],
            cashier_id=CASHIER_ID,
        )
    assert counts(db) == before


def statements_of_checkout(db: Database, cart: Cart, tenders: list[Tender]) -> list[str]:
    """The SQL statements one checkout sends to SQLite, counted by a SQLAlchemy event."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(db.write_engine, "before_cursor_execute", record)
    try:
        checkout(db, cart=cart, tenders=tenders, cashier_id=CASHIER_ID)
    finally:
        event.remove(db.write_engine, "before_cursor_execute", record)
    return sent


def test_checkout_issues_a_bounded_number_of_statements_whatever_the_lines(db: Database) -> None:
    """A sale is a fixed handful of statements: one INSERT per table, however many lines and
    tenders, and no SELECT that an ORM flush would add."""
    small = statements_of_checkout(
        db, cart_with(db, barcode_of("1001")), [Tender(TenderKind.CASH, 500)]
    )
    codes = [barcode_of(sku) for sku in ("1001", "1002", "1003", "1001", "1002")]
    big = statements_of_checkout(
        db,
        cart_with(db, *codes),
        [Tender(TenderKind.CARD, 500), Tender(TenderKind.CASH, 2000)],
    )
    assert len(big) == len(small) <= 12
    inserts = sorted(s.split("(")[0].strip() for s in big if s.startswith("INSERT"))
    assert inserts == [
        "INSERT INTO journal",
        "INSERT INTO outbox",
        "INSERT INTO payments",
        "INSERT INTO product_popularity",
        "INSERT INTO sale_lines",
        "INSERT INTO sales",
        "INSERT INTO stock_moves",
    ]
    with db.read() as session:
        sale = session.scalars(select(Sale).where(Sale.till_seq == 2)).one()
        assert [p.kind for p in sale.payments] == ["card", "cash"]
        assert sum(line.qty for line in sale.lines) == 5
        moves = session.scalar(select(func.count()).where(StockMove.ref == sale.sale_no))
        assert moves == len(sale.lines)
        assert verify_journal(session) == []


def test_a_sale_the_mall_would_refuse_is_never_committed(db: Database) -> None:
    """The sale event is built as the sync contract's model inside the checkout transaction: a
    product whose code breaks the contract (a space, from before imports checked it) fails the
    sale and leaves no row behind, instead of an event that blocks the outbox at push time."""
    with db.write() as session:
        session.execute(update(Product).where(Product.sku == "1001").values(sku="10 01"))
    cart = cart_with(db, barcode_of("1001"))
    before = counts(db)
    with pytest.raises(ValidationError, match="sku"):
        checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 1000)], cashier_id=CASHIER_ID)
    assert counts(db) == before
