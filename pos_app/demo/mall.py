"""The one-machine demo (`pos run --demo`): a local mall on 127.0.0.1 beside the till, holding the
same catalog as the till, a pickup order waiting, and the till paired with it, so the whole loop
(sales up, catalog and online orders down) runs on one machine without any setup."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import islice
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.demo import DEMO_STORES
from mall.devices import new_pairing_code
from mall.local import LocalMall
from mall.models import ProductRow
from mall.orders import create_order
from mall.stock import add_move
from pos_app.services.till import till_identity
from pos_app.store.db import Database
from pos_app.store.models import Product
from pos_app.store.settings import set_setting
from sync.credentials import credentials_path, load_credentials, pair, save_credentials
from sync.protocol import ProductData

PUBLISH_BATCH = 2000
DEMO_HOURS = "07:00-23:00"
STOCKED_SKUS = 200  # products with stock at the demo stores, so online orders can be placed


def _product_data(product: Product) -> ProductData:
    return ProductData(
        sku=product.sku,
        name=product.name,
        pinyin_full=product.pinyin_full,
        pinyin_initials=product.pinyin_initials,
        unit=product.unit,
        price_fen=product.price_fen,
        member_price_fen=product.member_price_fen,
        tax_rate_bp=product.tax_rate_bp,
        category=product.category.name if product.category else None,
        weighed=product.weighed,
        plu_code=product.plu_code,
        barcodes=[barcode.code for barcode in product.barcodes],
    )


def _till_products(session: Session) -> Iterator[ProductData]:
    query = select(Product).options(selectinload(Product.barcodes), selectinload(Product.category))
    for product in session.scalars(query.execution_options(yield_per=PUBLISH_BATCH)):
        yield _product_data(product)


def publish_catalog(db: Database, mall_db: MallDatabase) -> None:
    """Give the mall the till's demo catalog, stock at the demo stores and one pickup order."""
    with mall_db.write() as session:
        for store_id, name, address, lat, lng in DEMO_STORES:
            add_store(
                session, store_id, name, address=address, lat=lat, lng=lng, hours="07:00-23:00"
            )
    with db.read() as till_session:
        products = _till_products(till_session)
        while batch := list(islice(products, PUBLISH_BATCH)):
            with mall_db.write() as session:
                upsert_products(session, batch)
    with mall_db.write() as session:
        skus = session.scalars(select(ProductRow.sku).order_by(ProductRow.sku).limit(STOCKED_SKUS))
        stocked = list(skus)
        for store_id, *_ in DEMO_STORES:
            for sku in stocked:
                add_move(session, store_id, sku, 50, "receive", "demo")
        create_order(session, "S001", [(stocked[0], 2), (stocked[1], 1)], customer_name="王女士")


def start_demo_mall(db: Database, data_dir: Path, *, port: int) -> LocalMall:
    """The local mall on 127.0.0.1 (on a free port when `port` is taken), seeded on first run."""
    url = f"sqlite:///{data_dir / 'mall.db'}"
    try:
        mall = LocalMall.for_database(url, port=port).start()
    except OSError:
        mall = LocalMall.for_database(url, port=0).start()
    mall_db = MallDatabase(url)
    try:
        with mall_db.read() as session:
            empty = (session.scalar(select(func.count()).select_from(ProductRow)) or 0) == 0
        if empty:
            publish_catalog(db, mall_db)
    finally:
        mall_db.dispose()
    return mall


def pair_with(db: Database, mall: LocalMall, data_dir: Path) -> None:
    """Pair the till with the demo mall once; afterwards only follow the mall's port."""
    if not credentials_path(data_dir).exists():
        mall_db = MallDatabase(mall.settings.database_url)
        try:
            with db.read() as session:
                identity = till_identity(session)
            with mall_db.write() as session:
                code = new_pairing_code(session, identity.store_id, ttl_s=60)
        finally:
            mall_db.dispose()
        pair(
            mall.base_url, code, data_dir, till_id=identity.till_id, device_name="demo till", db=db
        )
    credentials = load_credentials(data_dir)
    if credentials.base_url != mall.base_url:
        save_credentials(data_dir, replace(credentials, base_url=mall.base_url))
        with db.write() as session:  # the receipt QR links follow the mall too
            set_setting(session, "mall_base_url", mall.base_url)
