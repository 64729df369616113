"""Demo data a shop owner believes: fresh food at real per-kg prices, packs sold by the pack."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pos_app.demo.data import generate_demo_catalog, pack_unit
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Product

FRUIT_MAX_FEN = 1598  # ¥15.98/kg: no ¥115.79/kg apples


def test_fresh_prices_per_kg_are_believable_and_packs_have_pack_units(tmp_path: Path) -> None:
    """Apples at most ¥15.98/kg, pork ¥25.98–89.98/kg; a ×24 case is a 箱, a ×6 a 组."""
    upgrade(tmp_path / "demo.db")
    db = Database(tmp_path / "demo.db")
    generate_demo_catalog(db, 3000, seed=3)
    with db.read() as session:
        rows = session.execute(select(Product.name, Product.price_fen, Product.unit)).all()
    apples = [price for name, price, _ in rows if name.startswith("散装 红富士苹果")]
    pork = [price for name, price, _ in rows if name.startswith("鲜 猪")]
    assert apples and max(apples) <= FRUIT_MAX_FEN
    assert pork and all(2598 - 1 <= price <= 8998 for price in pork)
    db.dispose()
    assert all(unit == "箱" for name, _, unit in rows if "×24" in name)
    assert all(unit != "瓶" for name, _, unit in rows if "×" in name)
    assert pack_unit("瓶", "×6", 6) == "组" and pack_unit("袋", "五连包", 5) == "包"


def test_no_two_demo_products_share_a_name(tmp_path: Path) -> None:
    """5,000 products from about 2,100 shelf names: each name once (新包装, 家庭装 … tell the
    later ones apart), every variant in the search keys, prices of weighed goods still per kg."""
    upgrade(tmp_path / "demo.db")
    db = Database(tmp_path / "demo.db")
    generate_demo_catalog(db, 5000, seed=5)
    with db.read() as session:
        rows = session.execute(
            select(Product.name, Product.pinyin_initials, Product.price_fen)
        ).all()
    db.dispose()
    names = [name for name, _, _ in rows]
    assert len(set(names)) == len(names) == 5000
    assert sum("家庭装" in name for name in names) > 100
    assert all(initials.endswith("jtz") for name, initials, _ in rows if name.endswith(" 家庭装"))
    apples = [price for name, _, price in rows if name.startswith("散装 红富士苹果")]
    assert apples and max(apples) <= FRUIT_MAX_FEN
