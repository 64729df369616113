"""`pos print-receipt`, `pos printer-test` and `pos labels`: the printer commands of the CLI.

Each takes the database and the parsed arguments and returns the exit code. Print commands go
through the print queue and send at once; a job that fails is cancelled (and reported), so the
till's worker never prints it later by surprise.
"""

from __future__ import annotations

import argparse
import sys

from pos_app.cli import EXIT_FAILED, EXIT_OK
from pos_app.hardware.connections import PrinterError
from pos_app.hardware.labels import save_label_sheet_pdf
from pos_app.hardware.print_queue import cancel_job, enqueue_test_page, reprint, send_job
from pos_app.services.errors import ServiceError
from pos_app.services.labels import load_labels
from pos_app.store.db import Database

__all__ = ["cmd_labels", "cmd_print_receipt", "cmd_printer_test"]


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
