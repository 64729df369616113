"""The back office rendered to PNG at 1024×768 in zh_CN (offscreen works), for review without a
display: the dashboard, a chart per report, receiving with scanned lines, a stocktake with its
variance view, the stock lists with a product's history, and the product editor.

capture_backoffice() opens a stocktake, records counts and sets reorder levels in the database
it is given: hand it a scratch database (capture_demo() makes one with a year of demo sales).
"""

from __future__ import annotations

import random
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from pos_app.demo.data import generate_demo_catalog, sample_barcodes, seed_demo_store
from pos_app.demo.sales import SalesPlan, generate_sales
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.backups import back_up_now
from pos_app.services.checkout import checkout
from pos_app.services.receiving import ReceivingInput, ReceivingLineInput, post_receiving
from pos_app.services.report_period import Period, shop_today
from pos_app.services.reports import REPORTS
from pos_app.services.shift import open_shift
from pos_app.services.stock import find_product, on_hand, set_reorder_level
from pos_app.services.stocktake import current_stocktake, open_stocktake, record_count
from pos_app.services.till import open_shift_of, till_identity
from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember
from pos_app.store.migrate import upgrade
from pos_app.store.models import Product, Sale, Staff
from pos_app.ui.app import make_application
from pos_app.ui.backoffice.widgets import Viewer
from pos_app.ui.backoffice.window import WINDOW_SIZE, BackOfficeWindow
from pos_app.ui.language import use_language
from pos_app.ui.widgets import GRAMS_PER_KG, wait_until
from tools.screen_fit import fit_problems
from tools.screen_texts import Texts, visible_texts

DEMO_SKUS = 3000
DEMO_DAYS = 400
DEMO_SALES_PER_DAY = 120
DEMO_MEMBERS = 12
DEMO_MEMBER_NAMES = ("王女士", "李先生", "张阿姨", "刘先生", "陈女士", "赵先生")
REPORT_DAYS = 90
RESTOCKED = 80
SUPPLIERS = ("康师傅经销商", "华润万家批发部", "本地粮油批发", "蒙牛乳业配送")
# The first page waits for the report process to start: 13 s measured at load 12 on 2 cores.
READY_TIMEOUT_S = 120.0
COUNTS = (("A1", 0, -2), ("A1", 1, 0), ("A2", 2, 3), ("B1", 3, -1), ("B1", 4, 0), ("C3", 5, -4))


def _idle(window: BackOfficeWindow) -> None:
    wait_until(lambda: not window.ops.busy, timeout_s=READY_TIMEOUT_S)


def _shot(window: BackOfficeWindow, out_dir: Path, name: str, texts: Texts | None = None) -> Path:
    _idle(window)
    if texts is not None:
        texts[name] = visible_texts(window)
        texts[f"fit:{name}"] = fit_problems(window)
    path = out_dir / f"{name}.png"
    window.grab().save(str(path), "PNG")
    return path


def _manager(db: Database) -> Viewer:
    with db.read() as session:
        return Viewer.of(session.scalars(select(Staff).where(Staff.role == "manager")).first())


def _prepare_stock(db: Database, manager_id: int, codes: list[str]) -> None:
    """Reorder levels on the first products, and an open stocktake with a few shelves counted."""
    with db.write() as session:
        query = select(Product.id, Product.weighed).order_by(Product.id).limit(RESTOCKED)
        for n, (product_id, weighed) in enumerate(session.execute(query).all()):
            set_reorder_level(session, product_id, (24 + 2 * n) * (GRAMS_PER_KG if weighed else 1))
    with db.read() as session:
        open_count = current_stocktake(session)
    stocktake = open_count or open_stocktake(db, actor_id=manager_id)
    for shelf, index, difference in COUNTS:
        with db.read() as session:
            found = find_product(session, codes[index])
            book = on_hand(session, found.product_id)
        record_count(
            db,
            stocktake_id=stocktake.stocktake_id,
            code=codes[index],
            counted_qty=max(0, book + difference),
            actor_id=manager_id,
            shelf=shelf,
        )
    _sell_after_counting(db, manager_id, codes[0])


def _sell_after_counting(db: Database, cashier_id: int, code: str) -> None:
    """Two of the counted product are sold after its count: the variance view shows them as
    moves since the count, not as shrinkage."""
    with db.read() as session:
        found = find_product(session, code)
        shift_open = open_shift_of(session, till_identity(session).till_id) is not None
    if not shift_open:
        open_shift(db, staff_id=cashier_id, float_fen=0)
    cart = Cart()
    cart.add(found.info, qty=2, barcode=code)
    checkout(
        db, cart=cart, tenders=[Tender(TenderKind.CASH, cart.total_fen)], cashier_id=cashier_id
    )


def _receive(window: BackOfficeWindow, codes: list[str]) -> None:
    page = window.receiving
    page.supplier.setEditText("华润万家批发部")
    for n, code in enumerate(codes[6:11]):
        page.on_scan(code)
        _idle(window)
        page.qty.setText(str(12 * (n + 1)))
        if not page.cost.text():
            page.cost.setText("3.80")
        page.add_line()
        _idle(window)


