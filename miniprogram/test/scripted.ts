/**
 * A scripted mall for page tests: answers by "METHOD /path" with the customer API's shapes
 * (types from src/api.ts), records nothing itself (the phone keeps the requests).
 */
import type { Order, Product, Store } from '../src/api';
import type { Answer, Exchange, Transport } from './wx';

export type Route = (exchange: Exchange, query: URLSearchParams) => Answer | Promise<Answer>;

export const ok = (data: unknown): Answer => ({ statusCode: 200, data });
export const refused = (statusCode: number, code: string, message: string): Answer => ({
  statusCode,
  data: { code, message },
});

/** Routes are "GET /stores/S001/categories" (the /customer/v1 prefix left out). */
export function scriptedMall(script: Record<string, Route | Answer>): Transport {
  const routes: Record<string, Route | Answer> = { 'POST /auth/wechat': LOGGED_IN, ...script };
  return async (exchange) => {
    const url = new URL(exchange.url);
    const key = `${exchange.method} ${url.pathname.replace(/^\/customer\/v1/, '')}`;
    const route = routes[key];
    if (!route) return refused(404, 'not_scripted', `not scripted: ${key}`);
    return typeof route === 'function' ? route(exchange, url.searchParams) : route;
  };
}

const LOGGED_IN = ok({ token: 'token-1', expires_in: 604800, customer_id: 'C1', is_member: false });

export const STORE: Store = {
  id: 'S001',
  name: '门店通便利店（人民路店）',
  address: '人民路 88 号',
  lat: 31.2304,
  lng: 121.4737,
  hours: '07:00-23:00',
  open_now: true,
  distance_km: 0.35,
};

export const COLA: Product = {
  sku: '1001',
  name: '可口可乐 330ml',
  unit: '瓶',
  category: '饮料',
  price_fen: 350,
  member_price_fen: 300,
  available: 5,
};

export const NOODLES: Product = {
  sku: '1003',
  name: '康师傅红烧牛肉面',
  unit: '袋',
  category: '方便面',
  price_fen: 450,
  member_price_fen: null,
  available: 0,
};

export function order(overrides: Partial<Order> = {}): Order {
  return {
    id: '0b7e2f6c-1d2a-4c1e-9a51-6f0d2a7c9e11',
    order_no: 'W20261207-0001',
    store: STORE,
    status: 'paid',
    status_text: '待取货',
    lines: [
      { sku: '1001', name: '可口可乐 330ml', qty: 2, unit_price_fen: 350, net_fen: 700 },
      { sku: '1003', name: '康师傅红烧牛肉面', qty: 1, unit_price_fen: 450, net_fen: 450 },
    ],
    total_fen: 1150,
    paid_fen: 1150,
    refunded_fen: 0,
    created_at: '2026-12-07T09:30:00+08:00',
    pickup_start: '2026-12-07T18:00:00+08:00',
    pickup_end: '2026-12-07T18:30:00+08:00',
    pickup_label: '今天 18:00-18:30',
    pickup_code: 'K7Q2M9X4',
    can_pay: false,
    can_cancel: true,
    points_earned: 0,
    ...overrides,
  };
}
