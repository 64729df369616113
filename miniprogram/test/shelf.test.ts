/** 首页, 分类, 搜索, 商品详情: the store's shelf as the customer sees and taps it. */
import { configure } from '../src/api';
import { byId, dispatch, openPage, tap, tapPart, textOf, until } from './pages';
import { COLA, NOODLES, STORE, ok, refused, scriptedMall } from './scripted';
import { installWx } from './wx';

const FAR_STORE = { ...STORE, id: 'S002', name: '门店通便利店（解放路店）', address: '解放路 16 号', distance_km: 1.9 };
const page2 = (items: object[]) => ok({ items, total: items.length, offset: 0, has_more: false });
const CART = ok({ store_id: 'S001', lines: [], count: 1, total_fen: 350, can_order: true });

beforeEach(() => configure({ baseUrl: 'http://mall.test' }));

test('the home page finds the nearest store by location and shows its shelf with availability', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /stores': ok([STORE, FAR_STORE]),
      'GET /stores/S001/categories': ok([{ name: '饮料', count: 2 }, { name: '方便面', count: 1 }]),
      'GET /stores/S001/products': page2([COLA, NOODLES]),
      'POST /cart/items': CART,
    }),
  );
  const { page, ready } = openPage('home');
  await ready;
  const text = textOf(page);
  expect(text).toContain('营业中 门店通便利店（人民路店） 人民路 88 号 · 营业 07:00-23:00 350 m');
  expect(text).toContain('饮料 方便面');
  expect(text).toContain('可口可乐 330ml 本店可售 5 瓶 ¥ 3 .50 加入购物车');
  expect(text).toContain('康师傅红烧牛肉面 本店暂时缺货 ¥ 4 .50 缺货');
  expect(phone.requests[0].url).toBe('http://mall.test/customer/v1/stores?lat=31.2305&lng=121.4738');

  tap(page, 'add-1001');
  await until(() => phone.toasts.includes('已加入购物车'), 'the cart toast');
  const add = phone.requests.find((r) => r.url.endsWith('/cart/items'))!;
  expect(add.data).toEqual({ store_id: 'S001', sku: '1001', qty: 1 });
  expect(phone.navigations).toEqual([]);

  tap(page, 'product-1001');
  expect(phone.navigations).toContain('/pages/product/index?sku=1001');
});

test('without the location the customer shops at the first store and may switch to another', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /stores': ok([{ ...STORE, distance_km: null }, { ...FAR_STORE, distance_km: null }]),
      'GET /stores/S001/categories': ok([]),
      'GET /stores/S001/products': page2([COLA]),
      'GET /stores/S002/categories': ok([]),
      'GET /stores/S002/products': page2([]),
    }),
  );
  phone.position = null;
  const { page, ready } = openPage('home');
  await ready;
  expect(textOf(page)).toContain('未获得您的位置，可点上方切换门店');
  tap(page, 'store');
  await until(() => textOf(page).includes('解放路 16 号'), 'the store list');
  tapPart(page, 'stores', 'van-action-sheet__item', 1);
  await until(() => textOf(page).includes('本店暂时没有商品'), 'the other store');
  expect(phone.storage.get('store')).toMatchObject({ id: 'S002' });
});

test('a mall that cannot be reached shows why on the home page', async () => {
  installWx(async () => Promise.reject(new Error('request:fail timeout')));
  const { page, ready } = openPage('home');
  await ready;
  expect(textOf(page)).toContain('网络超时，请检查网络后重试');
});

test('the category page shows the chosen category and switches on tap', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /stores/S001/categories': ok([{ name: '饮料', count: 1 }, { name: '方便面', count: 1 }]),
      'GET /stores/S001/products': (_e, query) => page2(query.get('category') === '饮料' ? [COLA] : [NOODLES]),
    }),
  );
  phone.storage.set('store', STORE);
  phone.storage.set('category', '方便面');
  const { page, ready } = openPage('category');
  await ready;
  expect(textOf(page)).toContain('康师傅红烧牛肉面');
  expect(textOf(page)).not.toContain('可口可乐');
  tap(page, 'category-0');
  await until(() => textOf(page).includes('可口可乐'), 'the drinks');
  expect(textOf(page)).toContain('门店通便利店（人民路店） · 饮料');
});

test('search finds by pinyin initials and says so when nothing matches', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /stores/S001/products': (_e, query) => page2(query.get('q') === 'kkkl' ? [COLA] : []),
    }),
  );
  phone.storage.set('store', STORE);
  const { page, ready } = openPage('search');
  await ready;
  const search = byId(page, 'search');
  dispatch(search, 'change', 'kkkl' as never);
  dispatch(search, 'search', 'kkkl' as never);
  await until(() => textOf(page).includes('可口可乐'), 'the result');
  expect(textOf(page)).toContain('找到 1 件商品');
  dispatch(search, 'change', '榴莲' as never);
  dispatch(search, 'search', '榴莲' as never);
  await until(() => textOf(page).includes('没有找到「榴莲」，换个词试试'), 'the empty result');
});

test('the product page shows prices and this store’s stock; an empty shelf cannot be added', async () => {
  const phone = installWx(
    scriptedMall({
      'GET /stores/S001/products/1001': ok({ ...COLA, barcodes: ['6901234567892'], store: STORE }),
      'GET /stores/S001/products/1003': ok({ ...NOODLES, barcodes: [], store: STORE }),
      'POST /cart/items': CART,
    }),
  );
  phone.storage.set('store', STORE);
  let { page, ready } = openPage('product', { sku: '1001' });
  await ready;
  expect(textOf(page)).toContain('可口可乐 330ml ¥3.50 会员价 ¥3.00 门店通便利店（人民路店）可售 5 瓶');
  expect(textOf(page)).toContain('到店自提');
  tap(page, 'add');
  await until(() => phone.toasts.includes('已加入购物车'), 'the toast');

  ({ page, ready } = openPage('product', { sku: '1003' }));
  await ready;
  expect(textOf(page)).toContain('本店暂时缺货');
  const before = phone.requests.length;
  tap(page, 'add');
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(phone.requests.length).toBe(before);

  installWx(scriptedMall({ 'GET /stores/S001/products/9': refused(404, 'not_found', '本店没有这个商品') }));
  wx.setStorageSync('store', STORE);
  ({ page, ready } = openPage('product', { sku: '9' }));
  await ready;
  expect(textOf(page)).toContain('本店没有这个商品');
});
