/**
 * 首页: the nearest store (wx.getLocation), the way to another store, search, the store's
 * categories and the first page of its shelf.
 */
import { api, Category, Product, Store } from '../../api';
import { errorText } from '../../utils/feedback';
import { chooseStore, distanceText, locateStores } from '../../utils/shop';

Component({
  data: {
    store: null as Store | null,
    distance: '',
    hint: '',
    stores: [] as Store[],
    storeActions: [] as { name: string; subname: string }[],
    choosing: false,
    categories: [] as Category[],
    products: [] as Product[],
    loading: true,
    error: '',
  },
  methods: {
    async onLoad() {
      try {
        const found = await locateStores();
        this.setData({
          stores: found.stores,
          storeActions: found.stores.map((s) => ({ name: s.name, subname: [distanceText(s), s.address].filter(Boolean).join(' · ') })),
          hint: found.located ? '' : '未获得您的位置，可点上方切换门店',
        });
        if (!found.store) {
          this.setData({ loading: false, error: '暂时没有营业的门店' });
          return;
        }
        await this.showStore(found.store);
      } catch (error) {
        this.setData({ loading: false, error: errorText(error) });
      }
    },
    async showStore(store: Store) {
      this.setData({ store, distance: distanceText(store), loading: true, error: '' });
      try {
        const [categories, page] = await Promise.all([
          api.categories(store.id),
          api.products(store.id, { limit: 20 }),
        ]);
        this.setData({ categories, products: page.items, loading: false });
      } catch (error) {
        this.setData({ loading: false, error: errorText(error) });
      }
    },
    showStores() {
      this.setData({ choosing: true });
    },
    hideStores() {
      this.setData({ choosing: false });
    },
    pickStore(event: WechatMiniprogram.CustomEvent<{ name: string }>) {
      const store = this.data.stores.find((s) => s.name === event.detail.name);
      this.setData({ choosing: false });
      if (!store) return;
      chooseStore(store);
      this.showStore(store);
    },
    openSearch() {
      wx.navigateTo({ url: '/pages/search/index' });
    },
    openCategory(event: WechatMiniprogram.CustomEvent) {
      wx.setStorageSync('category', event.currentTarget.dataset.name);
      wx.switchTab({ url: '/pages/category/index' });
    },
  },
});
