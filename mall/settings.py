"""The mall's settings: where its database lives, the limits it enforces on requests, and how it
takes payment-code payments (mall.payments.config).

A served mall reads them from its environment (MallSettings.from_env), so every worker that
`pos-mall serve --workers N`, uvicorn or gunicorn starts builds the same app:

    POS_MALL_DB                 database URL (default: a SQLite file in the user data dir)
    POS_MALL_POOL_SIZE          PostgreSQL connections per worker process (default 10)
    POS_MALL_MAX_BODY_BYTES     largest request body as sent (default 4 MiB)
    POS_MALL_BACKGROUND         1 (default): this process also takes background work (payment
                                follow-up, expiry, pruning) under leases; 0: requests only
    POS_MALL_MP_*               the mini-program's WeChat log-in (mall.customer.wechat)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from mall.customer.wechat import WeChatAccount, wechat_from_env
from mall.db import DEFAULT_POOL_SIZE
from mall.members.settings import MemberSettings
from mall.payments.config import PaymentSettings, payment_settings_from_env

DB_URL_ENV = "POS_MALL_DB"
PROXIES_ENV = "POS_MALL_TRUSTED_PROXIES"


def trusted_proxies() -> str:
    """$POS_MALL_TRUSTED_PROXIES: the proxies (comma-separated IPs or networks) whose
    X-Forwarded-For/-Proto are believed; none by default, so no client can pick its own IP."""
    return os.environ.get(PROXIES_ENV, "").strip()


def default_database_url(env: Mapping[str, str] | None = None) -> str:
    """$POS_MALL_DB, else a SQLite file in the user's data dir (e.g. ~/.local/share/pos-mall)."""
    url = (os.environ if env is None else env).get(DB_URL_ENV)
    if url:
        return url
    data_dir = Path(user_data_dir("pos-mall", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'mall.db'}"


@dataclass(frozen=True)
class MallSettings:
    database_url: str
    max_body_bytes: int = 4 * 1024 * 1024  # as sent (maybe gzip)
    max_inflated_bytes: int = 16 * 1024 * 1024  # after gunzip
    pairing_code_ttl_s: int = 30 * 60
    snapshot_chunk: int = 5000
    payments: PaymentSettings = field(default_factory=payment_settings_from_env)
    members: MemberSettings = field(default_factory=MemberSettings)
    proxies: str = field(default_factory=trusted_proxies)
    pool_size: int = DEFAULT_POOL_SIZE
    background: bool = True
    wechat: WeChatAccount = field(default_factory=wechat_from_env)  # the mini-program's log-in
    customer_session_s: int = 7 * 24 * 3600

    def uvicorn_options(self) -> dict[str, Any]:
        """Proxy headers only from the configured proxies; no access log (a URL may carry a
        receipt token or a member's location: mall.access_log writes a redacted one)."""
        return {
            "proxy_headers": bool(self.proxies),
            "forwarded_allow_ips": self.proxies or None,
            "access_log": False,
        }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MallSettings:
        env = os.environ if env is None else env
        defaults = cls(database_url="")
        return cls(
            database_url=default_database_url(env),
            pool_size=int(env.get("POS_MALL_POOL_SIZE", defaults.pool_size)),
            max_body_bytes=int(env.get("POS_MALL_MAX_BODY_BYTES", defaults.max_body_bytes)),
            background=env.get("POS_MALL_BACKGROUND", "1") != "0",
            payments=payment_settings_from_env(env),
            wechat=wechat_from_env(env),
        )
