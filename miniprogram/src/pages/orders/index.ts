/** 我的订单: the customer's pickup orders, newest first, by state; tap one for its pickup code. */
import { api, Order } from '../../api';
import { errorText } from '../../utils/feedback';
import { yuan } from '../../utils/money';

type Tab = 'all' | 'open' | 'done';
const TAG_TYPES: Record<string, string> = {
  pending_payment: 'warning',
  paid: 'danger',
  ready: 'danger',
  completed: 'success',
  cancelled: 'default',
};

function row(order: Order) {
  const goods = order.lines.map((l) => `${l.name}×${l.qty}`).join('，');
  return {
    id: order.id,
    status_text: order.status_text,
    storeName: order.store.name,
    summary: `${order.pickup_label} 自提 · ${goods}`,
    totalText: yuan(order.total_fen),
    tagType: TAG_TYPES[order.status] || 'default',
  };
}

Component({
  data: { tab: 'all' as Tab, orders: [] as ReturnType<typeof row>[], loaded: false, error: '' },
  methods: {
    onShow() {
      return this.load();
    },
    pickTab(event: WechatMiniprogram.CustomEvent<{ name: Tab }>) {
      this.setData({ tab: event.detail.name });
      return this.load();
    },
    async load() {
      try {
        const orders = await api.orders(this.data.tab);
        this.setData({ orders: orders.map(row), loaded: true, error: '' });
      } catch (error) {
        this.setData({ loaded: true, error: errorText(error) });
      }
    },
    open(event: WechatMiniprogram.CustomEvent) {
      wx.navigateTo({ url: `/pages/order/index?id=${event.currentTarget.dataset.id}` });
    },
  },
});
