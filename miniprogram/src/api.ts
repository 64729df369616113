/**
 * The typed client of the mall's customer API (/customer/v1 in the mall's OpenAPI document).
 * Every call goes through wx.request with a timeout; a failure becomes an ApiError whose
 * `message` is Chinese and can be shown to the customer as it is. Calls that need a customer
 * log in first (wx.login → POST /auth/wechat) and once more when the mall says the log-in ended.
 */

export const TIMEOUT_MS = 10000;
const PREFIX = '/customer/v1';
const TOKEN_KEY = 'customerToken';

export interface Store {
  id: string;
  name: string;
  address: string;
  lat: number | null;
  lng: number | null;
  hours: string;
  open_now: boolean;
  distance_km: number | null;
}

export interface Category {
  name: string;
  count: number;
}

export interface Product {
  sku: string;
  name: string;
  unit: string;
  category: string | null;
  price_fen: number;
  member_price_fen: number | null;
  available: number;
}

export interface ProductPage {
  items: Product[];
  total: number;
  offset: number;
  has_more: boolean;
}

export interface ProductDetail extends Product {
  barcodes: string[];
  store: Store;
}

export interface CartLine {
  sku: string;
  name: string;
  unit: string;
  qty: number;
  unit_price_fen: number;
  line_fen: number;
  available: number;
  problem: string;
}

export interface Cart {
  store_id: string;
  lines: CartLine[];
  count: number;
  total_fen: number;
  can_order: boolean;
}

export interface PickupSlot {
  start: string;
  end: string;
  label: string;
}

export interface OrderLine {
  sku: string;
  name: string;
  qty: number;
  unit_price_fen: number;
  net_fen: number;
}

export type OrderStatus = 'pending_payment' | 'paid' | 'ready' | 'completed' | 'cancelled';

export interface Order {
  id: string;
  order_no: string;
  store: Store;
  status: OrderStatus;
  status_text: string;
  lines: OrderLine[];
  total_fen: number;
  paid_fen: number;
  refunded_fen: number;
  created_at: string;
  pickup_start: string | null;
  pickup_end: string | null;
  pickup_label: string;
  pickup_code: string | null;
  can_pay: boolean;
  can_cancel: boolean;
  points_earned: number;
}

export type CouponStatus = 'issued' | 'held' | 'redeemed' | 'expired' | 'void';

/** One of the member's coupons; `code` (shown as a QR at the till) only while it can be used. */
export interface MemberCoupon {
  coupon_id: string;
  campaign_id: string;
  name: string;
  value_fen: number;
  min_spend_fen: number;
  status: CouponStatus;
  expires_at: string;
  code: string | null;
}

/** A campaign open for claiming (领券), as this member sees it. */
export interface ClaimableCampaign {
  campaign_id: string;
  name: string;
  value_fen: number;
  min_spend_fen: number;
  valid_days: number;
  left_for_me: number;
  sold_out: boolean;
}

export interface PayParams {
  prepay_id: string;
  client: Record<string, string>;
}

export interface PayAnswer {
  payment_id: string;
  status: 'pending' | 'paid' | 'failed' | 'cancelled';
  message: string;
  params: PayParams | null;
  sandbox: boolean;
  order: Order;
}

/** A stored-value top-up paid in the mini-program: credited (amount + bonus) once paid. */
export interface TopUp {
  id: string;
  amount_fen: number;
  bonus_fen: number;
  status: 'pending_payment' | 'credited';
  status_text: string;
  created_at: string;
}

export interface TopUpPayAnswer extends Omit<PayAnswer, 'order'> {
  top_up: TopUp;
}

export interface TopUpTier {
  pay_fen: number;
  bonus_fen: number;
  /** 充200送20 */
  label: string;
}

export interface LoginAnswer {
  token: string;
  expires_in: number;
  customer_id: string;
  is_member: boolean;
}

export interface Member {
  member_id: string;
  card_no: string;
  name: string;
  tier: string;
  phone_tail: string;
  points: number;
  points_available: number;
  stored_value_fen: number;
  stored_value_available_fen: number;
  /** 到店充值享：充200送20 ("" when the chain gives no bonus). */
  top_up_offer?: string;
  /** The chain's top-up tiers, paid online from the member page. */
  top_up_tiers?: TopUpTier[];
}

export interface MemberCode {
  code: string;
  digits: string;
  expires_in: number;
  refresh_in: number;
}

export interface LedgerEntry {
  at: string;
  delta: number;
  source: string;
  text: string;
}

export interface ClaimAnswer {
  state: string;
  message: string;
  points: number;
  store_name: string;
}

/** A call that did not succeed; `message` is for the customer, `code` for the program. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT';
type Query = Record<string, string | number | undefined>;

let baseUrl = '';

/** Where the mall is (app.ts sets it from config.ts; tests set the mall they started). */
export function configure(options: { baseUrl: string }): void {
  baseUrl = options.baseUrl.replace(/\/+$/, '');
}

function queryString(query?: Query): string {
  const parts = Object.keys(query || {})
    .filter((key) => query![key] !== undefined && query![key] !== '')
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(query![key]))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function networkMessage(errMsg: string): string {
  return /timeout/i.test(errMsg) ? '网络超时，请检查网络后重试' : '网络连接失败，请检查网络后重试';
}

function errorOf(statusCode: number, body: unknown): ApiError {
  const known = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const code = typeof known.code === 'string' ? known.code : `http_${statusCode}`;
  if (typeof known.message === 'string' && known.message) {
    return new ApiError(statusCode, code, known.message);
  }
  const text = statusCode >= 500 ? '商城暂时不可用，请稍后再试' : '请求未被受理，请稍后再试';
  return new ApiError(statusCode, code, text);
}

