"""How the mall takes payment-code payments: the sandbox (default) or the live providers, how often
it asks about a pending payment and when it gives up; provider keys come from the mall's
environment (files named by variables), never from a till.

    POS_MALL_PAYMENTS            sandbox (default) | live
    POS_MALL_WECHAT_APPID, POS_MALL_WECHAT_MCH_ID, POS_MALL_WECHAT_API_KEY_FILE,
    POS_MALL_WECHAT_SIGN_TYPE (HMAC-SHA256 | MD5), POS_MALL_WECHAT_CERT, POS_MALL_WECHAT_KEY
    POS_MALL_ALIPAY_APP_ID, POS_MALL_ALIPAY_PRIVATE_KEY_FILE, POS_MALL_ALIPAY_PUBLIC_KEY_FILE,
    POS_MALL_ALIPAY_GATEWAY, POS_MALL_ALIPAY_NOTIFY_URL
    POS_MALL_PAYMENT_QUERY_S, POS_MALL_PAYMENT_DEADLINE_S   (default 5 and 30 seconds)
    POS_MALL_WECHAT_NOTIFY_URL   where WeChat Pay posts mini-program (JSAPI) notifications
    POS_MALL_JSAPI_DEADLINE_S    how long a customer has to pay an online order (default 900)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mall.db import MallDatabase
from mall.payments.alipay import GATEWAY_URL, AlipayConfig, AlipayGateway
from mall.payments.gateway import Gateway, JsapiGateway
from mall.payments.sandbox import SandboxGateway
from mall.payments.wechat import HMAC_SHA256, WeChatConfig, WeChatPayGateway
from mall.payments.wechat_jsapi import WeChatJsapiGateway

SANDBOX, LIVE = "sandbox", "live"


@dataclass(frozen=True)
class PaymentSettings:
    """query_interval_s: between two queries of a pending payment (WeChat Pay suggests 5–10 s);
    deadline_s: after it, an unpaid payment is reversed (WeChat Pay suggests 30 s)."""

    mode: str = SANDBOX
    query_interval_s: float = 5.0
    deadline_s: float = 30.0
    sandbox_confirm_s: float = 6.0
    sandbox_slow_s: float = 3.0
    jsapi_deadline_s: float = 900.0
    wechat: WeChatConfig | None = None
    alipay: AlipayConfig | None = None


def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8").strip()


def _wechat(env: Mapping[str, str]) -> WeChatConfig | None:
    if not env.get("POS_MALL_WECHAT_MCH_ID"):
        return None
    return WeChatConfig(
        appid=env["POS_MALL_WECHAT_APPID"],
        mch_id=env["POS_MALL_WECHAT_MCH_ID"],
        api_key=_read(env["POS_MALL_WECHAT_API_KEY_FILE"]),
        sign_type=env.get("POS_MALL_WECHAT_SIGN_TYPE", HMAC_SHA256),
        cert_path=env.get("POS_MALL_WECHAT_CERT"),
        key_path=env.get("POS_MALL_WECHAT_KEY"),
        notify_url=env.get("POS_MALL_WECHAT_NOTIFY_URL", ""),
    )


def _alipay(env: Mapping[str, str]) -> AlipayConfig | None:
    if not env.get("POS_MALL_ALIPAY_APP_ID"):
        return None
    return AlipayConfig(
        app_id=env["POS_MALL_ALIPAY_APP_ID"],
        app_private_key_pem=_read(env["POS_MALL_ALIPAY_PRIVATE_KEY_FILE"]),
        alipay_public_key_pem=_read(env["POS_MALL_ALIPAY_PUBLIC_KEY_FILE"]),
        gateway_url=env.get("POS_MALL_ALIPAY_GATEWAY", GATEWAY_URL),
        notify_url=env.get("POS_MALL_ALIPAY_NOTIFY_URL", ""),
    )


def payment_settings_from_env(env: Mapping[str, str] | None = None) -> PaymentSettings:
    env = os.environ if env is None else env
    defaults = PaymentSettings()
    return PaymentSettings(
        mode=env.get("POS_MALL_PAYMENTS", SANDBOX),
        query_interval_s=float(env.get("POS_MALL_PAYMENT_QUERY_S", defaults.query_interval_s)),
        deadline_s=float(env.get("POS_MALL_PAYMENT_DEADLINE_S", defaults.deadline_s)),
        jsapi_deadline_s=float(env.get("POS_MALL_JSAPI_DEADLINE_S", defaults.jsapi_deadline_s)),
        wechat=_wechat(env),
        alipay=_alipay(env),
    )


class Gateways:
    """The gateway that charges each provider's codes, and every gateway by name (a payment is
    always followed up by the gateway that took it)."""

    def __init__(self, settings: PaymentSettings, db: MallDatabase) -> None:
        sandbox = SandboxGateway(db, settings.sandbox_confirm_s, settings.sandbox_slow_s)
        self.sandbox = sandbox
        self._named: dict[str, Gateway] = {sandbox.name: sandbox}
        self._charging: dict[str, Gateway] = {"wechat": sandbox, "alipay": sandbox}
        self._jsapi: JsapiGateway | None = sandbox
        if settings.mode == LIVE:
            self._charging, self._jsapi = {}, None
            if settings.wechat:
                self._charging["wechat"] = WeChatPayGateway(settings.wechat)
                self._jsapi = WeChatJsapiGateway(settings.wechat)
                self._named[self._jsapi.name] = self._jsapi
            if settings.alipay:
                self._charging["alipay"] = AlipayGateway(settings.alipay)
            self._named.update({g.name: g for g in self._charging.values()})

    def for_provider(self, provider: str) -> Gateway | None:
        return self._charging.get(provider)

    def jsapi(self) -> JsapiGateway | None:
        """Who takes mini-program payments (WeChat Pay JSAPI); None: not configured."""
        return self._jsapi

    def named(self, name: str) -> Gateway:
        return self._named[name]
