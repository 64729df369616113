/** 商品详情: price, member price and this store's live availability; 加入购物车 for pickup. */
import { api, ProductDetail } from '../../api';
import { errorText, showDone, showError } from '../../utils/feedback';
import { yuan } from '../../utils/money';
import { ensureStore } from '../../utils/shop';

Component({
  data: {
    product: null as ProductDetail | null,
    priceText: '',
    memberText: '',
    stockText: '',
    cartCount: 0,
    error: '',
  },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const sku = decodeURIComponent(query.sku || '');
      try {
        const store = await ensureStore();
        if (!store) return;
        const product = await api.product(store.id, sku);
        this.setData({
          product,
          priceText: yuan(product.price_fen),
          memberText: product.member_price_fen !== null ? yuan(product.member_price_fen) : '',
          stockText: product.available > 0 ? `${product.store.name}可售 ${product.available} ${product.unit}` : '本店暂时缺货',
        });
      } catch (error) {
        this.setData({ error: errorText(error) });
      }
    },
    async add() {
      const product = this.data.product;
      if (!product) return;
      try {
        const cart = await api.addToCart(product.store.id, product.sku, 1);
        this.setData({ cartCount: cart.count });
        showDone('已加入购物车');
      } catch (error) {
        showError(error);
      }
    },
    openCart() {
      wx.switchTab({ url: '/pages/cart/index' });
    },
  },
});
