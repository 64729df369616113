/**
 * 订单详情: state, the pickup code as a QR for the till once paid, goods, store and slot;
 * 去支付 while unpaid, 取消订单 before pickup (a paid order is refunded by the mall).
 */
import { api, Order } from '../../api';
import { errorText, showDone, showError } from '../../utils/feedback';
import { yuan } from '../../utils/money';
import { payOrder } from '../../utils/pay';
import { qrDataUrl } from '../../utils/qr';

const HINTS: Record<string, string> = {
  pending_payment: '请尽快付款，超时未付款订单将自动取消',
  paid: '商品已为您保留，请按时到店取货',
  ready: '商品已备好，请到店取货',
  completed: '已取货，欢迎再次光临',
  cancelled: '订单已取消，预留的商品已释放',
};

function askCancel(paid: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: '取消订单',
      content: paid ? '取消后货款将原路退回，确定取消吗？' : '确定取消这个订单吗？',
      success: (res) => resolve(res.confirm),
      fail: () => resolve(false),
    });
  });
}

Component({
  data: {
    id: '',
    order: null as Order | null,
    qr: '',
    hint: '',
    lines: [] as { sku: string; name: string; qty: number; netText: string }[],
    totalText: '',
    refundedText: '',
    paying: false,
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query.id || '' });
    },
    async onShow() {
      try {
        this.show(await api.order(this.data.id));
      } catch (error) {
        this.setData({ error: errorText(error) });
      }
    },
    show(order: Order) {
      this.setData({
        order,
        qr: order.pickup_code ? qrDataUrl(order.pickup_code) : '',
        hint: HINTS[order.status] || '',
        lines: order.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, netText: yuan(l.net_fen) })),
        totalText: yuan(order.total_fen),
        refundedText: yuan(order.refunded_fen),
        error: '',
      });
    },
    async pay() {
      if (this.data.paying) return;
      this.setData({ paying: true });
      try {
        this.show(await payOrder(this.data.id));
      } catch (error) {
        showError(error);
      }
      this.setData({ paying: false });
    },
    async cancel() {
      const order = this.data.order;
      if (!order || !(await askCancel(order.paid_fen > 0))) return;
      try {
        this.show(await api.cancel(order.id));
        showDone(order.paid_fen > 0 ? '已取消，退款中' : '已取消');
      } catch (error) {
        showError(error);
      }
    },
  },
});
