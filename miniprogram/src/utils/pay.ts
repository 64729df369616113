/**
 * Paying an order or a stored-value top-up: the mall starts (or answers the already started)
 * WeChat Pay JSAPI payment, so paying twice cannot charge twice. Live keys open
 * wx.requestPayment; the mall's sandbox shows a confirmation sheet instead and confirms it
 * with the mall.
 */
import { api, ApiError, Order, PayParams, TopUp } from '../api';
import { price } from './money';

/** What the mall answers when it starts a payment. */
interface Started {
  payment_id: string;
  status: 'pending' | 'paid' | 'failed' | 'cancelled';
  params: PayParams | null;
  sandbox: boolean;
}

function confirmSandbox(amountFen: number): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: '沙箱支付',
      content: `支付 ${price(amountFen)}（测试环境，不会真实扣款）`,
      confirmText: '确认支付',
      success: (res) => resolve(res.confirm),
      fail: () => resolve(false),
    });
  });
}

function requestPayment(client: Record<string, string>): Promise<boolean> {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: client.timeStamp,
      nonceStr: client.nonceStr,
      package: client.package,
      signType: client.signType as 'RSA',
      paySign: client.paySign,
      success: () => resolve(true),
      fail: (err) => {
        if (/cancel/.test(err.errMsg)) resolve(false);
        else reject(new ApiError(0, 'payment', '支付未完成，请稍后重新支付'));
      },
    });
  });
}

/** Pay a started payment of amountFen; answers `now`, or what the mall says after paying. */
async function pay<T>(
  started: Started,
  amountFen: number,
  now: T,
  confirmed: (paymentId: string) => Promise<T>,
  reread: () => Promise<T>,
): Promise<T> {
  if (started.status !== 'pending' || !started.params) return now;
  if (started.sandbox) {
    if (!(await confirmSandbox(amountFen))) return now;
    return confirmed(started.payment_id);
  }
  await requestPayment(started.params.client);
  return reread();
}

/** Pay the order; answers the order as the mall sees it afterwards (paid, or still unpaid). */
export async function payOrder(orderId: string): Promise<Order> {
  const answer = await api.pay(orderId);
  return pay(answer, answer.order.total_fen, answer.order, api.confirmSandboxPayment, () => api.order(orderId));
}

/** Top up the member's stored value by amountFen; answers the top-up afterwards (credited once paid). */
export async function payTopUp(amountFen: number, storeId?: string): Promise<TopUp> {
  const answer = await api.topUp(amountFen, storeId);
  const id = answer.top_up.id;
  return pay(answer, amountFen, answer.top_up, api.confirmSandboxTopUp, () => api.topUpState(id));
}
