"""Alipay 当面付 (face-to-face) payment codes: alipay.trade.pay with scene=bar_code, and
alipay.trade.query / .cancel / .refund, on the OpenAPI gateway with RSA2 keys.

Rules, from Alipay's open platform documentation and its official SDKs:
- Request signing (开放平台 "自行实现签名"; SDK: alipay-sdk-python-all DefaultAlipayClient /
  SignatureUtils.get_sign_content, alipay-sdk-java-all AlipaySignature.getSignContent): every
  request parameter except `sign` (sign_type included), empty values left out, sorted by name,
  joined as k=v&k=v, signed SHA256WithRSA (RSA2) with the app private key, base64.
- Synchronous answers (SDK: DefaultAlipayClient.__parse_response,
  AlipaySignature.extractSignContent): the signature covers the raw JSON text of the
  "<method>_response" object exactly as received (alipay.trade.pay → alipay_trade_pay_response),
  checked with Alipay's public key.
- Asynchronous notifications (alipay-sdk-java-all AlipaySignature.rsaCheckV1, "正常接口使用
  rsaCheckV1，sign_type 不参与签名"): leave out `sign` and `sign_type`, sort, join k=v&k=v with the
  decoded values, verify RSA2.
- Result codes of alipay.trade.pay (当面付 条码支付 系统交互流程): 10000 the request succeeded
  (the trade state must still be confirmed by query or notification), 10003 等待用户付款 (poll
  alipay.trade.query), 20000 未知异常 (query), 40004 business failure (sub_code says why);
  alipay.trade.cancel answers retry_flag=Y when it must be called again.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from mall.payments.gateway import (
    Charge,
    Outcome,
    ProviderUnreachable,
    RefundAnswer,
    ReverseAnswer,
    TradeAnswer,
)
from mall.payments.wechat import InvalidSignature

GATEWAY_URL = "https://openapi.alipay.com/gateway.do"
BEIJING = timedelta(hours=8)
UNKNOWN_SUB_CODES = {"ACQ.SYSTEM_ERROR", "ACQ.TRADE_HAS_SUCCESS"}
_TRADE_STATUS = {
    "WAIT_BUYER_PAY": Outcome.USERPAYING,
    "TRADE_SUCCESS": Outcome.PAID,
    "TRADE_FINISHED": Outcome.PAID,
    "TRADE_CLOSED": Outcome.CLOSED,
}


@dataclass(frozen=True)
class AlipayConfig:
    app_id: str
    app_private_key_pem: str = field(repr=False)
    alipay_public_key_pem: str
    gateway_url: str = GATEWAY_URL
    notify_url: str = ""
    timeout_s: tuple[float, float] = (5.0, 15.0)


def sign_content(params: Mapping[str, str], *, skip: tuple[str, ...] = ("sign",)) -> str:
    """Sorted k=v pairs joined with &, without the skipped keys and empty values."""
    return "&".join(
        f"{key}={params[key]}" for key in sorted(params) if key not in skip and params[key]
    )


def rsa2_sign(content: str, private_key_pem: str) -> str:
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey), "the app private key must be an RSA key"
    signature = key.sign(content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def rsa2_verify(content: bytes, signature_b64: str, public_key_pem: str) -> None:
    """InvalidSignature unless signature_b64 is Alipay's RSA2 signature of content."""
    key = serialization.load_pem_public_key(public_key_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey), "Alipay's public key must be an RSA key"
    try:
        key.verify(base64.b64decode(signature_b64), content, padding.PKCS1v15(), hashes.SHA256())
    except (CryptoInvalidSignature, ValueError) as error:
        raise InvalidSignature("the Alipay signature does not match") from error


