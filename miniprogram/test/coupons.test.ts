/** 优惠券: claim a coupon of an open campaign, show a usable coupon's QR, used ones without. */
import { configure } from '../src/api';
import { openPage, tap, textOf, until } from './pages';
import { ok, refused, scriptedMall } from './scripted';
import { installWx } from './wx';

const CODE = 'CP1' + 'A'.repeat(90);
const NEW3 = { campaign_id: 'NEW3', name: '新人券', value_fen: 300, min_spend_fen: 1000, valid_days: 30 };
const COUPON = {
  coupon_id: 'C00000000000A',
  campaign_id: 'NEW3',
  name: '新人券',
  value_fen: 300,
  min_spend_fen: 1000,
  status: 'issued',
  expires_at: '2027-01-06T08:00:00+00:00',
  code: CODE,
};
const USED = { ...COUPON, coupon_id: 'C00000000000B', name: '周末券', min_spend_fen: 0, status: 'redeemed', code: null };

beforeEach(() => configure({ baseUrl: 'http://mall.test' }));

test('a member claims an open campaign and its coupon shows as a QR to scan at the till', async () => {
  let claimed = false;
  const phone = installWx(
    scriptedMall({
      'GET /coupons/campaigns': () => ok({ campaigns: [{ ...NEW3, left_for_me: claimed ? 0 : 1, sold_out: false }] }),
      'GET /coupons': () => ok({ coupons: claimed ? [COUPON, USED] : [USED] }),
      'POST /coupons/claim': () => {
        claimed = true;
        return ok(COUPON);
      },
    }),
  );
  const { page, ready } = openPage('coupons');
  await ready;
  expect(textOf(page)).toContain('满¥10.00减¥3.00 新人券 领取后 30 天内有效 领取');
  expect(textOf(page)).toContain('无门槛减¥3.00 周末券 有效期至 2027-01-06 已使用');
  tap(page, 'claim-NEW3');
  await until(() => page.data.shownQr !== '', 'the coupon QR');
  expect(phone.toasts).toEqual(['领取成功']);
  expect(phone.requests.find((r) => r.url.endsWith('/coupons/claim'))!.data).toEqual({ campaign_id: 'NEW3' });
  expect(page.data.shownQr).toMatch(/^data:image\/gif;base64,/);
  const text = textOf(page);
  expect(text).toContain('新人券 满¥10.00减¥3.00 结账时出示此码，收银员扫码抵扣');
  expect(text).toContain('新人券 领取后 30 天内有效 已领取');
  expect(text).toContain('满¥10.00减¥3.00 新人券 有效期至 2027-01-06 可用');

  tap(page, 'hide');
  expect(page.data.shownQr).toBe('');
  tap(page, 'coupon-C00000000000B');
  expect(page.data.shownQr).toBe(''); // a used coupon has no code to show
  tap(page, 'coupon-C00000000000A');
  expect(page.data.shownQr).toMatch(/^data:image\/gif;base64,/);
});

test('a sold-out campaign cannot be claimed and a refused claim says why', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /coupons/campaigns': ok({
        campaigns: [
          { ...NEW3, left_for_me: 1, sold_out: false },
          { ...NEW3, campaign_id: 'GONE', name: '限量券', left_for_me: 1, sold_out: true },
        ],
      }),
      'GET /coupons': ok({ coupons: [] }),
      'POST /coupons/claim': refused(409, 'campaign_empty', '券已经领完了'),
    }),
  );
  const { page, ready } = openPage('coupons');
  await ready;
  expect(textOf(page)).toContain('限量券 领取后 30 天内有效 已领完');
  expect(textOf(page)).toContain('还没有优惠券');
  tap(page, 'claim-NEW3');
  await until(() => phone.toasts.length > 0, 'the refusal');
  expect(phone.toasts).toEqual(['券已经领完了']);
  expect(page.data.shownQr).toBe('');
});

test('a customer who is not a member is asked to bind the phone number first', async () => {
  installWx(scriptedMall({ 'GET /coupons/campaigns': refused(403, 'not_member', '请先绑定手机号成为会员') }));
  const { page, ready } = openPage('coupons');
  await ready;
  expect(textOf(page)).toContain('成为会员即可领券');
});
