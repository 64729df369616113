"""WeChat Pay (v2 micropay) and Alipay (当面付) adapters: requests signed and answers verified
as the providers document, with keys generated here; a stand-in provider on the adapters' own
HTTP session checks each signature and answers signed; tampered answers and notifications are
refused."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from mall.local import LocalMall
from mall.payments.alipay import (
    AlipayConfig,
    AlipayGateway,
    rsa2_sign,
    sign_content,
    verify_notification,
    verify_response,
)
from mall.payments.config import LIVE
from mall.payments.gateway import Charge, Outcome, ProviderUnreachable
from mall.payments.wechat import (
    HMAC_SHA256,
    MD5,
    InvalidSignature,
    WeChatConfig,
    WeChatPayGateway,
    parse_xml,
    sign,
    to_xml,
)
from mall.payments.wechat import (
    verify_notification as verify_wechat_notification,
)
from mall.settings import MallSettings
from tests.mall.conftest import make_mall_db
from tests.mall.payment_support import (
    FAST_PAYMENTS,
    StandInProvider,
    StandInWeChat,
    payment_code,
    session_with,
)


def a_charge(provider: str = "wechat") -> Charge:
    return Charge("a" * 32, provider, 1234, payment_code(provider=provider), "测试", "S001", "T01")


# ---- WeChat Pay -----------------------------------------------------------------------------


def test_the_wechat_signature_matches_the_documented_example():
    """The 签名算法 page's own example: MD5 and HMAC-SHA256 of the same parameters and key."""
    params = {
        "appid": "wxd930ea5d5a258f4f",
        "mch_id": "10000100",
        "device_info": "1000",
        "body": "test",
        "nonce_str": "ibuaiVcKdpRxkhJA",
    }
    key = "192006250b4c09247ec02edce69f6a2d"
    assert sign(params, key, MD5) == "9A0A8659F005D6984697E2CA0A9CF3B7"
    assert sign(params, key, HMAC_SHA256) == (
        "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
    )
    assert sign({**params, "sign": "X", "attach": ""}, key, MD5) == sign(params, key, MD5)


def wechat(replies: dict[str, list[dict[str, str]]]) -> tuple[WeChatPayGateway, StandInProvider]:
    api_key = secrets.token_hex(16)
    provider = StandInProvider(StandInWeChat(api_key, replies).answer)
    config = WeChatConfig(appid="wx8888888888888888", mch_id="1900000109", api_key=api_key)
    return WeChatPayGateway(config, session_with(provider)), provider


def test_a_wechat_micropay_is_signed_and_a_verified_success_is_paid():
    """The micropay request carries the code and amount in fen, signed; SUCCESS is paid."""
    success = {"result_code": "SUCCESS", "transaction_id": "4200001234", "trade_type": "MICROPAY"}
    gateway, provider = wechat({"/pay/micropay": [success]})
    charge = a_charge()
    answer = gateway.pay(charge)
    assert (answer.outcome, answer.transaction_id) == (Outcome.PAID, "4200001234")
    [request] = provider.requests
    assert isinstance(request.body, bytes)
    sent = parse_xml(request.body)
    assert (sent["auth_code"], sent["total_fee"]) == (charge.auth_code, "1234")
    assert sent["out_trade_no"] == charge.out_trade_no and len(sent["nonce_str"]) == 32


@pytest.mark.parametrize(
    ("err_code", "outcome"),
    [
        ("USERPAYING", Outcome.USERPAYING),
        ("SYSTEMERROR", Outcome.UNKNOWN),
        ("BANKERROR", Outcome.UNKNOWN),
        ("NOTENOUGH", Outcome.FAILED),
        ("AUTHCODEEXPIRE", Outcome.FAILED),
    ],
)
def test_wechat_micropay_errors_mean_what_the_documentation_says(err_code: str, outcome: Outcome):
    """USERPAYING waits, SYSTEMERROR/BANKERROR are unknown (query), balance/code are failures."""
    failure = {"result_code": "FAIL", "err_code": err_code, "err_code_des": "说明"}
    gateway, _ = wechat({"/pay/micropay": [failure]})
    assert gateway.pay(a_charge()).outcome is outcome


def test_wechat_query_and_reverse_follow_trade_state_and_recall():
    """trade_state decides a query; a reverse answering recall=Y must be called again."""
    replies = {
        "/pay/orderquery": [
            {"result_code": "SUCCESS", "trade_state": "USERPAYING"},
            {"result_code": "SUCCESS", "trade_state": "SUCCESS", "transaction_id": "42"},
            {"result_code": "FAIL", "err_code": "ORDERNOTEXIST"},
        ],
        "/secapi/pay/reverse": [
            {"result_code": "FAIL", "err_code": "SYSTEMERROR", "recall": "Y"},
            {"result_code": "SUCCESS", "recall": "N"},
        ],
    }
    gateway, _ = wechat(replies)
    outcomes = [gateway.query("a" * 32).outcome for _ in range(3)]
    assert outcomes == [Outcome.USERPAYING, Outcome.PAID, Outcome.NOT_FOUND]
    assert [gateway.reverse("a" * 32).done for _ in range(2)] == [False, True]