def response_node(text: str, node: str) -> str:
    """The raw JSON text of `"node": {...}` in an answer, brace-matched outside strings (as the
    SDK's extractSignContent does), so it is verified byte for byte as Alipay signed it."""
    key = f'"{node}"'
    start = text.find(key)
    begin = text.find("{", start + len(key)) if start >= 0 else -1
    if begin < 0:
        raise InvalidSignature(f"the answer has no {node}")
    depth, in_string, escaped = 0, False, False
    for index in range(begin, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[begin : index + 1]
    raise InvalidSignature(f"the answer's {node} is cut off")


def verify_response(text: str, method: str, public_key_pem: str) -> dict[str, Any]:
    """The parsed <method>_response of a synchronous answer, once its signature verifies."""
    node = method.replace(".", "_") + "_response"
    raw = response_node(text, node)
    signature = json.loads(text).get("sign")
    if not signature:
        raise InvalidSignature("the answer is not signed")
    rsa2_verify(raw.encode("utf-8"), signature, public_key_pem)
    result = json.loads(raw)
    assert isinstance(result, dict)
    return result


def verify_notification(params: Mapping[str, str], config: AlipayConfig) -> dict[str, str]:
    """An asynchronous notification (form fields, already URL-decoded) checked: the RSA2
    signature over everything but sign and sign_type, and that it is addressed to our app."""
    signature = params.get("sign", "")
    content = sign_content(params, skip=("sign", "sign_type"))
    rsa2_verify(content.encode("utf-8"), signature, config.alipay_public_key_pem)
    if params.get("app_id") != config.app_id:
        raise InvalidSignature("the notification is for another app_id")
    return dict(params)


def yuan(fen: int) -> str:
    """Alipay amounts are yuan with two decimals ("12.30"), written from integer fen."""
    return f"{fen // 100}.{fen % 100:02d}"


class AlipayGateway:
    """The 当面付 adapter; calls run on the caller's thread and block on HTTPS."""

    name = "alipay"

    def __init__(self, config: AlipayConfig, session: requests.Session | None = None) -> None:
        self.config = config
        self.session = session or requests.Session()

    def signed_request(self, method: str, biz: Mapping[str, Any]) -> dict[str, str]:
        """The common parameters, biz_content and sign of one OpenAPI call."""
        now = datetime.now(UTC) + BEIJING  # Alipay's timestamp is Beijing time
        params = {
            "app_id": self.config.app_id,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": now.strftime("%Y-%m-%d %H:%M:%S"),
            "version": "1.0",
            "notify_url": self.config.notify_url,
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
        }
        params = {key: value for key, value in params.items() if value}
        params["sign"] = rsa2_sign(sign_content(params), self.config.app_private_key_pem)
        return params

    def call(self, method: str, biz: Mapping[str, Any]) -> dict[str, Any]:
        config = self.config
        try:
            response = self.session.post(
                config.gateway_url, data=self.signed_request(method, biz), timeout=config.timeout_s
            )
        except requests.RequestException as error:
            raise ProviderUnreachable(f"Alipay {method}: {type(error).__name__}") from error
        if response.status_code != 200:
            raise ProviderUnreachable(f"Alipay {method}: HTTP {response.status_code}")
        try:
            return verify_response(response.text, method, config.alipay_public_key_pem)
        except (InvalidSignature, ValueError) as error:
            raise ProviderUnreachable(f"Alipay {method} answer refused: {error}") from error

    def pay(self, charge: Charge) -> TradeAnswer:
        answer = self.call(
            "alipay.trade.pay",
            {
                "out_trade_no": charge.out_trade_no,
                "scene": "bar_code",
                "auth_code": charge.auth_code,
                "product_code": "FACE_TO_FACE_PAYMENT",
                "subject": charge.description[:256] or charge.out_trade_no,
                "total_amount": yuan(charge.amount_fen),
                "terminal_id": charge.till_id,
            },
        )
        result = pay_answer(answer)
        # 10000 only says the request went through: confirm the trade state by a query.
        return self.query(charge.out_trade_no) if result.outcome is Outcome.PAID else result

    def query(self, out_trade_no: str) -> TradeAnswer:
        return query_answer(self.call("alipay.trade.query", {"out_trade_no": out_trade_no}))

    def reverse(self, out_trade_no: str) -> ReverseAnswer:
        return cancel_answer(self.call("alipay.trade.cancel", {"out_trade_no": out_trade_no}))

    def refund(
        self, out_trade_no: str, out_refund_no: str, refund_fen: int, total_fen: int
    ) -> RefundAnswer:
        biz = {
            "out_trade_no": out_trade_no,
            "refund_amount": yuan(refund_fen),
            "out_request_no": out_refund_no,
        }
        return refund_answer(self.call("alipay.trade.refund", biz))


def _failure(answer: Mapping[str, Any]) -> tuple[str, str]:
    return str(answer.get("sub_code") or answer.get("code", "")), str(
        answer.get("sub_msg") or answer.get("msg", "")
    )


def pay_answer(answer: Mapping[str, Any]) -> TradeAnswer:
    code = str(answer.get("code", ""))
    sub_code, message = _failure(answer)
    if code == "10000":
        return TradeAnswer(Outcome.PAID, str(answer.get("trade_no", "")))
    if code == "10003":
        return TradeAnswer(Outcome.USERPAYING, str(answer.get("trade_no", "")), code, message)
    if code == "20000" or sub_code in UNKNOWN_SUB_CODES:
        return TradeAnswer(Outcome.UNKNOWN, error_code=sub_code, message=message)
    return TradeAnswer(Outcome.FAILED, error_code=sub_code, message=message)


def query_answer(answer: Mapping[str, Any]) -> TradeAnswer:
    code = str(answer.get("code", ""))
    sub_code, message = _failure(answer)
    if code == "10000":
        status = str(answer.get("trade_status", ""))
        outcome = _TRADE_STATUS.get(status, Outcome.UNKNOWN)
        return TradeAnswer(outcome, str(answer.get("trade_no", "")), status)
    outcome = Outcome.NOT_FOUND if sub_code == "ACQ.TRADE_NOT_EXIST" else Outcome.UNKNOWN
    return TradeAnswer(outcome, error_code=sub_code, message=message)


def cancel_answer(answer: Mapping[str, Any]) -> ReverseAnswer:
    sub_code, message = _failure(answer)
    if sub_code == "ACQ.TRADE_NOT_EXIST":
        return ReverseAnswer(True, "no such trade: nothing to cancel")
    done = str(answer.get("code")) == "10000" and answer.get("retry_flag") != "Y"
    return ReverseAnswer(done, str(answer.get("action", message)))


def refund_answer(answer: Mapping[str, Any]) -> RefundAnswer:
    code = str(answer.get("code", ""))
    sub_code, message = _failure(answer)
    if code == "10000":
        return RefundAnswer(Outcome.PAID, str(answer.get("trade_no", "")))
    if code == "20000" or sub_code in UNKNOWN_SUB_CODES:
        return RefundAnswer(Outcome.UNKNOWN, error_code=sub_code, message=message)
    return RefundAnswer(Outcome.FAILED, error_code=sub_code, message=message)
