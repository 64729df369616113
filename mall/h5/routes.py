"""All H5 routers, for the app to include (outside the API prefix and the OpenAPI document)."""

from __future__ import annotations

from mall.h5 import claim, login, member, product

H5_ROUTERS = (login.router, claim.router, member.router, product.router)
