"""WeChat Pay 付款码支付 (micropay) over the v2 API: XML bodies signed with the merchant API key.

Rules, from WeChat Pay's v2 documentation:
- 安全规范 / 签名算法 (https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=4_3): sort the
  non-empty parameters by name (ASCII), join as key1=value1&key2=value2, append &key=<API key>;
  MD5 → upper-case hex, or HMAC-SHA256 keyed with the API key → upper-case hex. `sign` itself
  never takes part; when verifying an answer or a notification every field received (including
  ones added later) takes part.
- 提交付款码支付 (https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=9_10&index=1; the
  same text at https://pay.weixin.qq.com/doc/global/v2/zh/4013634893): POST /pay/micropay;
  "SYSTEMERROR" → query the order (查询订单 /pay/orderquery); "USERPAYING" → query again every
  few seconds until paid or timed out (30 s suggested); still unclear → reverse (撤销订单
  /secapi/pay/reverse, needs the merchant certificate) and call reverse again while it fails.
- Which errors are definite failures follows Tencent's micropay SDK demo (ScanPayBusiness):
  AUTHCODEEXPIRE, AUTH_CODE_INVALID and NOTENOUGH; every other error is "unknown" and is
  queried; a reverse answering recall=Y must be called again.
- 申请退款 (same v2 documentation, 付款码支付 API list): POST /secapi/pay/refund with
  out_refund_no (the same number retried never refunds twice); needs the certificate too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from mall.payments.gateway import (
    Charge,
    Outcome,
    ProviderUnreachable,
    RefundAnswer,
    ReverseAnswer,
    TradeAnswer,
)

API_BASE = "https://api.mch.weixin.qq.com"
MD5, HMAC_SHA256 = "MD5", "HMAC-SHA256"
DEFINITE_FAILURES = {"AUTHCODEEXPIRE", "AUTH_CODE_INVALID", "NOTENOUGH"}
RETRY_REFUND = {"SYSTEMERROR", "BIZERR_NEED_RETRY"}
_TRADE_STATES = {  # 查询订单 trade_state
    "SUCCESS": Outcome.PAID,
    "REFUND": Outcome.PAID,  # paid, then (partly) refunded
    "USERPAYING": Outcome.USERPAYING,
    "NOTPAY": Outcome.UNKNOWN,
    "PAYERROR": Outcome.FAILED,
    "CLOSED": Outcome.CLOSED,
    "REVOKED": Outcome.CLOSED,
}


class InvalidSignature(ValueError):
    """A message whose signature does not verify (tampered, or not from WeChat Pay)."""


@dataclass(frozen=True)
class WeChatConfig:
    appid: str
    mch_id: str
    api_key: str = field(repr=False)
    sign_type: str = HMAC_SHA256
    cert_path: str | None = None  # merchant API certificate (PEM) for reverse and refund
    key_path: str | None = None
    client_ip: str = "127.0.0.1"  # spbill_create_ip: the machine calling the API
    notify_url: str = ""  # where WeChat Pay posts JSAPI payment notifications
    base_url: str = API_BASE
    timeout_s: tuple[float, float] = (5.0, 15.0)


def sign(params: Mapping[str, Any], api_key: str, sign_type: str = MD5) -> str:
    """The v2 signature of params (sign itself and empty values left out)."""
    string_a = "&".join(
        f"{key}={params[key]}"
        for key in sorted(params)
        if key != "sign" and params[key] not in (None, "")
    )
    sign_temp = f"{string_a}&key={api_key}".encode()
    if sign_type == HMAC_SHA256:
        return hmac.new(api_key.encode(), sign_temp, hashlib.sha256).hexdigest().upper()
    if sign_type == MD5:
        return hashlib.md5(sign_temp).hexdigest().upper()
    raise ValueError(f"unknown sign_type {sign_type!r}")


def to_xml(params: Mapping[str, Any]) -> bytes:
    parts = []
    for key, value in params.items():
        if value in (None, ""):
            continue
        text = str(value).replace("]]>", "]]]]><![CDATA[>")
        parts.append(f"<{key}><![CDATA[{text}]]></{key}>")
    return ("<xml>" + "".join(parts) + "</xml>").encode()


def parse_xml(body: bytes) -> dict[str, str]:
    """The fields of a flat <xml> message. Documents with a DTD are refused outright (WeChat Pay's
    XXE advisory: never let the parser expand entities)."""
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise InvalidSignature("XML with a DTD is refused")
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise InvalidSignature(f"not XML: {error}") from error
    return {child.tag: (child.text or "") for child in root}


def verify(fields: Mapping[str, str], api_key: str, sign_type: str = MD5) -> dict[str, str]:
    """The fields if their `sign` is right, else InvalidSignature (constant-time compare)."""
    expected = sign(fields, api_key, sign_type)
    if not hmac.compare_digest(expected, fields.get("sign", "")):
        raise InvalidSignature("the WeChat Pay signature does not match")
    return dict(fields)


def verify_notification(body: bytes, api_key: str, sign_type: str = MD5) -> dict[str, str]:
    """A v2 notification (XML POST from WeChat Pay) checked and parsed; tampered → refused."""
    return verify(parse_xml(body), api_key, sign_type)


class WeChatPayGateway:
    """The micropay adapter; calls run on the caller's thread and block on HTTPS."""

    name = "wechat"

    def __init__(self, config: WeChatConfig, session: requests.Session | None = None) -> None:
        self.config = config
        self.session = session or requests.Session()

    # -- plumbing ----------------------------------------------------------------------------

    def signed_request(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """params with appid, mch_id, nonce_str, sign_type and sign added."""
        config = self.config
        body: dict[str, Any] = {
            "appid": config.appid,
            "mch_id": config.mch_id,
            "nonce_str": secrets.token_hex(16),
            **params,
        }
        if config.sign_type != MD5:
            body["sign_type"] = config.sign_type
        body["sign"] = sign(body, config.api_key, config.sign_type)
        return body

    def read_answer(self, body: bytes) -> dict[str, str]:
        """An answer's fields; a signed answer must verify (else the provider is "unreachable":
        we cannot trust what it says, so the payment is queried again)."""
        try:
            fields = parse_xml(body)
            if fields.get("return_code") == "SUCCESS":
                verify(fields, self.config.api_key, self.config.sign_type)
        except InvalidSignature as error:
            raise ProviderUnreachable(f"WeChat Pay answer refused: {error}") from error
        return fields

    def _client_cert(self) -> str | tuple[str, str] | None:
        """The merchant API certificate (双向证书) that reverse and refund need."""
        config = self.config
        if config.cert_path and config.key_path:
            return config.cert_path, config.key_path
        return config.cert_path

    def _post(self, path: str, params: Mapping[str, Any], *, cert: bool = False) -> dict[str, str]:
        config = self.config
        try:
            response = self.session.post(
                f"{config.base_url}{path}",
                data=to_xml(self.signed_request(params)),
                headers={"Content-Type": "text/xml; charset=utf-8"},
                timeout=config.timeout_s,
                cert=self._client_cert() if cert else None,
            )
        except requests.RequestException as error:
            raise ProviderUnreachable(f"WeChat Pay {path}: {type(error).__name__}") from error
        if response.status_code != 200:
            raise ProviderUnreachable(f"WeChat Pay {path}: HTTP {response.status_code}")
        return self.read_answer(response.content)

    # -- the gateway -------------------------------------------------------------------------

    def pay(self, charge: Charge) -> TradeAnswer:
        fields = self._post(
            "/pay/micropay",
            {
                "body": charge.description[:128],
                "out_trade_no": charge.out_trade_no,
                "total_fee": charge.amount_fen,
                "spbill_create_ip": self.config.client_ip,
                "device_info": charge.till_id,
                "auth_code": charge.auth_code,
            },
        )
        return pay_answer(fields)

    def query(self, out_trade_no: str) -> TradeAnswer:
        return query_answer(self._post("/pay/orderquery", {"out_trade_no": out_trade_no}))

    def reverse(self, out_trade_no: str) -> ReverseAnswer:
        fields = self._post("/secapi/pay/reverse", {"out_trade_no": out_trade_no}, cert=True)
        return reverse_answer(fields)

    def refund(
        self, out_trade_no: str, out_refund_no: str, refund_fen: int, total_fen: int
    ) -> RefundAnswer:
        params = {
            "out_trade_no": out_trade_no,
            "out_refund_no": out_refund_no,
            "total_fee": total_fen,
            "refund_fee": refund_fen,
        }
        return refund_answer(self._post("/secapi/pay/refund", params, cert=True))


def _error(fields: Mapping[str, str]) -> tuple[str, str]:
    if fields.get("return_code") != "SUCCESS":
        return "RETURN_FAIL", fields.get("return_msg", "")
    return fields.get("err_code", ""), fields.get("err_code_des", "")


def pay_answer(fields: Mapping[str, str]) -> TradeAnswer:
    """提交付款码支付: SUCCESS is paid; USERPAYING waits for the password; the demo's three codes
    (and a FAIL return_code: the request itself was refused) are failures; the rest is unknown."""
    code, message = _error(fields)
    if fields.get("return_code") == "SUCCESS" and fields.get("result_code") == "SUCCESS":
        return TradeAnswer(Outcome.PAID, fields.get("transaction_id", ""))
    if code == "USERPAYING":
        return TradeAnswer(Outcome.USERPAYING, error_code=code, message=message)
    if code in DEFINITE_FAILURES or code == "RETURN_FAIL":
        return TradeAnswer(Outcome.FAILED, error_code=code, message=message)
    return TradeAnswer(Outcome.UNKNOWN, error_code=code, message=message)


def query_answer(fields: Mapping[str, str]) -> TradeAnswer:
    """查询订单: trade_state decides; ORDERNOTEXIST means WeChat Pay has no such trade."""
    code, message = _error(fields)
    if fields.get("return_code") == "SUCCESS" and fields.get("result_code") == "SUCCESS":
        state = fields.get("trade_state", "")
        outcome = _TRADE_STATES.get(state, Outcome.UNKNOWN)
        return TradeAnswer(
            outcome, fields.get("transaction_id", ""), state, fields.get("trade_state_desc", "")
        )
    outcome = Outcome.NOT_FOUND if code == "ORDERNOTEXIST" else Outcome.UNKNOWN
    return TradeAnswer(outcome, error_code=code, message=message)


def reverse_answer(fields: Mapping[str, str]) -> ReverseAnswer:
    """撤销订单: SUCCESS is done; a failure with recall=Y must be retried, recall=N is final."""
    code, message = _error(fields)
    if fields.get("return_code") != "SUCCESS":
        return ReverseAnswer(False, message)
    if fields.get("result_code") == "SUCCESS":
        return ReverseAnswer(True, "reversed")
    return ReverseAnswer(fields.get("recall") != "Y", f"{code}: {message}")


def refund_answer(fields: Mapping[str, str]) -> RefundAnswer:
    code, message = _error(fields)
    if fields.get("return_code") == "SUCCESS" and fields.get("result_code") == "SUCCESS":
        return RefundAnswer(Outcome.PAID, fields.get("refund_id", ""))
    outcome = Outcome.UNKNOWN if code in RETRY_REFUND or code == "RETURN_FAIL" else Outcome.FAILED
    return RefundAnswer(outcome, error_code=code, message=message)
