"""Keeping label scales (条码秤) and the till in agreement: the PLU file the scale software imports,
and a report of scale labels whose printed price differs from the till's price.

PLU file formats:
- "aclas": the tab-separated DWL PLU text file of Aclas (顶尖) label scales' PC software
  (Link69 / AclasSync "import PLU from file"): a `DWL<TAB>PLU` header line, one `PLU` line per
  item, an `END<TAB>PLU` line. Field order and defaults follow the vendor's PLU.txt sample: PLU
  number (hot key), item code (the digits the scale prints in its barcode, which the till reads
  back as the PLU), EAN barcode (empty), unit (1 by weight, 2 by count), unit price as
  "digits,decimals" (1290,2 = 12.90), ten fields at their defaults, the name; all later fields
  at the sample's defaults. Written in GBK, as the Windows software reads it.
- "csv": PLU号, 货号, 品名, 单价(元/kg), 计价方式 (称重/计件) as UTF-8 with a BOM, for the Excel
  import of 大华 (Dahua) TMA and other scale software, where the columns are mapped by hand.

The scale prints the item code in the scale barcode (e.g. 2 + 00042 + price + check), which the
till's scale layouts read back and look up by PLU, so exporting the till's PLUs and per-kg prices
is what keeps both sides selling at the same price.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.cart_line import GRAMS_PER_KG
from pos_app.domain.money import mul_div_half_up
from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode
from pos_app.domain.scale_layouts import ScaleLayout
from pos_app.store.models import Product, Sale, SaleLine

__all__ = [
    "PLU_FORMATS",
    "PluItem",
    "ScalePriceMismatch",
    "plu_file",
    "scale_price_mismatches",
    "weighed_plus",
]

PLU_FORMATS = ("aclas", "csv")
_ACLAS_HEAD = ["PLU", "", "", "", "", "", "0,0", "0,0", *["0"] * 6, "9", ""]
_ACLAS_TAIL = [
    *[""] * 7,
    *["0"] * 12,
    "0,0",
    "0,0",
    "0",
    *(["127", "0,0", "0,0", "0,0", "0"] * 4),
    *["0"] * 6,
    "",
]


@dataclass(frozen=True)
class PluItem:
    plu: str  # the item code digits, as the scale barcode carries them
    name: str
    price_fen: int  # per kg for weighed goods, per piece otherwise
    weighed: bool


def weighed_plus(session: Session) -> list[PluItem]:
    """Active products with a PLU code, weighed first, by PLU."""
    query = (
        select(Product)
        .where(Product.plu_code.is_not(None), Product.status == "active")
        .order_by(Product.weighed.desc(), Product.plu_code)
    )
    return [
        PluItem(p.plu_code or "", p.name, p.price_fen, p.weighed) for p in session.scalars(query)
    ]


def _aclas_line(item: PluItem) -> str:
    fields = list(_ACLAS_HEAD)
    fields[1] = str(int(item.plu))
    fields[2] = item.plu
    fields[4] = "1" if item.weighed else "2"
    fields[5] = f"{item.price_fen},2"
    fields[15] = item.name.replace("\t", " ")
    return "\t".join(fields + _ACLAS_TAIL)


def plu_file(items: Sequence[PluItem], file_format: str) -> bytes:
    """The PLU file in one of PLU_FORMATS (ValueError for another)."""
    if file_format == "aclas":
        lines = ["DWL\tPLU\t", *(_aclas_line(item) for item in items), "END\tPLU\t"]
        return ("\r\n".join(lines) + "\r\n").encode("gbk", errors="replace")
    if file_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["PLU号", "货号", "品名", "单价(元)", "计价方式"])
        for item in items:
            yuan = f"{item.price_fen // 100}.{item.price_fen % 100:02d}"
            way = "称重" if item.weighed else "计件"
            writer.writerow([int(item.plu), item.plu, item.name, yuan, way])
        return out.getvalue().encode("utf-8-sig")
    raise ValueError(f"PLU file format must be one of {PLU_FORMATS}, not {file_format!r}")


@dataclass(frozen=True)
class ScalePriceMismatch:
    """A sold scale label whose printed amount is not the till's price for its weight."""

    sale_no: str
    sold_at: datetime
    barcode: str
    sku: str
    name: str
    weight_g: int
    label_fen: int  # what the label said and the customer paid
    till_fen: int  # the till's per-kg price at the time of sale x the printed weight

    @property
    def difference_fen(self) -> int:
        return self.label_fen - self.till_fen

    @property
    def scale_price_per_kg_fen(self) -> int:
        """The unit price the scale must have used (rounded to the fen)."""
        return mul_div_half_up(self.label_fen, GRAMS_PER_KG, self.weight_g)


def scale_price_mismatches(
    session: Session, layouts: Sequence[ScaleLayout], *, since: datetime | None = None
) -> list[ScalePriceMismatch]:
    """Sold scale labels that carry both weight and price where price != till price x weight.

    The till's price is the line's unit price, recorded at sale time from the catalog. Labels
    with a price but no weight cannot be checked (their weight is only estimated from the price).
    """
    query = (
        select(Sale.sale_no, Sale.created_at, SaleLine)
        .join(SaleLine, SaleLine.sale_id == Sale.id)
        .where(SaleLine.price_source == "scale", SaleLine.qty > 0)
        .order_by(Sale.id, SaleLine.line_no)
    )
    if since is not None:
        query = query.where(Sale.created_at >= since)
    found = []
    for sale_no, sold_at, line in session.execute(query):
        try:
            parsed = parse_barcode(line.barcode, layouts, allow_zero_price=True)
        except InvalidBarcode:
            continue  # a layout changed since the sale; nothing to compare against
        if parsed.kind is not BarcodeKind.SCALE or None in (parsed.price_fen, parsed.weight_g):
            continue
        weight_g, label_fen = parsed.weight_g or 0, parsed.price_fen or 0
        till_fen = mul_div_half_up(line.unit_price_fen, weight_g, GRAMS_PER_KG)
        if label_fen != till_fen and weight_g > 0:
            found.append(
                ScalePriceMismatch(
                    sale_no,
                    sold_at,
                    line.barcode,
                    line.sku,
                    line.name,
                    weight_g,
                    label_fen,
                    till_fen,
                )
            )
    return found
