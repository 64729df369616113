/**
 * 确认订单: the cart's goods, the store, a pickup time slot; 提交订单 places the pickup order
 * (the store reserves the goods at once) and goes straight on to payment.
 */
import { api, PickupSlot } from '../../api';
import { errorText, showError } from '../../utils/feedback';
import { yuan } from '../../utils/money';
import { payOrder } from '../../utils/pay';
import { ensureStore } from '../../utils/shop';
import { ValueEvent } from '../../utils/events';

Component({
  data: {
    storeId: '',
    storeName: '',
    storeAddress: '',
    lines: [] as { sku: string; name: string; qty: number; lineText: string }[],
    totalFen: 0,
    slots: [] as PickupSlot[],
    slot: '',
    loaded: false,
    placing: false,
    error: '',
  },
  methods: {
    async onLoad() {
      try {
        const store = await ensureStore();
        if (!store) return;
        const [cart, slots] = await Promise.all([api.cart(store.id), api.pickupSlots(store.id)]);
        this.setData({
          storeId: store.id,
          storeName: store.name,
          storeAddress: store.address,
          lines: cart.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, lineText: yuan(l.line_fen) })),
          totalFen: cart.total_fen,
          slots,
          slot: slots.length ? slots[0].start : '',
          loaded: true,
        });
      } catch (error) {
        this.setData({ loaded: true, error: errorText(error) });
      }
    },
    pickSlot(event: ValueEvent<string>) {
      this.setData({ slot: event.detail });
    },
    tapSlot(event: WechatMiniprogram.CustomEvent) {
      this.setData({ slot: event.currentTarget.dataset.start });
    },
    async place() {
      if (this.data.placing || !this.data.slot) return;
      this.setData({ placing: true });
      let orderId = '';
      try {
        orderId = (await api.placeOrder(this.data.storeId, this.data.slot)).id;
        await payOrder(orderId);
      } catch (error) {
        showError(error);
      }
      this.setData({ placing: false });
      if (orderId) wx.redirectTo({ url: `/pages/order/index?id=${orderId}` });
    },
  },
});