/** One HTTP exchange with the mall, without log-in. */
export function send<T>(method: Method, path: string, options: { query?: Query; data?: object; token?: string } = {}): Promise<T> {
  if (!baseUrl) {
    return Promise.reject(new ApiError(0, 'not_configured', '商城地址未配置'));
  }
  const header: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) header.Authorization = `Bearer ${options.token}`;
  return new Promise<T>((resolve, reject) => {
    wx.request({
      url: `${baseUrl}${PREFIX}${path}${queryString(options.query)}`,
      method,
      data: options.data,
      header,
      timeout: TIMEOUT_MS,
      dataType: 'json',
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data as T);
        else reject(errorOf(res.statusCode, res.data));
      },
      fail(err) {
        reject(new ApiError(0, 'network', networkMessage(err.errMsg || '')));
      },
    });
  });
}

function wxLoginCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      timeout: TIMEOUT_MS,
      success: (res) => (res.code ? resolve(res.code) : reject(new ApiError(0, 'login', '微信登录失败，请重试'))),
      fail: () => reject(new ApiError(0, 'login', '微信登录失败，请重试')),
    });
  });
}

/** Log in with WeChat now (wx.login's code is exchanged by the mall) and keep the token. */
export async function logIn(): Promise<LoginAnswer> {
  const code = await wxLoginCode();
  const answer = await send<LoginAnswer>('POST', '/auth/wechat', { data: { code } });
  wx.setStorageSync(TOKEN_KEY, answer.token);
  return answer;
}

/** A call as the logged-in customer; logs in first, and again once if the log-in ended. */
async function authed<T>(method: Method, path: string, options: { query?: Query; data?: object } = {}): Promise<T> {
  let token = wx.getStorageSync(TOKEN_KEY) as string;
  if (!token) token = (await logIn()).token;
  try {
    return await send<T>(method, path, { ...options, token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    wx.removeStorageSync(TOKEN_KEY);
    token = (await logIn()).token;
    return send<T>(method, path, { ...options, token });
  }
}

const store = (id: string) => `/stores/${encodeURIComponent(id)}`;
const order = (id: string) => `/orders/${encodeURIComponent(id)}`;

export const api = {
  stores: (lat?: number, lng?: number) => send<Store[]>('GET', '/stores', { query: { lat, lng } }),
  nearestStore: (lat: number, lng: number) => send<Store>('GET', '/stores/nearest', { query: { lat, lng } }),
  store: (storeId: string) => send<Store>('GET', store(storeId)),
  pickupSlots: (storeId: string) => send<PickupSlot[]>('GET', `${store(storeId)}/pickup-slots`),
  categories: (storeId: string) => send<Category[]>('GET', `${store(storeId)}/categories`),
  products: (storeId: string, filter: { category?: string; q?: string; offset?: number; limit?: number }) =>
    send<ProductPage>('GET', `${store(storeId)}/products`, { query: filter }),
  product: (storeId: string, sku: string) =>
    send<ProductDetail>('GET', `${store(storeId)}/products/${encodeURIComponent(sku)}`),

  cart: (storeId: string) => authed<Cart>('GET', '/cart', { query: { store_id: storeId } }),
  addToCart: (storeId: string, sku: string, qty = 1) =>
    authed<Cart>('POST', '/cart/items', { data: { store_id: storeId, sku, qty } }),
  setCartQty: (storeId: string, sku: string, qty: number) =>
    authed<Cart>('PUT', '/cart/items', { data: { store_id: storeId, sku, qty } }),

  placeOrder: (storeId: string, pickupStart: string) =>
    authed<Order>('POST', '/orders', { data: { store_id: storeId, pickup_start: pickupStart } }),
  orders: (status: 'all' | 'open' | 'done' = 'all') => authed<Order[]>('GET', '/orders', { query: { status } }),
  order: (orderId: string) => authed<Order>('GET', order(orderId)),
  pay: (orderId: string) => authed<PayAnswer>('POST', `${order(orderId)}/pay`),
  confirmSandboxPayment: (paymentId: string) =>
    authed<Order>('POST', `/sandbox/payments/${encodeURIComponent(paymentId)}/confirm`),
  cancel: (orderId: string) => authed<Order>('POST', `${order(orderId)}/cancel`),

  member: () => authed<Member>('GET', '/member'),
  bindPhone: (wxPhoneCode: string, storeId?: string) =>
    authed<Member>('POST', '/member/bind', { data: { wx_phone_code: wxPhoneCode, store_id: storeId } }),
  memberCode: () => authed<MemberCode>('GET', '/member/code'),
  points: () => authed<LedgerEntry[]>('GET', '/member/points'),
  topUp: (amountFen: number, storeId?: string) =>
    authed<TopUpPayAnswer>('POST', '/member/top-ups', { data: { amount_fen: amountFen, store_id: storeId } }),
  topUpState: (topUpId: string) => authed<TopUp>('GET', `/member/top-ups/${encodeURIComponent(topUpId)}`),
  confirmSandboxTopUp: (paymentId: string) =>
    authed<TopUp>('POST', `/sandbox/top-up-payments/${encodeURIComponent(paymentId)}/confirm`),
  claimReceipt: (link: string) => authed<ClaimAnswer>('POST', '/member/receipts/claim', { data: { link } }),

  coupons: () => authed<{ coupons: MemberCoupon[] }>('GET', '/coupons'),
  campaigns: () => authed<{ campaigns: ClaimableCampaign[] }>('GET', '/coupons/campaigns'),
  claimCoupon: (campaignId: string) =>
    authed<MemberCoupon>('POST', '/coupons/claim', { data: { campaign_id: campaignId } }),
};
