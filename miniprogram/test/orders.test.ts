/** 购物车, 确认订单, 订单列表, 订单详情: from the cart to a paid pickup order and its code. */
import { configure } from '../src/api';
import { byId, openPage, tap, tapPart, textOf, until } from './pages';
import { STORE, ok, order, refused, scriptedMall } from './scripted';
import { installWx } from './wx';

const LINE = { sku: '1001', name: '可口可乐 330ml', unit: '瓶', qty: 2, unit_price_fen: 350, line_fen: 700, available: 5, problem: '' };
const cart = (lines: object[], canOrder = true) =>
  ok({ store_id: 'S001', lines, count: lines.length, total_fen: 700, can_order: canOrder });
const SLOTS = [
  { start: '2026-12-07T18:00:00+08:00', end: '2026-12-07T18:30:00+08:00', label: '今天 18:00-18:30' },
  { start: '2026-12-07T18:30:00+08:00', end: '2026-12-07T19:00:00+08:00', label: '今天 18:30-19:00' },
];

beforeEach(() => configure({ baseUrl: 'http://mall.test' }));

test('the cart shows its lines and total; the stepper changes a quantity at the mall', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /cart': cart([LINE]),
      'PUT /cart/items': ok({ store_id: 'S001', lines: [{ ...LINE, qty: 3, line_fen: 1050 }], count: 3, total_fen: 1050, can_order: true }),
    }),
  );
  phone.storage.set('store', STORE);
  const { page, ready } = openPage('cart');
  await ready;
  expect(textOf(page)).toContain('门店通便利店（人民路店） · 到店自提');
  expect(textOf(page)).toContain('可口可乐 330ml 小计 ¥7.00');
  expect(textOf(page)).toContain('去结算（1）');
  tapPart(page, 'qty-1001', 'van-stepper__plus');
  await until(() => textOf(page).includes('小计 ¥10.50'), 'the new quantity');
  expect(phone.requests.find((r) => r.method === 'PUT')!.data).toEqual({ store_id: 'S001', sku: '1001', qty: 3 });
  tapPart(page, 'submit', 'van-submit-bar__button');
  await until(() => phone.navigations.includes('/pages/checkout/index'), 'checkout');
});

test('a line the store cannot supply says why and stops checkout; an empty cart says so', async () => {
  let phone = installWx(scriptedMall({ 'GET /cart': cart([{ ...LINE, available: 1, problem: '库存不足，本店仅剩 1 件' }], false) }));
  phone.storage.set('store', STORE);
  let { page, ready } = openPage('cart');
  await ready;
  expect(textOf(page)).toContain('库存不足，本店仅剩 1 件');
  expect(textOf(page)).toContain('有商品库存不足或已下架，请调整后结算');
  tapPart(page, 'submit', 'van-submit-bar__button');
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(phone.navigations).toEqual([]);

  phone = installWx(scriptedMall({ 'GET /cart': cart([]) }));
  phone.storage.set('store', STORE);
  ({ page, ready } = openPage('cart'));
  await ready;
  expect(textOf(page)).toContain('购物车是空的');
});

test('checkout places the pickup order in the chosen slot, pays in the sandbox and opens the order', async () => {
  const placed = order({ status: 'pending_payment', status_text: '待付款', paid_fen: 0, pickup_code: null, can_pay: true });
  const phone = installWx(
    scriptedMall({
      'GET /cart': cart([LINE]),
      'GET /stores/S001/pickup-slots': ok(SLOTS),
      'POST /orders': { statusCode: 201, data: placed },
      [`POST /orders/${placed.id}/pay`]: ok({ payment_id: 'a'.repeat(32), status: 'pending', message: '', params: { prepay_id: 'p', client: {} }, sandbox: true, order: placed }),
      [`POST /sandbox/payments/${'a'.repeat(32)}/confirm`]: ok(order()),
    }),
  );
  phone.storage.set('store', STORE);
  const { page, ready } = openPage('checkout');
  await ready;
  expect(textOf(page)).toContain('可口可乐 330ml × 2 ¥7.00');
  expect(textOf(page)).toContain('今天 18:00-18:30');
  tap(page, 'slot-1');
  tapPart(page, 'submit', 'van-submit-bar__button');
  await until(() => phone.navigations.length > 0, 'the order page');
  const placing = phone.requests.find((r) => r.method === 'POST' && r.url.endsWith('/orders'))!;
  expect(placing.data).toEqual({ store_id: 'S001', pickup_start: '2026-12-07T18:30:00+08:00' });
  expect(phone.modals).toEqual([{ title: '沙箱支付', content: '支付 ¥11.50（测试环境，不会真实扣款）' }]);
  expect(phone.requests.some((r) => r.url.endsWith('/confirm'))).toBe(true);
  expect(phone.navigations).toEqual([`/pages/order/index?id=${placed.id}`]);
});

