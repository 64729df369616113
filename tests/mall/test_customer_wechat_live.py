"""The live WeChat adapters behind configuration: the mini-program's log-in (code2session) and
phone number, against a stand-in WeChat on 127.0.0.1 (the AppSecret never reaches a log line),
and WeChat Pay JSAPI (统一下单 signed, wx.requestPayment's fields signed, 关闭订单)."""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from mall.customer.wechat import LiveWeChat, WeChatRefused, WeChatUnreachable, wechat_from_env
from mall.local import LocalMall
from mall.payments.config import LIVE
from mall.payments.gateway import JsapiCharge
from mall.payments.wechat import HMAC_SHA256, WeChatConfig, parse_xml, sign, to_xml
from mall.payments.wechat_jsapi import WeChatJsapiGateway
from mall.settings import MallSettings
from tests.mall.conftest import make_mall_db
from tests.mall.payment_support import (
    FAST_PAYMENTS,
    StandInProvider,
    StandInWeChat,
    session_with,
)

APPID, SECRET = "wx1234567890abcdef", "s3cr3t" + secrets.token_hex(12)


class StandInWeChatServer(BaseHTTPRequestHandler):
    """api.weixin.qq.com as the mini-program's log-in sees it."""

    calls: ClassVar[list[str]] = []

    def _answer(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.calls.append(url.path)
        if url.path == "/sns/jscode2session" and query.get("secret") == SECRET:
            if query["js_code"] == "good":
                self._answer({"openid": "o-alice", "session_key": "k"})
            else:
                self._answer({"errcode": 40029, "errmsg": "invalid code"})
        else:
            self._answer({"errcode": -1, "errmsg": "system busy"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append(url.path)
        if url.path == "/cgi-bin/stable_token" and body["secret"] == SECRET:
            self._answer({"access_token": "T1", "expires_in": 7200})
        elif url.path == "/wxa/business/getuserphonenumber" and "access_token=T1" in url.query:
            self._answer({"errcode": 0, "phone_info": {"purePhoneNumber": "13800138000"}})
        else:
            self._answer({"errcode": 40001, "errmsg": "invalid credential"})

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def wechat_site() -> Iterator[str]:
    StandInWeChatServer.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInWeChatServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_live_log_in_and_phone_number_keep_the_app_secret_out_of_the_logs(
    wechat_site: str, caplog: pytest.LogCaptureFixture
):
    """code2session answers the openid, a bad code is refused in Chinese, the phone number
    comes with one access token for two calls; with DEBUG logging the secret is never logged."""
    caplog.set_level(logging.DEBUG)
    account = LiveWeChat(appid=APPID, secret=SECRET, base_url=wechat_site)
    assert account.openid("good") == "o-alice"
    with pytest.raises(WeChatRefused, match="微信登录失败"):
        account.openid("used")
    assert account.phone_number("p1") == account.phone_number("p2") == "13800138000"
    assert StandInWeChatServer.calls.count("/cgi-bin/stable_token") == 1
    assert "jscode2session" in caplog.text and "secret=***" in caplog.text
    assert SECRET not in caplog.text and SECRET not in repr(account)


def test_a_silent_wechat_is_unreachable_not_a_refusal():
    """Nothing listening: the customer is told WeChat cannot be reached (503), not a bad code."""
    account = LiveWeChat(
        appid=APPID, secret=SECRET, base_url="http://127.0.0.1:9", timeout_s=(1, 1)
    )
    with pytest.raises(WeChatUnreachable) as caught:
        account.openid("good")
    assert caught.value.status_code == 503


def test_the_live_adapter_is_chosen_only_by_configuration(tmp_path):
    """Sandbox unless POS_MALL_MP_WECHAT=live; the secret is read from the named file."""
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    assert type(wechat_from_env({})).__name__ == "SandboxWeChat"
    live = wechat_from_env(
        {
            "POS_MALL_MP_WECHAT": "live",
            "POS_MALL_MP_APPID": APPID,
            "POS_MALL_MP_SECRET_FILE": str(secret_file),
        }
    )
    assert isinstance(live, LiveWeChat) and live.secret == SECRET


def test_a_jsapi_prepay_is_signed_and_the_phone_gets_signed_payment_fields():
    """统一下单 with trade_type JSAPI and the openid, signed; paySign verifies with the API key;
    关闭订单 of a paid trade is not done (ORDERPAID), of an unpaid one it is."""
    api_key = secrets.token_hex(16)
    replies = {
        "/pay/unifiedorder": [{"result_code": "SUCCESS", "prepay_id": "wx201410272009395522"}],
        "/pay/closeorder": [
            {"result_code": "FAIL", "err_code": "ORDERPAID", "err_code_des": "订单已支付"},
            {"result_code": "SUCCESS"},
        ],
    }
    provider = StandInProvider(StandInWeChat(api_key, replies).answer)
    config = WeChatConfig(
        appid=APPID,
        mch_id="1900000109",
        api_key=api_key,
        sign_type=HMAC_SHA256,
        notify_url="https://mall.example.cn/api/v1/payments/notify/wechat",
    )
    gateway = WeChatJsapiGateway(config, session_with(provider))
    prepay = gateway.prepay(JsapiCharge("b" * 32, 800, "门店通商城订单", "o-alice", "S001"))
    sent = provider.requests[0].body
    assert isinstance(sent, bytes)
    assert b"<trade_type><![CDATA[JSAPI]]>" in sent and b"<openid><![CDATA[o-alice]]>" in sent
    client = prepay.client
    assert client["package"] == "prepay_id=wx201410272009395522" and client["appId"] == APPID
    assert client["paySign"] == sign(
        {k: v for k, v in client.items() if k != "paySign"}, api_key, HMAC_SHA256
    )
    assert not gateway.reverse("b" * 32).done
    assert gateway.reverse("b" * 32).done


def test_the_mall_answers_wechat_pay_notifications_only_when_they_verify(tmp_path):
    """Over HTTP: a notification signed with the merchant key gets SUCCESS, a tampered one FAIL
    (the payment itself is then settled by querying WeChat Pay, never by the notification)."""
    api_key = secrets.token_hex(16)
    db = make_mall_db(tmp_path / "mall.db")
    wechat = WeChatConfig(appid=APPID, mch_id="1900000109", api_key=api_key, sign_type=HMAC_SHA256)
    payments = replace(FAST_PAYMENTS, mode=LIVE, wechat=wechat)
    server = LocalMall(replace(MallSettings(database_url=db.url), payments=payments)).start()
    try:
        fields = {"return_code": "SUCCESS", "out_trade_no": "c" * 32, "total_fee": "800"}
        signed = {**fields, "sign": sign(fields, api_key, HMAC_SHA256)}
        url = f"{server.base_url}/api/v1/payments/notify/wechat"
        good = requests.post(url, data=to_xml(signed), timeout=10)
        bad = requests.post(url, data=to_xml({**signed, "total_fee": "1"}), timeout=10)
        assert parse_xml(good.content)["return_code"] == "SUCCESS"
        assert parse_xml(bad.content)["return_code"] == "FAIL"
    finally:
        server.stop()
        db.dispose()