def test_a_wechat_answer_with_a_forged_signature_is_not_trusted():
    """An answer whose sign does not match the merchant key counts as no answer at all."""

    def forged(_request: requests.PreparedRequest) -> bytes:
        reply = {"return_code": "SUCCESS", "result_code": "SUCCESS", "transaction_id": "1"}
        return to_xml({**reply, "sign": sign(reply, "not-the-merchant-key", HMAC_SHA256)})

    config = WeChatConfig(appid="wx1", mch_id="1900000109", api_key=secrets.token_hex(16))
    gateway = WeChatPayGateway(config, session_with(StandInProvider(forged)))
    with pytest.raises(ProviderUnreachable):
        gateway.pay(a_charge())


def test_a_tampered_wechat_notification_is_refused():
    """A signed notification verifies; one with a changed amount, or with a DTD, is refused."""
    key = secrets.token_hex(16)
    fields = {"return_code": "SUCCESS", "out_trade_no": "a" * 32, "total_fee": "1234"}
    body = to_xml({**fields, "sign": sign(fields, key)})
    assert verify_wechat_notification(body, key)["total_fee"] == "1234"
    with pytest.raises(InvalidSignature):
        verify_wechat_notification(body.replace(b"1234", b"1", 1), key)
    entity = b'<!DOCTYPE xml [<!ENTITY x "1234">]>' + body
    with pytest.raises(InvalidSignature):
        verify_wechat_notification(entity, key)


# ---- Alipay ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keys:
    """The app's key pair (the mall signs) and Alipay's (the stand-in signs), made here."""

    app_private: str
    app_public: str
    alipay_private: str
    alipay_public: str


def _pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public.decode()


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys(*_pem_pair(), *_pem_pair())


def alipay_config(keys: Keys) -> AlipayConfig:
    return AlipayConfig(
        app_id="2021000000000001",
        app_private_key_pem=keys.app_private,
        alipay_public_key_pem=keys.alipay_public,
    )


def signed_answer(method: str, node: str, keys: Keys) -> bytes:
    """An Alipay answer: the raw node text signed as it stands, then the sign beside it."""
    signature = rsa2_sign(node, keys.alipay_private)
    name = method.replace(".", "_") + "_response"
    return f'{{"{name}":{node},"sign":"{signature}"}}'.encode()


