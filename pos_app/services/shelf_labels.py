"""Shelf labels to print again for products whose label changed (catalog_admin queues them):
the list, and sending it to the label printer (TSPL), the receipt printer or an A4 sheet (PDF).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.print_jobs import JobKind
from pos_app.hardware.labels import PriceLabel, render_labels_job, save_label_sheet_pdf
from pos_app.hardware.tspl import LABEL_STOCK, render_tspl_job
from pos_app.services.labels import load_labels
from pos_app.services.printing import enqueue_job
from pos_app.store.backoffice_models import LabelRequest
from pos_app.store.db import Database
from pos_app.store.models import Product, utc_now
from pos_app.store.settings import get_setting


def pending_labels(session: Session, *, limit: int = 500) -> dict[int, PriceLabel]:
    """product id → its label, for the products with a label waiting, oldest request first."""
    query = (
        select(Product.id, Product.sku)
        .join(LabelRequest, LabelRequest.product_id == Product.id)
        .where(LabelRequest.printed_at.is_(None))
        .order_by(LabelRequest.id)
        .limit(limit)
    )
    skus = dict(session.execute(query).all())
    return dict(zip(skus, load_labels(session, list(skus.values())), strict=True))


def _mark_printed(session: Session, product_ids: list[int]) -> None:
    query = select(LabelRequest).where(
        LabelRequest.product_id.in_(product_ids), LabelRequest.printed_at.is_(None)
    )
    for request in session.scalars(query):
        request.printed_at = utc_now()


def print_pending_labels(db: Database) -> int:
    """Queue every waiting label as one job: TSPL for the label printer when one is set up,
    else ESC/POS for the receipt printer; returns how many."""
    with db.read() as session:
        labels = pending_labels(session)
        label_printer = get_setting(session, "label_printer_uri")
        stock = LABEL_STOCK[get_setting(session, "label_size")]
    if not labels:
        return 0
    chosen = list(labels.values())
    if label_printer:
        tspl = render_tspl_job(chosen, stock)
        enqueue_job(db, JobKind.TSPL_LABEL, lambda _s, _p: tspl, printer_uri=label_printer)
    else:
        enqueue_job(db, JobKind.LABEL, lambda _s, profile: render_labels_job(chosen, profile))
    with db.write() as session:
        _mark_printed(session, list(labels))
    return len(labels)


def save_pending_labels_pdf(db: Database, path: Path) -> int:
    """Draw every waiting label on A4 sheets (PDF) and take them off the list; returns how many."""
    with db.read() as session:
        labels = pending_labels(session)
    if labels:
        save_label_sheet_pdf(list(labels.values()), path)
        with db.write() as session:
            _mark_printed(session, list(labels))
    return len(labels)
