"""WeChat for the mini-program's customers: log-in (code2session turns wx.login's code into the
customer's openid) and the phone number the customer agreed to share (getPhoneNumber's code).

The sandbox (default) stands in for WeChat: a log-in code "<user>.<n>" (any n) is the customer
<user>, a phone code "phone-<mobile number>" shares that number. The live adapter calls WeChat's
servers with the mini-program's AppID and AppSecret, which only the mall holds:

    POS_MALL_MP_WECHAT         sandbox (default) | live
    POS_MALL_MP_APPID          the mini-program's AppID
    POS_MALL_MP_SECRET_FILE    a file holding its AppSecret (never in source, never logged)

Live calls (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/): GET
/sns/jscode2session?appid&secret&js_code&grant_type=authorization_code → {openid, session_key}
or {errcode, errmsg}; POST /cgi-bin/stable_token {grant_type, appid, secret} → access_token;
POST /wxa/business/getuserphonenumber?access_token=… {"code"} → phone_info.purePhoneNumber.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests

from mall.errors import MallError

API_BASE = "https://api.weixin.qq.com"
LOGIN_CODE = re.compile(r"^([0-9A-Za-z_-]{1,40})\.[0-9]{1,12}$")
PHONE_CODE = re.compile(r"^phone-(1[3-9][0-9]{9})$")
TOKEN_MARGIN_S = 300  # renew WeChat's access token this long before it ends
SECRET_IN_URL = re.compile(r"(secret=)[^&\s\"']+")


class RedactSecrets(logging.Filter):
    """Takes the AppSecret out of log lines that quote a request URL (urllib3 logs every URL at
    DEBUG, and code2session carries the secret in its query, as WeChat documents it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "secret=" in text:
            record.msg, record.args = SECRET_IN_URL.sub(r"\1***", text), ()
        return True


REDACT_SECRETS = RedactSecrets()


class WeChatRefused(MallError):
    """WeChat did not accept the code (used, expired, forged): the customer tries again."""

    def __init__(self, message: str) -> None:
        super().__init__(401, "wechat_refused", message)


class WeChatUnreachable(MallError):
    def __init__(self) -> None:
        super().__init__(503, "wechat_unreachable", "微信服务暂时无法连接，请稍后再试")


class WeChatAccount(Protocol):
    """Calls block on the network (with timeouts); never made inside a database transaction."""

    def openid(self, login_code: str) -> str: ...

    def phone_number(self, phone_code: str) -> str: ...


class SandboxWeChat:
    """WeChat as tests and demos see it: any well-formed code works, nothing leaves the mall."""

    def openid(self, login_code: str) -> str:
        found = LOGIN_CODE.match(login_code)
        if found is None:
            raise WeChatRefused("微信登录失败，请重新进入小程序")
        return "sandbox-" + hashlib.sha256(found.group(1).encode()).hexdigest()[:24]

    def phone_number(self, phone_code: str) -> str:
        found = PHONE_CODE.match(phone_code)
        if found is None:
            raise WeChatRefused("获取手机号失败，请重新授权")
        return found.group(1)


@dataclass
class LiveWeChat:
    """The mini-program's account at WeChat. Thread-safe; the access token is shared."""

    appid: str
    secret: str = field(repr=False)
    base_url: str = API_BASE
    timeout_s: tuple[float, float] = (5.0, 10.0)
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    _token: tuple[str, float] = field(default=("", 0.0), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        for name in ("urllib3.connectionpool", "requests"):
            logger = logging.getLogger(name)
            if REDACT_SECRETS not in logger.filters:
                logger.addFilter(REDACT_SECRETS)

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.session.request(
                method, f"{self.base_url}{path}", timeout=self.timeout_s, **kwargs
            )
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            raise WeChatUnreachable() from error
        if not isinstance(body, dict):
            raise WeChatUnreachable()
        if body.get("errcode") == -1:  # 系统繁忙
            raise WeChatUnreachable()
        return body

    def openid(self, login_code: str) -> str:
        body = self._call(
            "GET",
            "/sns/jscode2session",
            params={
                "appid": self.appid,
                "secret": self.secret,
                "js_code": login_code,
                "grant_type": "authorization_code",
            },
        )
        if not body.get("openid"):
            raise WeChatRefused("微信登录失败，请重新进入小程序")
        return str(body["openid"])

    def _access_token(self) -> str:
        with self._lock:
            token, until = self._token
            if token and time.monotonic() < until:
                return token
            body = self._call(
                "POST",
                "/cgi-bin/stable_token",
                json={
                    "grant_type": "client_credential",
                    "appid": self.appid,
                    "secret": self.secret,
                },
            )
            if not body.get("access_token"):
                raise WeChatUnreachable()
            lifetime = float(body.get("expires_in", 7200)) - TOKEN_MARGIN_S
            self._token = (str(body["access_token"]), time.monotonic() + max(60.0, lifetime))
            return self._token[0]

    def phone_number(self, phone_code: str) -> str:
        body = self._call(
            "POST",
            "/wxa/business/getuserphonenumber",
            params={"access_token": self._access_token()},
            json={"code": phone_code},
        )
        phone = str((body.get("phone_info") or {}).get("purePhoneNumber", ""))
        if not phone:
            raise WeChatRefused("获取手机号失败，请重新授权")
        return phone


def wechat_from_env(env: Mapping[str, str] | None = None) -> WeChatAccount:
    """The sandbox unless POS_MALL_MP_WECHAT=live (then AppID and AppSecret file are needed)."""
    env = os.environ if env is None else env
    if env.get("POS_MALL_MP_WECHAT", "sandbox") != "live":
        return SandboxWeChat()
    secret = Path(env["POS_MALL_MP_SECRET_FILE"]).read_text(encoding="utf-8").strip()
    return LiveWeChat(appid=env["POS_MALL_MP_APPID"], secret=secret)