def rsa2_ok(content: str, signature: str, public_pem: str) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        key.verify(
            base64.b64decode(signature), content.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except Exception:
        return False
    return True


def test_an_alipay_request_is_signed_over_every_parameter_but_sign(keys: Keys):
    """sign_type takes part, sign does not, keys are sorted; RSA2 with the app's private key."""
    gateway = AlipayGateway(alipay_config(keys))
    params = gateway.signed_request(
        "alipay.trade.pay", {"scene": "bar_code", "total_amount": "12.34"}
    )
    content = sign_content(params)
    assert content.startswith("app_id=2021000000000001&biz_content=")
    assert "&sign_type=RSA2&" in content and "sign=" not in content.replace("sign_type=", "")
    assert rsa2_ok(content, params["sign"], keys.app_public)
    assert json.loads(params["biz_content"]) == {"scene": "bar_code", "total_amount": "12.34"}


def test_an_alipay_answer_is_verified_over_its_raw_response_text(keys: Keys):
    """The signature covers the response node byte for byte (braces and quotes inside strings
    included); a changed code breaks it."""
    node = '{"code":"10000","msg":"Success","note":"a \\"quoted\\" {brace}","trade_no":"2088"}'
    text = signed_answer("alipay.trade.pay", node, keys).decode()
    assert verify_response(text, "alipay.trade.pay", keys.alipay_public)["trade_no"] == "2088"
    with pytest.raises(InvalidSignature):
        verify_response(text.replace("10000", "10003"), "alipay.trade.pay", keys.alipay_public)
    with pytest.raises(InvalidSignature):
        verify_response(text, "alipay.trade.pay", keys.app_public)  # not Alipay's key


@dataclass
class StandInAlipay:
    """Alipay's gateway: checks the app's RSA2 signature, answers signed with Alipay's key."""

    keys: Keys
    replies: dict[str, list[dict[str, str]]]

    def answer(self, request: requests.PreparedRequest) -> bytes:
        assert isinstance(request.body, str)
        params = dict(parse_qsl(request.body))
        assert rsa2_ok(sign_content(params), params["sign"], self.keys.app_public)
        method = params["method"]
        reply = {"msg": "Success", **self.replies[method].pop(0)}
        return signed_answer(method, json.dumps(reply, separators=(",", ":")), self.keys)


def alipay(keys: Keys, replies: dict[str, list[dict[str, str]]]) -> AlipayGateway:
    provider = StandInProvider(StandInAlipay(keys, replies).answer)
    return AlipayGateway(alipay_config(keys), session_with(provider))


def test_an_alipay_code_the_customer_must_confirm_is_polled_until_paid(keys: Keys):
    """10003 等待用户付款 → USERPAYING; alipay.trade.query WAIT_BUYER_PAY, then TRADE_SUCCESS."""
    gateway = alipay(
        keys,
        {
            "alipay.trade.pay": [{"code": "10003", "trade_no": "2088"}],
            "alipay.trade.query": [
                {"code": "10000", "trade_status": "WAIT_BUYER_PAY"},
                {"code": "10000", "trade_status": "TRADE_SUCCESS", "trade_no": "2088"},
            ],
        },
    )
    assert gateway.pay(a_charge("alipay")).outcome is Outcome.USERPAYING
    assert [gateway.query("a" * 32).outcome for _ in range(2)] == [Outcome.USERPAYING, Outcome.PAID]


def test_an_alipay_success_is_confirmed_by_a_query_and_failures_say_why(keys: Keys):
    """10000 is confirmed with alipay.trade.query; 40004 fails with its sub_code; cancel with
    retry_flag=Y must be called again."""
    gateway = alipay(
        keys,
        {
            "alipay.trade.pay": [
                {"code": "10000", "trade_no": "2088"},
                {
                    "code": "40004",
                    "sub_code": "ACQ.BUYER_BALANCE_NOT_ENOUGH",
                    "sub_msg": "余额不足",
                },
                {"code": "20000", "sub_code": "aop.unknow-error"},
            ],
            "alipay.trade.query": [{"code": "10000", "trade_status": "TRADE_SUCCESS"}],
            "alipay.trade.cancel": [{"code": "10000", "retry_flag": "Y"}, {"code": "10000"}],
        },
    )
    assert gateway.pay(a_charge("alipay")).outcome is Outcome.PAID
    failed = gateway.pay(a_charge("alipay"))
    assert (failed.outcome, failed.error_code) == (Outcome.FAILED, "ACQ.BUYER_BALANCE_NOT_ENOUGH")
    assert gateway.pay(a_charge("alipay")).outcome is Outcome.UNKNOWN
    assert [gateway.reverse("a" * 32).done for _ in range(2)] == [False, True]


def notification(keys: Keys, **changes: str) -> dict[str, str]:
    """An asynchronous notification signed by "Alipay" without sign and sign_type."""
    fields = {
        "notify_type": "trade_status_sync",
        "app_id": "2021000000000001",
        "out_trade_no": "b" * 32,
        "trade_status": "TRADE_SUCCESS",
        "total_amount": "12.34",
        "charset": "utf-8",
    }
    fields["sign"] = rsa2_sign(sign_content(fields), keys.alipay_private)
    fields["sign_type"] = "RSA2"
    return {**fields, **changes}


def test_a_tampered_alipay_notification_is_refused(keys: Keys):
    """The signed notification verifies; a changed amount or another app_id is refused."""
    config = alipay_config(keys)
    assert verify_notification(notification(keys), config)["trade_status"] == "TRADE_SUCCESS"
    with pytest.raises(InvalidSignature):
        verify_notification(notification(keys, total_amount="0.01"), config)
    with pytest.raises(InvalidSignature):
        verify_notification(notification(keys), replace(config, app_id="2021000000000002"))


@pytest.fixture
def live_mall(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Iterator[LocalMall]:
    """A mall in live mode with the Alipay keys (its gateway is never called here)."""
    db = make_mall_db(tmp_path_factory.mktemp("live") / "mall.db")
    payments = replace(FAST_PAYMENTS, mode=LIVE, alipay=alipay_config(keys))
    server = LocalMall(replace(MallSettings(database_url=db.url), payments=payments)).start()
    yield server
    server.stop()
    db.dispose()


def test_the_mall_answers_alipay_notifications_only_when_they_verify(
    live_mall: LocalMall, keys: Keys
):
    """Over HTTP: a verified notification gets "success", a tampered one "fail"."""
    url = f"{live_mall.base_url}/api/v1/payments/notify/alipay"
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

    def post(fields: dict[str, str]) -> str:
        response = requests.post(url, data=urlencode(fields), headers=headers, timeout=10)
        response.raise_for_status()
        return response.text

    assert post(notification(keys)) == "success"
    assert post(notification(keys, trade_status="TRADE_CLOSED")) == "fail"
