"""All H5 routers, for the app to include (outside the API prefix and the OpenAPI document)."""

from __future__ import annotations

from mall.h5 import cart_page, claim, login, member, order_pages, product, shop

H5_ROUTERS = (
    login.router,
    claim.router,
    member.router,
    product.router,
    shop.router,
    cart_page.router,
    order_pages.router,
)
