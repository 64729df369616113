/** 会员中心 and the receipt-claim landing of a scanned receipt QR (the `q` parameter). */
import { configure } from '../src/api';
import { byId, dispatch, openPage, tap, textOf, until } from './pages';
import { ok, refused, scriptedMall } from './scripted';
import { installWx } from './wx';

const MEMBER = {
  member_id: 'M1',
  card_no: '8800001',
  name: '王小明',
  tier: '银卡',
  phone_tail: '0000',
  points: 120,
  points_available: 100,
  stored_value_fen: 5000,
  stored_value_available_fen: 4800,
  top_up_offer: '到店充值享：充200送20，充500送60',
};
const CODE = { code: 'MC1.eyJtIjoiTTEifQ.c2ln', digits: '123456789012345678', expires_in: 120, refresh_in: 60 };
const NOT_MEMBER = refused(403, 'not_member', '请先绑定手机号成为会员');
const RECEIPT = 'https://mall.example.cn/r/AQEAAAABAAAAAQAAAGQAAAAAAAAAAAAB';

/** The phone's answer to the getPhoneNumber button: WeChat hands the page a one-time code. */
function allowPhoneNumber(page: Parameters<typeof byId>[0]): void {
  const button = byId(page, 'bind').firstElementChild as Parameters<typeof dispatch>[0];
  dispatch(button, 'getphonenumber', { code: 'phone-13800000000', errMsg: 'getPhoneNumber:ok' });
}

beforeEach(() => configure({ baseUrl: 'http://mall.test' }));

test('a member sees points, stored value, history and the member code as QR and digits', async () => {
  installWx(
    scriptedMall({
      'GET /member': ok(MEMBER),
      'GET /member/points': ok([{ at: '2026-12-06T10:00:00+08:00', delta: 12, source: 'sale', text: '消费积分' }]),
      'GET /member/code': ok(CODE),
    }),
  );
  const { page, ready } = openPage('member');
  await ready;
  const text = textOf(page);
  expect(text).toContain('王小明 银卡 会员卡号 8800001 · 手机尾号 0000');
  expect(text).toContain('100 可用积分 ¥48.00 储值余额 到店充值享：充200送20，充500送60');
  expect(text).toContain('1234 5678 9012 3456 78');
  expect(text).toContain('消费积分 2026-12-06 10:00 +12');
  expect(page.data.codeQr).toMatch(/^data:image\/gif;base64,/);
  (page.instance as unknown as { onHide: () => void }).onHide();
});

test('a member taps 充200送20, pays in the sandbox and sees the credited balance', async () => {
  const tiers = [
    { pay_fen: 20000, bonus_fen: 2000, label: '充200送20' },
    { pay_fen: 50000, bonus_fen: 6000, label: '充500送60' },
  ];
  const topUp = { id: 'b'.repeat(36), amount_fen: 20000, bonus_fen: 0, status: 'pending_payment', status_text: '待支付', created_at: '2026-12-07T18:00:00+08:00' };
  let credited = false;
  const phone = installWx(
    scriptedMall({
      'GET /member': () => ok({ ...MEMBER, top_up_tiers: tiers, stored_value_available_fen: credited ? 26800 : 4800 }),
      'GET /member/points': ok([]),
      'GET /member/code': ok(CODE),
      'POST /member/top-ups': ok({ payment_id: 'c'.repeat(32), status: 'pending', message: '', params: { prepay_id: 'p', client: {} }, sandbox: true, top_up: topUp }),
      [`POST /sandbox/top-up-payments/${'c'.repeat(32)}/confirm`]: () => {
        credited = true;
        return ok({ ...topUp, bonus_fen: 2000, status: 'credited', status_text: '已到账' });
      },
    }),
  );
  phone.storage.set('store', { id: 'S001', name: '人民路店' });
  const { page, ready } = openPage('member');
  await ready;
  expect(textOf(page)).toContain('¥48.00 储值余额 在线充值 充200送20 充500送60');
  expect(textOf(page)).not.toContain('到店充值享');
  tap(page, 'top-up-0');
  await until(() => textOf(page).includes('¥268.00 储值余额'), 'the credited balance');
  expect(phone.requests.find((r) => r.url.endsWith('/member/top-ups'))!.data).toEqual({ amount_fen: 20000, store_id: 'S001' });
  expect(phone.modals).toEqual([{ title: '沙箱支付', content: '支付 ¥200.00（测试环境，不会真实扣款）' }]);
  expect(phone.toasts).toEqual(['已到账 ¥220.00']);
  (page.instance as unknown as { onHide: () => void }).onHide();
});

test('a customer who is not a member binds the WeChat phone number and gets the member code', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /member': NOT_MEMBER,
      'POST /member/bind': ok(MEMBER),
      'GET /member/code': ok(CODE),
    }),
  );
  const { page, ready } = openPage('member');
  await ready;
  expect(textOf(page)).toContain('微信手机号一键成为会员');
  allowPhoneNumber(page);
  await until(() => textOf(page).includes('1234 5678 9012 3456 78'), 'the member code');
  expect(phone.requests.find((r) => r.url.endsWith('/member/bind'))!.data).toEqual({ wx_phone_code: 'phone-13800000000' });
  (page.instance as unknown as { onHide: () => void }).onHide();
});

test('refusing to share the phone number explains that it is needed', async () => {
  const phone = installWx(scriptedMall({ 'GET /member': NOT_MEMBER }));
  const { page, ready } = openPage('member');
  await ready;
  dispatch(byId(page, 'bind').firstElementChild as never, 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' });
  expect(phone.toasts).toEqual(['需要授权手机号才能成为会员']);
});

test('the scanned receipt link in `q` is claimed for the member', async () => {
  const phone = installWx(
    scriptedMall({
      'POST /member/receipts/claim': ok({ state: 'claimed', message: '积分已到账', points: 12, store_name: '门店通便利店（人民路店）' }),
    }),
  );
  const { page, ready } = openPage('claim', { q: encodeURIComponent(RECEIPT), scancode_time: '1765090000' });
  await ready;
  expect(textOf(page)).toContain('门店通便利店（人民路店） 积分已到账 +12 积分');
  expect(phone.requests.at(-1)!.data).toEqual({ link: RECEIPT });
});

test('a customer scanning a receipt becomes a member first, then the receipt is claimed', async () => {
  let member = false;
  const phone = installWx(
    scriptedMall({
      'POST /member/receipts/claim': () =>
        member ? ok({ state: 'claimed', message: '积分已到账', points: 12, store_name: '人民路店' }) : NOT_MEMBER,
      'POST /member/bind': () => {
        member = true;
        return ok(MEMBER);
      },
    }),
  );
  const { page, ready } = openPage('claim', { q: encodeURIComponent(RECEIPT) });
  await ready;
  expect(textOf(page)).toContain('成为会员后领取这张小票的积分');
  allowPhoneNumber(page);
  await until(() => textOf(page).includes('积分已到账'), 'the claim');
  expect(phone.requests.filter((r) => r.url.endsWith('/claim'))).toHaveLength(2);
});

test('a refused receipt and a landing without a link are explained', async () => {
  installWx(scriptedMall({ 'POST /member/receipts/claim': refused(409, 'already_claimed', '这张小票的积分已经领取过了') }));
  let { page, ready } = openPage('claim', { q: encodeURIComponent(RECEIPT) });
  await ready;
  expect(textOf(page)).toContain('这张小票的积分已经领取过了');

  ({ page, ready } = openPage('claim', {}));
  await ready;
  expect(textOf(page)).toContain('没有识别到小票二维码，请重新扫描小票上的二维码');
});
