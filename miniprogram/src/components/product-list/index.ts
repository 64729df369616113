/**
 * A list of the store's products (home, category, search): price, member price, what this
 * store can still sell, and 加入购物车. Tapping a product opens its page.
 */
import { api, Product } from '../../api';
import { showDone, showError } from '../../utils/feedback';
import { yuan } from '../../utils/money';
import { currentStore } from '../../utils/shop';

function row(product: Product) {
  return {
    sku: product.sku,
    name: product.name,
    available: product.available,
    priceText: yuan(product.price_fen),
    memberText: product.member_price_fen !== null ? `会员 ¥${yuan(product.member_price_fen)}` : '',
    stockText: product.available > 0 ? `本店可售 ${product.available} ${product.unit}` : '本店暂时缺货',
  };
}

Component({
  properties: {
    products: { type: Array, value: [] as Product[] },
    emptyText: { type: String, value: '' },
  },
  data: { rows: [] as ReturnType<typeof row>[] },
  observers: {
    products(products: Product[]) {
      this.setData({ rows: products.map(row) });
    },
  },
  methods: {
    open(event: WechatMiniprogram.CustomEvent) {
      wx.navigateTo({ url: `/pages/product/index?sku=${encodeURIComponent(event.currentTarget.dataset.sku)}` });
    },
    /** Taps on the add button stay there instead of also opening the product. */
    keep() {},
    async add(event: WechatMiniprogram.CustomEvent) {
      const store = currentStore();
      if (!store) return;
      try {
        const cart = await api.addToCart(store.id, event.currentTarget.dataset.sku, 1);
        showDone('已加入购物车');
        this.triggerEvent('cartchange', { count: cart.count });
      } catch (error) {
        showError(error);
      }
    },
  },
});
