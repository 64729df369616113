"""The mall's FastAPI application, built from settings (no global state).

`create_app` is also the ASGI factory every worker calls: `pos-mall serve --workers N`,
`uvicorn --factory mall.app:create_app --workers N` or gunicorn with uvicorn workers; without
arguments it reads its settings from the environment (mall.settings). Each worker only checks
that the database is at the newest schema (upgrading is done once, before workers start) and
creates the chain's keys if they are missing, which is safe when workers start at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from mall.api import router
from mall.background import Background
from mall.coupons.api import router as coupons_router
from mall.coupons.customer_api import router as customer_coupons_router
from mall.customer.api import router as customer_router
from mall.customer.orders import CustomerOrders
from mall.customer.top_ups import CustomerTopUps
from mall.db import MallDatabase
from mall.errors import install_error_handlers
from mall.h5.routes import H5_ROUTERS
from mall.http import BODY_LIMITS_KEY
from mall.members.api import router as members_router
from mall.members.keys import ensure_member_keys
from mall.migrate import check_current
from mall.payments.api import router as payments_router
from mall.payments.jsapi import OnlinePayments
from mall.payments.service import PaymentDesk
from mall.settings import MallSettings
from mall.web_guards import WebGuards
from sync.protocol import API_PREFIX


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Served by uvicorn with its lifespan: start the background work (payments left pending by
    a restart, expiry, pruning) and close the pool on shutdown. (LocalMall serves without
    lifespan and stops things itself.)"""
    if app.state.settings.background:
        app.state.background.ensure_started()
    yield
    app.state.background.stop()
    app.state.db.dispose()


def create_app(settings: MallSettings | None = None) -> FastAPI:
    """The app over an upgraded database; settings from the environment when not given."""
    settings = settings or MallSettings.from_env()
    app = FastAPI(
        title="门店通 mall",
        version="1",
        description="Sync contract between the tills and the mall (DESIGN §7–8), and the "
        "customer API of the mini-program under /customer/v1.",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.db = MallDatabase(settings.database_url, pool_size=settings.pool_size)
    check_current(app.state.db.write_engine)
    setattr(app.state, BODY_LIMITS_KEY, (settings.max_body_bytes, settings.max_inflated_bytes))
    app.state.payments = PaymentDesk(app.state.db, settings.payments)
    app.state.background = Background(app.state.payments)
    online = OnlinePayments(app.state.payments)
    app.state.customer_orders = CustomerOrders(app.state.db, online)
    app.state.customer_top_ups = CustomerTopUps(app.state.db, online)
    app.include_router(router, prefix=API_PREFIX)
    app.include_router(payments_router, prefix=API_PREFIX)
    app.include_router(members_router, prefix=API_PREFIX)
    app.include_router(customer_router)
    app.include_router(coupons_router, prefix=API_PREFIX)
    app.include_router(customer_coupons_router)
    for h5_router in H5_ROUTERS:
        app.include_router(h5_router)
    with app.state.db.write() as session:
        ensure_member_keys(session)
    install_error_handlers(app)
    app.add_middleware(WebGuards)

    return app
