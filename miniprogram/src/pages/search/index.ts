/** 搜索: the store's products by name, pinyin, initials (kkkl → 可口可乐) or barcode. */
import { api, Product } from '../../api';
import { errorText } from '../../utils/feedback';
import { ensureStore } from '../../utils/shop';
import { ValueEvent } from '../../utils/events';

Component({
  data: { query: '', searched: '', storeName: '', products: [] as Product[], total: 0, error: '' },
  methods: {
    typed(event: ValueEvent<string>) {
      this.setData({ query: event.detail });
    },
    async search() {
      const query = this.data.query.trim();
      if (!query) return;
      try {
        const store = await ensureStore();
        if (!store) return;
        const page = await api.products(store.id, { q: query, limit: 50 });
        this.setData({ searched: query, storeName: store.name, products: page.items, total: page.total, error: '' });
      } catch (error) {
        this.setData({ error: errorText(error) });
      }
    },
    back() {
      wx.navigateBack();
    },
  },
});
