/** 分类: the store's categories on the left, the chosen one's products on the right. */
import { api, Category, Product } from '../../api';
import { errorText } from '../../utils/feedback';
import { ensureStore } from '../../utils/shop';
import { ValueEvent } from '../../utils/events';

Component({
  data: {
    storeId: '',
    storeName: '',
    categories: [] as Category[],
    active: 0,
    products: [] as Product[],
    loading: true,
    error: '',
  },
  methods: {
    /** The home page may have asked for a category (switchTab cannot carry a query). */
    async onShow() {
      try {
        const store = await ensureStore();
        if (!store) {
          this.setData({ loading: false, error: '暂时没有营业的门店' });
          return;
        }
        const categories = await api.categories(store.id);
        const wanted = wx.getStorageSync('category') as string;
        wx.removeStorageSync('category');
        const found = categories.findIndex((c) => c.name === wanted);
        const active = found >= 0 ? found : Math.min(this.data.active, Math.max(categories.length - 1, 0));
        this.setData({ storeId: store.id, storeName: store.name, categories, active, error: '' });
        await this.load();
      } catch (error) {
        this.setData({ loading: false, error: errorText(error) });
      }
    },
    pick(event: ValueEvent<number>) {
      this.setData({ active: event.detail });
      this.load();
    },
    async load() {
      const category = this.data.categories[this.data.active];
      if (!category) {
        this.setData({ products: [], loading: false });
        return;
      }
      this.setData({ loading: true });
      try {
        const page = await api.products(this.data.storeId, { category: category.name, limit: 50 });
        this.setData({ products: page.items, loading: false });
      } catch (error) {
        this.setData({ loading: false, error: errorText(error) });
      }
    },
  },
});
