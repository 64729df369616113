"""Helpers for payment tests: fast sandbox timings, fresh payment codes that pick a sandbox
scenario, a stand-in provider on an adapter's own HTTP session, and waiting on a condition
with a deadline (the mall settles payments on its own thread, so tests wait for the state they
expect, never for a fixed time)."""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import requests

from mall.payments.config import PaymentSettings
from mall.payments.wechat import HMAC_SHA256, sign, to_xml
from mall.payments.wechat import verify_notification as verify_wechat_notification

T = TypeVar("T")
# Query every 0.1 s, give up after 1.5 s, the customer confirms after 0.3 s, slow answers 0.2 s.
FAST_PAYMENTS = PaymentSettings(
    query_interval_s=0.1, deadline_s=1.5, sandbox_confirm_s=0.3, sandbox_slow_s=0.2
)
_serial = itertools.count(int(time.time() * 1000) % 10**9)


def payment_code(scenario: str = "", provider: str = "wechat") -> str:
    """A new WeChat (18 digits) or Alipay (20 digits) code; scenario "01" ends in 9901 etc."""
    tail = f"99{scenario}" if scenario else "0000"
    serial = next(_serial)
    if provider == "wechat":
        return f"13{serial:012d}{tail}"
    return f"28{serial:014d}{tail}"


def eventually(probe: Callable[[], T], accept: Callable[[T], bool], timeout_s: float = 10.0) -> T:
    """probe() until accept(result) holds; AssertionError with the last result at the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = probe()
        if accept(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still {result!r} after {timeout_s} s")
        time.sleep(0.05)


Answer = Callable[[requests.PreparedRequest], bytes]


class StandInProvider(requests.adapters.BaseAdapter):
    """Plays the provider on the adapter's requests.Session: every request is handed to answer,
    which checks it and returns the body of a 200 answer."""

    def __init__(self, answer: Answer) -> None:
        super().__init__()
        self.answer = answer
        self.requests: list[requests.PreparedRequest] = []

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        assert timeout, "every provider call must have a timeout"
        self.requests.append(request)
        response = requests.Response()
        response.status_code, response.url, response.request = 200, request.url or "", request
        response._content = self.answer(request)
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def session_with(provider: StandInProvider) -> requests.Session:
    session = requests.Session()
    session.mount("https://", provider)
    return session


@dataclass
class StandInWeChat:
    """WeChat Pay with a merchant key made for the test; replies chosen per API path."""

    api_key: str
    replies: dict[str, list[dict[str, str]]]

    def answer(self, request: requests.PreparedRequest) -> bytes:
        assert isinstance(request.body, bytes)
        fields = verify_wechat_notification(request.body, self.api_key, HMAC_SHA256)
        assert fields["sign_type"] == HMAC_SHA256 and fields["mch_id"] == "1900000109"
        path = (request.url or "").removeprefix("https://api.mch.weixin.qq.com")
        reply = {"return_code": "SUCCESS", "nonce_str": secrets.token_hex(8)}
        reply |= self.replies[path].pop(0)
        return to_xml({**reply, "sign": sign(reply, self.api_key, HMAC_SHA256)})
