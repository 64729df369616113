"""The mini-program's pages (miniprogram-simulate under node) against the real mall served on
127.0.0.1: jest drives them with wx.request bridged to HTTP, as a customer taps through them
(miniprogram/test/e2e/shopping.e2e.ts); here the mall's books are checked afterwards: the goods
reserved, the sandbox charged once, the refund, and the pickup QR the till would scan."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from mall.coupons.ledger import add_campaign
from mall.coupons.models import CouponRow
from mall.db import MallDatabase
from mall.local import LocalMall
from mall.members.keys import member_code_public_key
from mall.members.models import MemberRow
from mall.migrate import upgrade
from mall.models import OrderRow
from sync.coupon_code import verify_coupon_code
from sync.protocol import pickup_code_sha256

customer_support = pytest.importorskip(
    "tests.mall.customer_support", reason="the mall's customer API (issue 21) is not here yet"
)
from mall.payments.sandbox import sandbox_books_fen  # noqa: E402

MINIPROGRAM = Path(__file__).resolve().parents[2] / "miniprogram"
JEST_TIMEOUT_S = 300


@pytest.fixture
def mall(tmp_path: Path) -> Iterator[tuple[LocalMall, MallDatabase]]:
    """A served mall with 人民路店 and 解放路店; 人民路店 has 5 colas and 3 noodles."""
    url = f"sqlite:///{tmp_path / 'mall.db'}"
    upgrade(url)
    db = MallDatabase(url)
    customer_support.seed_shop(db, {("S001", "1001"): 5, ("S001", "1003"): 3})
    with db.write() as session:
        add_campaign(
            session,
            campaign_id="NEW3",
            name="新人满10减3",
            value_fen=300,
            min_spend_fen=1000,
            valid_days=30,
            claimable=True,
        )
    server = LocalMall.for_database(url).start()
    yield server, db
    server.stop()
    db.dispose()


def run_pages(base_url: str, out: Path) -> None:
    """The e2e jest suite against the mall; fails with jest's own report."""
    if not (MINIPROGRAM / "node_modules" / ".installed").exists():
        pytest.fail("miniprogram/node_modules is missing: run `make test-miniprogram` first")
    env = {
        **os.environ,
        "MALL_BASE_URL": base_url,
        "E2E_OUT": str(out),
        "CI": "true",
        "FORCE_COLOR": "0",
    }
    done = subprocess.run(
        ["npx", "jest", "--config", "jest.e2e.config.js"],
        cwd=MINIPROGRAM,
        env=env,
        capture_output=True,
        text=True,
        timeout=JEST_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def decode_qr(data_url: str) -> str:
    """The text of the QR image the order page shows (a GIF data URL)."""
    image = Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1]))).convert("L")
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return found[0].text


def test_a_customer_orders_pays_and_cancels_through_the_miniprogram_pages(
    mall: tuple[LocalMall, MallDatabase], tmp_path: Path
):
    """Two products bought for pickup and paid once in the sandbox (reserved at the store, the
    pickup QR is the order's code); a second order cancelled after payment is refunded and its
    goods released; the customer becomes a member and claims a coupon whose QR is genuine."""
    server, db = mall
    out = tmp_path / "seen.json"
    run_pages(server.base_url, out)
    seen = json.loads(out.read_text(encoding="utf-8"))

    paid, cancelled = seen["paid"], seen["cancelled"]
    assert decode_qr(paid["qr"]) == paid["pickupCode"]
    with db.read() as session:
        order = session.get(OrderRow, paid["orderId"])
        assert order is not None and order.status == "paid"
        assert order.pickup_code_sha256 == pickup_code_sha256(order.id, paid["pickupCode"])
        assert (
            session.scalar(select(OrderRow.status).where(OrderRow.id == cancelled["orderId"]))
            == "cancelled"
        )
        assert sandbox_books_fen(session, "S001") == 350 + 450
    assert customer_support.stock_of(db, "S001", "1001") == (5, 1, 4)
    assert customer_support.stock_of(db, "S001", "1003") == (3, 1, 2)
    with db.read() as session:  # the coupon QR is genuine and the new member's, ready to use
        token = verify_coupon_code(
            decode_qr(seen["coupon"]["qr"]), member_code_public_key(session), now=datetime.now(UTC)
        )
        coupon = session.get(CouponRow, token.coupon_id)
        member = session.scalar(select(MemberRow).where(MemberRow.phone == "13800000000"))
        assert coupon is not None and member is not None
        assert (coupon.member_id, coupon.status, token.value_fen) == (member.id, "issued", 300)