def capture_backoffice(db: Database, out_dir: Path, texts: Texts | None = None) -> list[Path]:
    """Render the back office on db into out_dir; returns the PNG paths in order (texts, when
    given, gets the words each page shows)."""
    make_application()
    use_language("zh_CN")
    out_dir.mkdir(parents=True, exist_ok=True)
    manager = _manager(db)
    with db.read() as session:
        codes = sample_barcodes(session, 12)
    _prepare_stock(db, manager.staff_id, codes)
    window = BackOfficeWindow(db, manager)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.tabs.setFocus()
    shots = [_shot(window, out_dir, "01-dashboard", texts)]
    window.show_page(window.reports)
    window.period_bar.set_period(Period.ending(shop_today(), REPORT_DAYS))
    for n, spec in enumerate(REPORTS, start=2):
        window.reports.show_report(spec.key)
        shots.append(_shot(window, out_dir, f"{n:02d}-report-{spec.key}", texts))
    window.show_page(window.receiving)
    _receive(window, codes)
    shots.append(_shot(window, out_dir, "20-receiving", texts))
    window.show_page(window.stocktake)
    shots.append(_shot(window, out_dir, "21-stocktake", texts))
    window.show_page(window.stock)
    _idle(window)
    window.stock.on_scan(codes[0])
    shots.append(_shot(window, out_dir, "22-stock", texts))
    window.show_page(window.products)
    window.products.on_scan(codes[1])
    shots.append(_shot(window, out_dir, "23-product", texts))
    _know_demo_members(db)
    window.show_page(window.members)
    window.members.refresh()
    _idle(window)
    if window.members.members:
        window.members.member_view.selectRow(0)
        window.members.show_member(window.members.members[0])
    shots.append(_shot(window, out_dir, "24-members", texts))
    back_up_now(db.path)  # a backup in the list (beside the scratch database)
    window.show_page(window.data)
    _idle(window)
    shots.append(_shot(window, out_dir, "25-data", texts))
    window.close()
    window.deleteLater()
    return shots


def _know_demo_members(db: Database) -> None:
    """What the till would have heard from the mall about the demo's most frequent members."""
    with db.write() as session:
        top = session.execute(
            select(Sale.member_id)
            .where(Sale.member_id.is_not(None))
            .group_by(Sale.member_id)
            .order_by(func.count().desc())
            .limit(DEMO_MEMBERS)
        ).scalars()
        for n, member_id in enumerate(top):
            if member_id is not None and session.get(KnownMember, member_id) is None:
                session.add(
                    KnownMember(
                        member_id=member_id,
                        name=DEMO_MEMBER_NAMES[n % len(DEMO_MEMBER_NAMES)],
                        tier="金卡" if n % 3 == 0 else "普通",
                        phone_tail=f"{1000 + n * 37:04d}",
                        points_balance=800 + 53 * n,
                        stored_value_fen=10_000 * (n % 4),
                    )
                )


def _restock(db: Database, manager_id: int) -> None:
    """Receive the best sellers back above zero, a supplier document per 20 products (the demo
    sales ran them far below what the demo catalog booked in)."""
    rng = random.Random(7)
    with db.read() as session:
        products = session.execute(
            select(Product.id, Product.sku, Product.weighed, Product.cost_fen, Product.price_fen)
            .order_by(Product.id)
            .limit(RESTOCKED)
        ).all()
        lines = [
            ReceivingLineInput(
                sku,
                rng.randrange(6, 160) * (GRAMS_PER_KG if weighed else 1) - on_hand(session, pid),
                cost or price * 7 // 10,
            )
            for pid, sku, weighed, cost, price in products
        ]
    for n, supplier in enumerate(SUPPLIERS):
        chunk = [line for line in lines[n * 20 : (n + 1) * 20] if line.qty > 0]
        post_receiving(db, ReceivingInput(supplier, chunk), actor_id=manager_id)


def build_demo_db(path: Path, *, skus: int = DEMO_SKUS) -> Database:
    """A demo store with a catalog, DEMO_DAYS of sales up to yesterday, then restocked."""
    upgrade(path)
    db = Database(path)
    seed_demo_store(db)
    generate_demo_catalog(db, skus)
    first = shop_today() - timedelta(days=DEMO_DAYS)
    generate_sales(db, SalesPlan(first_day=first, days=DEMO_DAYS, sales_per_day=DEMO_SALES_PER_DAY))
    _restock(db, _manager(db).staff_id)
    return db


def capture_demo(out_dir: Path, *, skus: int = DEMO_SKUS) -> list[Path]:
    """capture_backoffice() on a fresh demo store made in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="pos-backoffice-") as scratch:
        db = build_demo_db(Path(scratch) / "demo.db", skus=skus)
        try:
            return capture_backoffice(db, out_dir)
        finally:
            db.dispose()