test('a refused order is explained and nothing is paid', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /cart': cart([LINE]),
      'GET /stores/S001/pickup-slots': ok(SLOTS),
      'POST /orders': refused(409, 'out_of_stock', '可口可乐 330ml 库存不足，本店仅剩 1 件'),
    }),
  );
  phone.storage.set('store', STORE);
  const { page, ready } = openPage('checkout');
  await ready;
  tapPart(page, 'submit', 'van-submit-bar__button');
  await until(() => phone.toasts.length > 0, 'the refusal');
  expect(phone.toasts).toEqual(['可口可乐 330ml 库存不足，本店仅剩 1 件']);
  expect(phone.requests.some((r) => r.url.includes('/pay'))).toBe(false);
  expect(phone.navigations).toEqual([]);
});

test('a paid order shows its pickup code as a QR and can be cancelled with a refund', async () => {
  const paid = order();
  const phone = installWx(
    scriptedMall({
      [`GET /orders/${paid.id}`]: ok(paid),
      [`POST /orders/${paid.id}/cancel`]: ok(order({ status: 'cancelled', status_text: '已取消（已退款）', refunded_fen: 1150, pickup_code: null, can_cancel: false })),
    }),
  );
  const { page, ready } = openPage('order', { id: paid.id });
  await ready;
  expect(textOf(page)).toContain('待取货 商品已为您保留，请按时到店取货 到店出示取货码，收银员扫码交货 K7Q2M9X4');
  expect(textOf(page)).toContain('今天 18:00-18:30');
  expect(textOf(page)).toContain('合计 ¥11.50');
  byId(page, 'pickup-qr');
  expect(page.data.qr).toMatch(/^data:image\/gif;base64,/);

  tap(page, 'cancel');
  await until(() => textOf(page).includes('已取消（已退款）'), 'the cancelled order');
  expect(phone.modals[0]).toEqual({ title: '取消订单', content: '取消后货款将原路退回，确定取消吗？' });
  expect(textOf(page)).toContain('已退款 ¥11.50');
  expect(textOf(page)).not.toContain('K7Q2M9X4');
  expect(phone.toasts).toContain('已取消，退款中');
});

test('declining the cancel question keeps the order as it is', async () => {
  const paid = order();
  const phone = installWx(scriptedMall({ [`GET /orders/${paid.id}`]: ok(paid) }));
  phone.confirmModals = false;
  const { page, ready } = openPage('order', { id: paid.id });
  await ready;
  tap(page, 'cancel');
  await until(() => phone.modals.length === 1, 'the question');
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(phone.requests.some((r) => r.url.endsWith('/cancel'))).toBe(false);
});

test('the order list shows each order with state and total and filters by tab', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /orders': (_e, query) =>
        ok(query.get('status') === 'done' ? [order({ status: 'completed', status_text: '已取货', can_cancel: false })] : [order()]),
    }),
  );
  const { page, ready } = openPage('orders');
  await ready;
  expect(textOf(page)).toContain('门店通便利店（人民路店） 今天 18:00-18:30 自提 · 可口可乐 330ml×2，康师傅红烧牛肉面×1 待取货 ¥11.50');
  tapPart(page, 'tabs', 'van-tab', 2);
  await until(() => textOf(page).includes('已取货'), 'the done tab');
  expect(phone.requests.at(-1)!.url).toContain('status=done');
  tap(page, 'order-0');
  expect(phone.navigations).toEqual([`/pages/order/index?id=${order().id}`]);
});
