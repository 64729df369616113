"""The mall's FastAPI application, built from settings (no global state)."""

from __future__ import annotations

from fastapi import FastAPI

from mall.api import router
from mall.db import MallDatabase
from mall.errors import install_error_handlers
from mall.http import BODY_LIMITS_KEY
from mall.settings import MallSettings
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
    app.include_router(router, prefix=API_PREFIX)
    install_error_handlers(app)

    return app
