/**
 * The `wx` object of the WeChat client, for pages running under node: storage, log-in (the
 * mall's sandbox code2session takes any "<user>.<n>" code), location, toasts and modals (kept
 * for the test to read), navigation (kept), and wx.request handed to a transport: the real mall
 * over HTTP (httpTransport) or, in page tests, a scripted mall (scriptedMall).
 */
import * as http from 'http';

export interface Exchange {
  method: string;
  url: string;
  header: Record<string, string>;
  data?: unknown;
  timeout?: number;
}

export interface Answer {
  statusCode: number;
  data: unknown;
}

/** Answers a request, or rejects with an errMsg (like "request:fail timeout"). */
export type Transport = (exchange: Exchange) => Promise<Answer>;

export interface Phone {
  storage: Map<string, unknown>;
  toasts: string[];
  modals: { title: string; content: string }[];
  navigations: string[];
  requests: Exchange[];
  /** What the customer answers to the next modal (true: 确定). */
  confirmModals: boolean;
  /** Where the phone is, or null when the customer refuses to share the location. */
  position: { latitude: number; longitude: number } | null;
  user: string;
}

let logins = 0;

/**
 * Node's HTTP client with the request's timeout, as wx.request behaves (jest's jsdom
 * environment has no fetch). The answer's body is parsed as JSON when it is JSON. Each request
 * opens its own connection: with Node's keep-alive agent a request sent on a connection the
 * server was closing as idle failed with "socket hang up" (网络连接失败 in the e2e run under load).
 */
export function httpTransport(): Transport {
  return (exchange) =>
    new Promise<Answer>((resolve, reject) => {
      const body = exchange.method !== 'GET' && exchange.data !== undefined ? JSON.stringify(exchange.data) : undefined;
      const request = http.request(
        exchange.url,
        { method: exchange.method, headers: exchange.header, timeout: exchange.timeout || 60000, agent: false },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let data: unknown = text;
            try {
              data = JSON.parse(text);
            } catch {
              // not JSON: handed over as text, as wx.request does
            }
            resolve({ statusCode: response.statusCode || 0, data });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('request:fail timeout')));
      request.on('error', (error) =>
        reject(new Error(error.message.startsWith('request:fail') ? error.message : `request:fail ${error.message}`)),
      );
      request.end(body);
    });
}

function selectorQuery() {
  const query = {
    in: () => query,
    select: () => query,
    selectAll: () => query,
    selectViewport: () => query,
    boundingClientRect: (callback?: (rect: object) => void) => {
      if (callback) callback({ width: 0, height: 0, top: 0, left: 0 });
      return query;
    },
    scrollOffset: () => query,
    fields: () => query,
    exec: (callback?: (rects: object[]) => void) => {
      if (callback) callback([]);
    },
  };
  return query;
}

/** Put a fresh phone's `wx` on the global object; the phone keeps what the pages did. */
export function installWx(transport: Transport, user = 'alice'): Phone {
  const phone: Phone = {
    storage: new Map(),
    toasts: [],
    modals: [],
    navigations: [],
    requests: [],
    confirmModals: true,
    position: { latitude: 31.2305, longitude: 121.4738 },
    user,
  };
  const later = (fn: () => void) => setTimeout(fn, 0);
  const navigate = (options: { url: string; success?: () => void }) => {
    phone.navigations.push(options.url);
    if (options.success) later(options.success);
  };
  const wx = {
    request(options: WechatMiniprogram.RequestOption) {
      const exchange: Exchange = {
        method: options.method || 'GET',
        url: options.url,
        header: (options.header || {}) as Record<string, string>,
        data: options.data,
        timeout: options.timeout,
      };
      phone.requests.push(exchange);
      transport(exchange).then(
        (answer) => options.success && options.success({ ...answer, header: {}, cookies: [], errMsg: 'request:ok' } as never),
        (error: Error) => options.fail && options.fail({ errMsg: error.message, errno: 1 } as never),
      );
      return { abort() {} };
    },
    login(options: WechatMiniprogram.LoginOption) {
      logins += 1;
      later(() => options.success && options.success({ code: `${phone.user}.${logins}`, errMsg: 'login:ok' }));
    },
    getLocation(options: WechatMiniprogram.GetLocationOption) {
      later(() => {
        if (phone.position) options.success && options.success({ ...phone.position } as never);
        else options.fail && options.fail({ errMsg: 'getLocation:fail auth deny' });
      });
    },
    getStorageSync: (key: string) => (phone.storage.has(key) ? phone.storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => phone.storage.set(key, value),
    removeStorageSync: (key: string) => phone.storage.delete(key),
    showToast: (options: { title: string }) => phone.toasts.push(options.title),
    showModal(options: WechatMiniprogram.ShowModalOption) {
      phone.modals.push({ title: options.title || '', content: options.content || '' });
      const confirm = phone.confirmModals;
      later(() => options.success && options.success({ confirm, cancel: !confirm, errMsg: 'showModal:ok' } as never));
    },
    navigateTo: navigate,
    redirectTo: navigate,
    switchTab: navigate,
    reLaunch: navigate,
    navigateBack: () => phone.navigations.push('back'),
    requestPayment(options: WechatMiniprogram.RequestPaymentOption) {
      later(() => options.fail && options.fail({ errMsg: 'requestPayment:fail no live payment in tests' }));
    },
    getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } }),
    getSystemInfoSync: () => ({
      platform: 'devtools',
      // Below 2.4.0 Vant does without groupSetData, which miniprogram-simulate lacks.
      SDKVersion: '2.3.9',
      windowWidth: 375,
      windowHeight: 812,
      screenWidth: 375,
      screenHeight: 812,
      pixelRatio: 2,
      environment: '',
    }),
    nextTick: (fn: () => void) => later(fn),
    createSelectorQuery: selectorQuery,
    createAnimation: () => ({}),
    pageScrollTo: () => undefined,
  };
  Object.assign(globalThis, { wx, getCurrentPages: () => [] });
  return phone;
}
