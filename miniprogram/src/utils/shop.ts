/**
 * The store the customer shops at: the nearest one by wx.getLocation, or the one they chose;
 * kept in storage so every page (and the next launch) shows the same store's shelf.
 */
import { api, Store } from '../api';

const STORE_KEY = 'store';

export function currentStore(): Store | null {
  const saved = wx.getStorageSync(STORE_KEY) as Store | '';
  return saved || null;
}

export function chooseStore(store: Store): void {
  wx.setStorageSync(STORE_KEY, store);
}

function position(): Promise<{ latitude: number; longitude: number } | null> {
  return new Promise((resolve) => {
    wx.getLocation({
      type: 'gcj02',
      success: (res) => resolve({ latitude: res.latitude, longitude: res.longitude }),
      fail: () => resolve(null),
    });
  });
}

/**
 * The stores nearest first and the one to shop at: the nearest when the customer lets us
 * know where they are, else the one chosen before, else the first store.
 */
export async function locateStores(): Promise<{ stores: Store[]; store: Store | null; located: boolean }> {
  const here = await position();
  const stores = here ? await api.stores(here.latitude, here.longitude) : await api.stores();
  const nearest = here ? stores.find((store) => store.distance_km !== null) : undefined;
  const chosen = currentStore();
  const store = nearest || stores.find((s) => chosen !== null && s.id === chosen.id) || stores[0] || null;
  if (store) chooseStore(store);
  return { stores, store, located: Boolean(nearest) };
}

/** The current store, asking the mall for the nearest if none was chosen yet. */
export async function ensureStore(): Promise<Store | null> {
  return currentStore() || (await locateStores()).store;
}

/** "1.2 km" / "350 m" */
export function distanceText(store: Store): string {
  if (store.distance_km === null) return '';
  return store.distance_km < 1 ? `${Math.round(store.distance_km * 1000)} m` : `${store.distance_km.toFixed(1)} km`;
}
