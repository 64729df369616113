/**
 * A customer shops with the mini-program's pages against the real mall on 127.0.0.1: WeChat
 * log-in (the mall's sandbox code2session), the nearest store, two products into the cart,
 * a pickup order in a slot, the sandbox payment, the order with its pickup code; then a second
 * order cancelled after payment (refunded); then membership by phone number and a coupon
 * claimed on the 优惠券 page, shown as a QR. What the pages showed is written to E2E_OUT for
 * the pytest side, which checks the mall's books.
 */
import * as fs from 'fs';
import { configure } from '../../src/api';
import { byId, dispatch, openPage, OpenedPage, PageInstance, tap, tapPart, textOf, until } from '../pages';
import { httpTransport, installWx, Phone } from '../wx';

const seen: Record<string, unknown> = {};
let phone: Phone;

beforeAll(() => {
  configure({ baseUrl: process.env.MALL_BASE_URL! });
  phone = installWx(httpTransport(), 'e2e-customer');
  phone.position = { latitude: 31.2300, longitude: 121.4730 }; // a few hundred metres from 人民路店
});

afterAll(() => fs.writeFileSync(process.env.E2E_OUT!, JSON.stringify(seen)));

async function shown(opened: OpenedPage, text: string): Promise<PageInstance> {
  await opened.ready;
  await until(() => textOf(opened.page).includes(text), `"${text}" on: ${textOf(opened.page)}`);
  return opened.page;
}

/** Add both products on the home page, then go through cart and checkout; answers the order id. */
async function buyColaAndNoodles(): Promise<string> {
  const home = await shown(openPage('home'), '康师傅红烧牛肉面');
  for (const sku of ['1001', '1003']) {
    const toasts = phone.toasts.length;
    tap(home, `add-${sku}`);
    await until(() => phone.toasts.length > toasts, 'the add toast');
    expect(phone.toasts.at(-1)).toBe('已加入购物车');
  }
  const cart = await shown(openPage('cart'), '去结算');
  expect(textOf(cart)).toContain('可口可乐 330ml');
  expect(textOf(cart)).toContain('康师傅红烧牛肉面');
  tapPart(cart, 'submit', 'van-submit-bar__button');
  await until(() => phone.navigations.at(-1) === '/pages/checkout/index', 'checkout');

  const checkout = await shown(openPage('checkout'), '提交订单');
  expect(textOf(checkout)).toContain('可口可乐 330ml × 1 ¥3.50');
  expect(textOf(checkout)).toContain('康师傅红烧牛肉面 × 1 ¥4.50');
  const before = phone.navigations.length;
  tapPart(checkout, 'submit', 'van-submit-bar__button');
  await until(() => phone.navigations.length > before, 'the order page');
  const url = phone.navigations.at(-1)!;
  expect(url).toMatch(/^\/pages\/order\/index\?id=[0-9a-f-]{36}$/);
  return url.split('id=')[1];
}

test('the customer finds the nearest store, buys two products for pickup and pays in the sandbox', async () => {
  const home = await shown(openPage('home'), '门店通便利店（人民路店）');
  expect(textOf(home)).toMatch(/营业中 门店通便利店（人民路店） 人民路 88 号 · 营业 00:00-24:00 \d+ m/);
  expect(textOf(home)).toContain('可口可乐 330ml 本店可售 5');

  const orderId = await buyColaAndNoodles();
  expect(phone.modals.at(-1)).toEqual({ title: '沙箱支付', content: '支付 ¥8.00（测试环境，不会真实扣款）' });

  const order = await shown(openPage('order', { id: orderId }), '待取货');
  const text = textOf(order);
  expect(text).toContain('到店出示取货码，收银员扫码交货');
  expect(text).toContain('合计 ¥8.00');
  const pickupCode = (order.data as { order: { pickup_code: string } }).order.pickup_code;
  expect(text).toContain(pickupCode);

  const orders = await shown(openPage('orders'), '待取货');
  expect(textOf(orders)).toContain('可口可乐 330ml×1，康师傅红烧牛肉面×1 待取货 ¥8.00');
  Object.assign(seen, { paid: { orderId, pickupCode, qr: (order.data as { qr: string }).qr, text } });
});

test('paying the same order again charges nothing more', async () => {
  const { orderId } = seen.paid as { orderId: string };
  const order = await shown(openPage('order', { id: orderId }), '待取货');
  expect(textOf(order)).not.toContain('去支付');
});

test('a second order is cancelled after payment and shows the refund', async () => {
  const orderId = await buyColaAndNoodles();
  const order = await shown(openPage('order', { id: orderId }), '待取货');
  const modals = phone.modals.length;
  tap(order, 'cancel');
  await until(() => phone.modals.length > modals, 'the cancel question');
  expect(phone.modals.at(-1)!.content).toBe('取消后货款将原路退回，确定取消吗？');
  await until(() => textOf(order).includes('已取消'), 'the cancelled order');
  expect(textOf(order)).toContain('已退款 ¥8.00');
  Object.assign(seen, { cancelled: { orderId, text: textOf(order) } });
});

test('the customer becomes a member and claims a coupon whose QR the till can scan', async () => {
  const member = await shown(openPage('member'), '微信手机号一键成为会员');
  const button = byId(member, 'bind').firstElementChild as Parameters<typeof dispatch>[0];
  dispatch(button, 'getphonenumber', { code: 'phone-13800000000', errMsg: 'getPhoneNumber:ok' });
  await until(() => textOf(member).includes('会员卡号'), 'the member card');
  (member.instance as unknown as { onHide: () => void }).onHide();

  const coupons = await shown(openPage('coupons'), '满¥10.00减¥3.00 新人满10减3 领取后 30 天内有效 领取');
  tap(coupons, 'claim-NEW3');
  await until(() => (coupons.data as { shownQr: string }).shownQr !== '', 'the coupon QR');
  expect(textOf(coupons)).toContain('新人满10减3 领取后 30 天内有效 已领取');
  Object.assign(seen, { coupon: { qr: (coupons.data as { shownQr: string }).shownQr, text: textOf(coupons) } });
});
