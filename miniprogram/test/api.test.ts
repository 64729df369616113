/** The API client: log-in on first need and again when the log-in ended; failures in Chinese. */
import { api, ApiError, configure, TIMEOUT_MS } from '../src/api';
import { STORE, ok, refused, scriptedMall } from './scripted';
import { installWx } from './wx';

beforeEach(() => configure({ baseUrl: 'http://mall.test/' }));

test('a customer call logs in with wx.login first and sends the bearer token', async () => {
  const phone = installWx(scriptedMall({ 'GET /orders': ok([]) }));
  await api.orders('open');
  const [login, orders] = phone.requests;
  expect(login.url).toBe('http://mall.test/customer/v1/auth/wechat');
  expect(login.data).toEqual({ code: 'alice.1' });
  expect(orders.url).toBe('http://mall.test/customer/v1/orders?status=open');
  expect(orders.header.Authorization).toBe('Bearer token-1');
  expect(orders.timeout).toBe(TIMEOUT_MS);
  expect(phone.storage.get('customerToken')).toBe('token-1');
});

test('an ended log-in is renewed once and the call repeated', async () => {
  let calls = 0;
  const phone = installWx(
    scriptedMall({
      'GET /orders': () => (++calls === 1 ? refused(401, 'token_expired', '登录已过期，请重新登录') : ok([])),
    }),
  );
  phone.storage.set('customerToken', 'old');
  await expect(api.orders()).resolves.toEqual([]);
  expect(phone.requests.map((r) => r.url.replace('http://mall.test/customer/v1', ''))).toEqual([
    '/orders?status=all',
    '/auth/wechat',
    '/orders?status=all',
  ]);
});

test("the mall's refusal, a server failure, a timeout and no network read as Chinese sentences", async () => {
  installWx(
    scriptedMall({
      'GET /stores/S001/products/9': refused(404, 'not_found', '没有这个商品'),
      'GET /stores/S001': { statusCode: 502, data: '<html>Bad Gateway</html>' },
    }),
  );
  await expect(api.product('S001', '9')).rejects.toEqual(new ApiError(404, 'not_found', '没有这个商品'));
  await expect(api.store('S001')).rejects.toMatchObject({ message: '商城暂时不可用，请稍后再试' });

  installWx(async () => Promise.reject(new Error('request:fail timeout')));
  await expect(api.stores()).rejects.toMatchObject({ code: 'network', message: '网络超时，请检查网络后重试' });
  installWx(async () => Promise.reject(new Error('request:fail ECONNREFUSED')));
  await expect(api.stores()).rejects.toMatchObject({ message: '网络连接失败，请检查网络后重试' });
});

test('query values are encoded and empty ones left out', async () => {
  const phone = installWx(scriptedMall({ 'GET /stores/S001/products': ok({ items: [], total: 0, offset: 0, has_more: false }) }));
  await api.products(STORE.id, { q: '可乐 330', category: '' });
  expect(phone.requests[0].url).toBe(
    'http://mall.test/customer/v1/stores/S001/products?q=%E5%8F%AF%E4%B9%90%20330',
  );
});
