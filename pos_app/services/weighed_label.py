"""A label for goods weighed at the counter (称重标签): name, weight, unit price and amount with a
scale barcode (the store's first 13-digit price layout), queued for the label printer. Scanned at
any till of the store, the barcode books the same product and amount."""

from __future__ import annotations

from sqlalchemy import select

from pos_app.domain.cart_line import GRAMS_PER_KG
from pos_app.domain.money import mul_div_half_up
from pos_app.domain.print_jobs import JobKind
from pos_app.domain.scale_layouts import ScaleLayout, make_scale_barcode
from pos_app.services.errors import ServiceError
from pos_app.services.printing import enqueue_job
from pos_app.services.till import scale_layouts
from pos_app.store.db import Database
from pos_app.store.models import Product
from pos_app.store.settings import get_setting

__all__ = ["CannotLabel", "queue_weighed_label"]

EAN13_LENGTH = 13


class CannotLabel(ServiceError):
    """The label cannot be printed; the message says what to set up."""


def _price_layout(layouts: tuple[ScaleLayout, ...], plu: str) -> ScaleLayout:
    for layout in layouts:
        fits = layout.width("C") >= len(plu) and layout.width("P") > 0
        if layout.length == EAN13_LENGTH and fits and layout.width("W") == 0:
            return layout
    raise CannotLabel(
        "No 13-digit price layout (e.g. 20-29:FFCCCCCPPPPPK) is set up in Settings.",
        code="label_no_layout",
    )


def queue_weighed_label(db: Database, *, sku: str, weight_g: int) -> int:
    """Queue the label for `weight_g` of product `sku`; returns the print job id. (The label
    renderer and its imaging library load at the first label, not with the till's window.)"""
    from pos_app.hardware.tspl import LABEL_STOCK, WeighedGoodsLabel, draw_weighed_label, tspl_job

    with db.read() as session:
        product = session.scalars(select(Product).where(Product.sku == sku)).one()
        uri = get_setting(session, "label_printer_uri")
        stock = LABEL_STOCK[get_setting(session, "label_size")]
        layouts = scale_layouts(session)
        name, plu, price_fen = product.name, product.plu_code, product.price_fen
    if not uri:
        raise CannotLabel(
            "No label printer is set up: Settings (F10) → Devices → Label printer.",
            code="label_no_printer",
        )
    if not plu:
        raise CannotLabel(
            f"{name} has no PLU number, so a scale barcode cannot be made.",
            code="label_no_plu",
            name=name,
        )
    layout = _price_layout(layouts, plu)
    amount_fen = mul_div_half_up(price_fen, weight_g, GRAMS_PER_KG)
    code = plu.zfill(layout.width("C"))
    try:
        barcode = make_scale_barcode(layout, code, price_fen=amount_fen)
    except ValueError as exc:  # the amount does not fit the layout's price digits
        raise CannotLabel(f"{name}: {exc}") from exc
    label = WeighedGoodsLabel(name, weight_g, price_fen, amount_fen, barcode)
    job = tspl_job([draw_weighed_label(label, stock)], stock)
    return enqueue_job(db, JobKind.TSPL_LABEL, lambda _s, _p: job, printer_uri=uri)
