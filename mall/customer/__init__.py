"""The customer side of the mall: the API under /customer/v1 that the WeChat mini-program (and
the H5 twin) call — WeChat log-in, stores, the store's shelf, cart, pickup orders with online
payment, and the member center. It reuses the mall's orders, stock, payments and members."""
