"""The mall's FastAPI application, built from settings (no global state)."""

from __future__ import annotations

from fastapi import FastAPI

from mall.api import router
from mall.db import MallDatabase
from mall.errors import install_error_handlers
from mall.h5.routes import H5_ROUTERS
from mall.http import BODY_LIMITS_KEY
from mall.members.api import router as members_router
from mall.members.keys import ensure_member_keys
from mall.payments.api import router as payments_router
from mall.payments.poller import PaymentPoller
from mall.payments.service import PaymentDesk
from mall.settings import MallSettings
from mall.web_guards import WebGuards
from sync.protocol import API_PREFIX


def create_app(settings: MallSettings) -> FastAPI:
    """The app; its database must already be upgraded (see mall.migrate.upgrade)."""
    app = FastAPI(
        title="门店通 mall",
        version="1",
        description="Sync contract between the tills and the mall (DESIGN §7–8).",
    )
    app.state.settings = settings
    app.state.db = MallDatabase(settings.database_url)
    setattr(app.state, BODY_LIMITS_KEY, (settings.max_body_bytes, settings.max_inflated_bytes))
    app.state.payments = PaymentDesk(app.state.db, settings.payments)
    app.state.payment_poller = PaymentPoller(app.state.payments)
    app.include_router(router, prefix=API_PREFIX)
    app.include_router(payments_router, prefix=API_PREFIX)
    app.include_router(members_router, prefix=API_PREFIX)
    for h5_router in H5_ROUTERS:
        app.include_router(h5_router)
    with app.state.db.write() as session:
        ensure_member_keys(session)
    install_error_handlers(app)
    app.add_middleware(WebGuards)

    return app
