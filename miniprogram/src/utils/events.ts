/** Vant components emit plain values (a stepper's number, a search's text) as the detail. */
export type ValueEvent<T> = WechatMiniprogram.BaseEvent & { detail: T };
