"""The reference cloud mall service: stores, catalog, stock, online orders and the sync API."""
