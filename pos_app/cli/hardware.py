"""`pos print-receipt`, `pos printer-test`, `pos labels`, `pos plu-export` and
`pos scale-price-report`: the printer and scale commands of the CLI.

Each takes the database and the parsed arguments and returns the exit code. Print commands go
through the print queue and send at once; a job that fails is cancelled (and reported), so the
till's worker never prints it later by surprise.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from pos_app.cli.main import EXIT_FAILED, EXIT_OK
from pos_app.domain.money import format_fen
from pos_app.hardware.connections import PrinterError
from pos_app.hardware.labels import save_label_sheet_pdf
from pos_app.services.errors import ServiceError
from pos_app.services.labels import load_labels
from pos_app.services.printing import cancel_job, enqueue_test_page, reprint, send_job
from pos_app.services.scale_plu import plu_file, scale_price_mismatches, weighed_plus
from pos_app.services.till import scale_layouts
from pos_app.store.db import Database

__all__ = [
    "cmd_labels",
    "cmd_plu_export",
    "cmd_print_receipt",
    "cmd_printer_test",
    "cmd_scale_price_report",
]


def _send_now(db: Database, job_id: int, what: str, uri: str) -> int:
    try:
        status = send_job(db, job_id)
    except PrinterError as exc:
        cancel_job(db, job_id)
        print(f"{what} was not printed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{what} printed on {uri} (printer status: {status}).")
    return EXIT_OK


def cmd_print_receipt(db: Database, args: argparse.Namespace) -> int:
    """Print the receipt of sale args.sale_no on args.printer (marked 重印 if printed before)."""
    try:
        job_id = reprint(db, args.sale_no, printer_uri=args.printer)
    except ServiceError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    return _send_now(db, job_id, f"Receipt {args.sale_no}", args.printer)


def cmd_printer_test(db: Database, args: argparse.Namespace) -> int:
    """Print a test page on args.printer."""
    job_id = enqueue_test_page(db, printer_uri=args.printer)
    return _send_now(db, job_id, "Test page", args.printer)


def cmd_labels(db: Database, args: argparse.Namespace) -> int:
    """Write price labels for args.skus to the A4 PDF args.pdf."""
    try:
        with db.read() as session:
            labels = load_labels(session, args.skus)
    except ServiceError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    pages = save_label_sheet_pdf(labels, args.pdf)
    print(f"{len(labels)} label(s) on {pages} page(s) written to {args.pdf}")
    return EXIT_OK


def cmd_plu_export(db: Database, args: argparse.Namespace) -> int:
    """Write the PLU file for the label scales' software (format args.format) to args.out."""
    with db.read() as session:
        items = weighed_plus(session)
    args.out.write_bytes(plu_file(items, args.format))
    weighed = sum(item.weighed for item in items)
    print(f"{len(items)} PLU(s), {weighed} weighed, written to {args.out} ({args.format})")
    return EXIT_OK


def cmd_scale_price_report(db: Database, args: argparse.Namespace) -> int:
    """List sold scale labels whose price is not the till's; exit 1 when there are any."""
    since = datetime.now(UTC) - timedelta(days=args.days)
    with db.read() as session:
        found = scale_price_mismatches(session, scale_layouts(session), since=since)
    for m in found:
        print(
            f"{m.sale_no}\t{m.sku} {m.name}\t{m.weight_g} g\tlabel {format_fen(m.label_fen)}"
            f"\ttill {format_fen(m.till_fen)}\tdiff {format_fen(m.difference_fen)}"
            f"\tscale price {format_fen(m.scale_price_per_kg_fen)}/kg"
        )
    print(f"{len(found)} scale label(s) priced differently from the till in {args.days} day(s)")
    return EXIT_FAILED if found else EXIT_OK
