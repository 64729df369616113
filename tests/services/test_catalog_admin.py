"""Catalog upkeep by a manager: validation, journal entries, and labels for what changed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from pos_app.domain.gtin import make_ean13
from pos_app.services.catalog_admin import (
    ProductForm,
    ProductRejected,
    product_form,
    save_product,
)
from pos_app.services.permissions import ManagerRequired
from pos_app.services.shelf_labels import (
    pending_labels,
    print_pending_labels,
    save_pending_labels_pdf,
)
from pos_app.services.stock import find_product, reorder_level
from pos_app.store.db import Database
from pos_app.store.models import JournalEntry, PrintJob, Product
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of

TEA = ProductForm(
    sku="3001",
    name="东方树叶 茉莉花茶 500ml",
    price_fen=500,
    member_price_fen=450,
    cost_fen=320,
    category="饮料",
    barcodes=(make_ean13("690111222333"),),
    reorder_level=12,
)


def journal(db: Database, kind: str) -> list[dict[str, object]]:
    with db.read() as session:
        query = select(JournalEntry.payload).where(JournalEntry.kind == kind)
        return [json.loads(payload) for payload in session.scalars(query)]


def test_a_new_product_is_saved_findable_journaled_and_queued_for_a_label(db: Database) -> None:
    """Added with pinyin, category, barcode and reorder level; journal and label follow."""
    saved = save_product(db, TEA, actor_id=MANAGER_ID)
    assert saved.label_queued
    with db.read() as session:
        assert find_product(session, TEA.barcodes[0]).product_id == saved.product_id
        product = session.get(Product, saved.product_id)
        assert product is not None and product.pinyin_initials.startswith("dfsy")
        assert product_form(session, saved.product_id) == TEA
        assert reorder_level(session, saved.product_id) == 12
        assert list(pending_labels(session)) == [saved.product_id]
    assert journal(db, "product_add")[0]["sku"] == "3001"


def test_every_problem_of_a_form_is_reported_and_nothing_is_saved(db: Database) -> None:
    """Wrong check digit, a barcode of another product, member price above price, zero price,
    a PLU on counted goods and one another product has are all named at once."""
    wrong_check = barcode_of("1001")[:-1] + str((int(barcode_of("1001")[-1]) + 1) % 10)
    form = replace(
        TEA,
        price_fen=0,
        member_price_fen=600,
        plu_code="42",
        barcodes=(wrong_check, barcode_of("1002")),
    )
    with pytest.raises(ProductRejected) as caught:
        save_product(db, form, actor_id=MANAGER_ID)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == [
        "barcodes",
        "barcodes",
        "member_price_fen",
        "plu_code",
        "plu_code",
        "price_fen",
    ]
    assert "already belongs to product 1002" in str(caught.value)
    assert "00042 is already the PLU of 2001" in str(caught.value)
    with db.read() as session:
        assert session.scalar(select(Product).where(Product.sku == "3001")) is None


def test_editing_a_price_journals_old_and_new_and_queues_a_label_but_a_cost_does_not(
    db: Database,
) -> None:
    """A price change is a label change; a cost change is journaled without a label."""
    with db.read() as session:
        cola_id = find_product(session, barcode_of("1001")).product_id
        cola = product_form(session, cola_id)
    save_product(db, replace(cola, cost_fen=180), actor_id=MANAGER_ID, product_id=cola_id)
    with db.read() as session:
        assert pending_labels(session) == {}
    repriced = replace(cola, cost_fen=180, price_fen=380)
    saved = save_product(db, repriced, actor_id=MANAGER_ID, product_id=cola_id)
    assert saved.changed == ("price_fen",) and saved.label_queued
    edits = journal(db, "product_edit")
    assert edits[0]["changes"] == {"cost_fen": [None, 180]}
    assert edits[1]["changes"] == {"price_fen": [350, 380]}


def test_a_cashier_cannot_change_the_catalog(db: Database) -> None:
    """Product edits need a manager."""
    with pytest.raises(ManagerRequired):
        save_product(db, TEA, actor_id=CASHIER_ID)


def test_waiting_labels_print_once_to_the_printer_or_an_a4_sheet(
    db: Database, tmp_path: Path
) -> None:
    """Queued labels go out as one label job, then the list is empty; the PDF path works too."""
    save_product(db, TEA, actor_id=MANAGER_ID)
    assert print_pending_labels(db) == 1
    with db.read() as session:
        jobs = list(session.scalars(select(PrintJob.kind)))
        assert jobs == ["label"] and pending_labels(session) == {}
    save_product(db, replace(TEA, sku="3002", barcodes=()), actor_id=MANAGER_ID)
    assert save_pending_labels_pdf(db, tmp_path / "labels.pdf") == 1
    assert (tmp_path / "labels.pdf").read_bytes().startswith(b"%PDF")
