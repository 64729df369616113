"""WeChat Pay JSAPI (小程序支付) over the v2 API: the mall opens the trade (统一下单, trade_type
JSAPI with the customer's openid) and hands the phone the signed fields for wx.requestPayment;
the customer pays on WeChat's own sheet. Query and refund are those of the micropay adapter; an
unpaid trade is closed with 关闭订单 (/pay/closeorder), never reversed (reverse is micropay's).

From WeChat Pay's v2 documentation (小程序支付 → 统一下单 / 再次签名 / 关闭订单): the client
signs appId, timeStamp, nonceStr, package ("prepay_id=…") and signType with the API key, the same
algorithm as every v2 request; ORDERPAID from closeorder means the customer paid meanwhile.
"""

from __future__ import annotations

import secrets
import time

from mall.payments.gateway import JsapiCharge, Prepay, ProviderUnreachable, ReverseAnswer
from mall.payments.wechat import WeChatPayGateway, sign


class WeChatJsapiGateway(WeChatPayGateway):
    name = "wechat_jsapi"  # notifications: POST /api/v1/payments/notify/wechat (notify_url)

    def prepay(self, charge: JsapiCharge) -> Prepay:
        fields = self._post(
            "/pay/unifiedorder",
            {
                "body": charge.description[:128],
                "out_trade_no": charge.out_trade_no,
                "total_fee": charge.amount_fen,
                "spbill_create_ip": self.config.client_ip,
                "notify_url": self.config.notify_url,
                "trade_type": "JSAPI",
                "openid": charge.openid,
            },
        )
        prepay_id = fields.get("prepay_id", "")
        if fields.get("result_code") != "SUCCESS" or not prepay_id:
            raise ProviderUnreachable(f"unifiedorder: {fields.get('err_code', 'no prepay_id')}")
        return Prepay(prepay_id, self.client_params(prepay_id))

    def client_params(self, prepay_id: str) -> dict[str, str]:
        """The fields wx.requestPayment takes, signed for the mini-program."""
        client = {
            "appId": self.config.appid,
            "timeStamp": str(int(time.time())),
            "nonceStr": secrets.token_hex(16),
            "package": f"prepay_id={prepay_id}",
            "signType": self.config.sign_type,
        }
        client["paySign"] = sign(client, self.config.api_key, self.config.sign_type)
        return client

    def reverse(self, out_trade_no: str) -> ReverseAnswer:
        fields = self._post("/pay/closeorder", {"out_trade_no": out_trade_no})
        if fields.get("return_code") != "SUCCESS":
            return ReverseAnswer(False, fields.get("return_msg", ""))
        if fields.get("result_code") == "SUCCESS" or fields.get("err_code") == "ORDERCLOSED":
            return ReverseAnswer(True, "closed")
        return ReverseAnswer(
            False, f"{fields.get('err_code', '')}: {fields.get('err_code_des', '')}"
        )
