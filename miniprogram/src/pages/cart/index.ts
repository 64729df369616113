/** 购物车: the cart at the current store, priced and checked by the mall; quantities change here. */
import { api, Cart, CartLine } from '../../api';
import { errorText, showError } from '../../utils/feedback';
import { yuan } from '../../utils/money';
import { ensureStore } from '../../utils/shop';
import { ValueEvent } from '../../utils/events';

function line(item: CartLine) {
  return { ...item, priceText: yuan(item.unit_price_fen), lineText: yuan(item.line_fen) };
}

Component({
  data: {
    storeId: '',
    storeName: '',
    lines: [] as ReturnType<typeof line>[],
    count: 0,
    totalFen: 0,
    canOrder: false,
    loaded: false,
    error: '',
  },
  methods: {
    async onShow() {
      try {
        const store = await ensureStore();
        if (!store) return;
        this.setData({ storeId: store.id, storeName: store.name });
        this.show(await api.cart(store.id));
      } catch (error) {
        this.setData({ loaded: true, error: errorText(error) });
      }
    },
    show(cart: Cart) {
      this.setData({
        lines: cart.lines.map(line),
        count: cart.count,
        totalFen: cart.total_fen,
        canOrder: cart.can_order,
        loaded: true,
        error: '',
      });
    },
    async setQty(event: ValueEvent<number>) {
      try {
        this.show(await api.setCartQty(this.data.storeId, event.currentTarget.dataset.sku, Number(event.detail)));
      } catch (error) {
        showError(error);
      }
    },
    checkout() {
      if (this.data.canOrder) wx.navigateTo({ url: '/pages/checkout/index' });
    },
    shop() {
      wx.switchTab({ url: '/pages/home/index' });
    },
  },
});
