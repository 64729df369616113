"""A coupon at the counter worked by keys only, against the real mall on 127.0.0.1: goods and
the coupon's QR by scanner bursts into the focused widget, F12, a typed amount and Enter. The
stored sale, its tender, the coupon's share on the lines and the mall's coupon ledger agree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mall.coupons.ledger import add_campaign, coupon_code, issue
from mall.coupons.models import CouponEntryRow, CouponRow
from mall.models import utc_now
from pos_app.services.promotions import promotions_of
from pos_app.store.db import Database
from pos_app.store.models import SaleCoupon
from pos_app.ui.main_window import MainWindow
from sync.engine import SyncEngine
from tests.conftest import barcode_of
from tests.sync.conftest import Mall, open_mall
from tests.sync.member_helpers import MallMembers, pair_till
from tests.ui.conftest import FakeClock, finish_background_work, log_in, open_window, wait_idle
from tests.ui.keys import scan_code
from tests.ui.test_promotion_keys import pay_by_keys, stored


@pytest.fixture
def mall(tmp_path: Path) -> Iterator[Mall]:
    yield from open_mall(f"sqlite:///{tmp_path / 'mall.db'}")


@pytest.fixture
def coupon(mall: Mall) -> tuple[str, str]:
    """A 满¥10减¥3 coupon the mall issued to a member: (coupon id, the code of its QR)."""
    member_id = MallMembers(mall.db).add("13900000001")
    with mall.db.write() as session:
        add_campaign(
            session,
            campaign_id="VIP3",
            name="会员满10减3",
            value_fen=300,
            min_spend_fen=1000,
            valid_days=7,
            claimable=False,
        )
        row = issue(session, "VIP3", member_id, now=utc_now())
        return row.id, coupon_code(session, row)


@pytest.fixture
def shop(
    qtbot: QtBot, db: Database, clock: FakeClock, mall: Mall
) -> Iterator[tuple[MainWindow, SyncEngine]]:
    """The till paired with the mall, logged in, on the sale screen, asking the mall online."""
    engine, directory = pair_till(db, mall.base_url, mall.pair_code("S001"))
    window = open_window(qtbot, db, clock)
    window.ctx.members = directory
    log_in(qtbot, window)
    yield window, engine
    finish_background_work(window)
    engine.client.close()


def test_a_scanned_coupon_by_keys_is_held_paid_and_redeemed_at_the_mall(
    qtbot: QtBot,
    shop: tuple[MainWindow, SyncEngine],
    clock: FakeClock,
    db: Database,
    mall: Mall,
    coupon: tuple[str, str],
) -> None:
    """Noodles ×2 and colas ×2 = ¥16.00; the coupon's QR takes ¥3.00 off (held at the mall),
    the lines name it; F12, 20 + Enter pays ¥13.00 with ¥7.00 change. After sync the mall's
    ledger says issued, held, redeemed by this sale for ¥3.00."""
    window, engine = shop
    coupon_id, code = coupon
    for sku in ("1003", "1003", "1001", "1001"):
        scan_code(clock, barcode_of(sku))
    assert window.sale.total.text() == "¥16.00"
    scan_code(clock, code)
    wait_idle(qtbot, window)
    assert window.sale.total.text() == "¥13.00"
    assert "已使用优惠券「会员满10减3」，优惠 ¥3.00" in window.sale.message.text()
    assert (
        window.sale.model.data(window.sale.model.index(0, 1)) == "康师傅红烧牛肉面〔会员满10减3〕"
    )
    pay_by_keys(qtbot, window, clock, "20")
    sale, tenders = stored(db)
    assert (sale.subtotal_fen, sale.discount_fen, sale.total_fen) == (1600, 300, 1300)
    assert tenders == [("cash", 1300, 2000, 700)]
    with db.read() as session:
        used = session.get(SaleCoupon, sale.id)
        shares = promotions_of(session, sale.id).lines
    assert used is not None and (used.coupon_id, used.discount_fen) == (coupon_id, 300)
    assert used.reference.startswith("CH")
    assert (
        sum(a.discount_fen for line in shares.values() for a in line if a.kind == "coupon") == 300
    )
    assert engine.run_once().pending == 0
    with mall.db.read() as session:
        row = session.get(CouponRow, coupon_id)
        assert row is not None and (row.status, row.discount_fen) == ("redeemed", 300)
        actions = session.scalars(
            select(CouponEntryRow.action)
            .where(CouponEntryRow.coupon_id == coupon_id)
            .order_by(CouponEntryRow.id)
        ).all()
    assert actions == ["issued", "held", "redeemed"]


def test_a_coupon_below_its_minimum_spend_is_refused_and_the_cart_unchanged(
    qtbot: QtBot,
    shop: tuple[MainWindow, SyncEngine],
    clock: FakeClock,
    mall: Mall,
    coupon: tuple[str, str],
) -> None:
    """One cola (¥3.50) does not reach ¥10: the screen says so, the hold goes back."""
    window, _engine = shop
    scan_code(clock, barcode_of("1001"))
    scan_code(clock, coupon[1])
    wait_idle(qtbot, window)
    assert "未满 ¥10.00，不能用这张券" in window.sale.message.text()
    assert window.sale.total.text() == "¥3.50" and window.sale.cart.coupon is None
    wait_idle(qtbot, window)
    with mall.db.read() as session:
        row = session.get(CouponRow, coupon[0])
        assert row is not None and row.status == "issued"
