"""How the settings dialog explains scale layouts: why a set is refused, and how a sample
label would be read with the layouts as typed (the same parser the sale screen uses)."""

from __future__ import annotations

from collections.abc import Sequence

from pos_app.domain.barcodes import ZeroPriceLabel, parse_barcode
from pos_app.domain.money import format_fen
from pos_app.domain.parsed_barcode import InvalidBarcode
from pos_app.domain.scale_layouts import (
    DeadLayout,
    InvalidScaleLayout,
    OverlappingLayouts,
    ScaleLayout,
    order_layouts,
    validate_layouts,
)
from pos_app.domain.scan import detect_payment_provider
from pos_app.ui.i18n import InputError, error_text, tr


def layout_problem(error: InvalidScaleLayout) -> str:
    """A refused layout set, in the screen language."""
    if isinstance(error, OverlappingLayouts):
        first, second = error.first.to_spec(), error.second.to_spec()
        return tr("layout_overlap", first=first, second=second, flags=error.flags)
    if isinstance(error, DeadLayout):
        return tr("layout_dead", layout=error.layout.to_spec())
    return tr("layout_invalid", detail=error_text(error))


def checked_layouts(specs: Sequence[str]) -> tuple[ScaleLayout, ...]:
    """The layouts typed, in the order they are tried; InputError (translated) if refused."""
    try:
        return validate_layouts([ScaleLayout.parse_spec(spec) for spec in specs])
    except InvalidScaleLayout as error:
        raise InputError(layout_problem(error)) from error


def preview(specs: Sequence[str], sample: str, *, allow_zero_price: bool) -> str:
    """What the sale screen would make of sample with these layouts, in one line."""
    try:
        layouts = checked_layouts(specs)
    except InputError as error:
        return str(error)
    if not sample.strip():
        order = "　".join(layout.to_spec() for layout in layouts)
        return tr("layout_order", order=order)
    if detect_payment_provider(sample) is not None:
        return tr("err_wrong_context")
    try:
        parsed = parse_barcode(sample, layouts, allow_zero_price=allow_zero_price)
    except ZeroPriceLabel:
        return tr("err_zero_price")
    except InvalidBarcode as error:
        return error_text(error)
    layout = next((one for one in order_layouts(layouts) if one.matches(parsed.code)), None)
    if layout is None:
        return tr("layout_not_scale", code=parsed.code)
    parts = [tr("layout_reads", layout=layout.to_spec(), plu=parsed.scale_item_code)]
    if parsed.price_fen is not None:
        parts.append(tr("layout_price", amount=format_fen(parsed.price_fen)))
    if parsed.weight_g is not None:
        parts.append(tr("layout_weight", kg=f"{parsed.weight_g / 1000:.3f}"))
    return "，".join(parts)
