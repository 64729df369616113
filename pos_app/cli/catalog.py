"""The catalog commands of the `pos` command line: `pos demo-data` and `pos import FILE`.

Each takes the open database and the parsed arguments and returns the process exit code.
"""

from __future__ import annotations

import argparse

from pos_app.demo.data import DemoDataError, generate_demo_catalog, seed_demo_store
from pos_app.services.catalog_file import CatalogFileError
from pos_app.services.catalog_import import ImportReport, import_catalog
from pos_app.store.db import Database

EXIT_OK, EXIT_BAD_ROWS, EXIT_UNUSABLE = 0, 1, 2
MAX_ERRORS_SHOWN = 200


def cmd_demo_data(db: Database, args: argparse.Namespace) -> int:
    """`pos demo-data --skus N [--seed S]`: the demo store, staff and an N-product catalog."""
    seed_demo_store(db)
    try:
        stats = generate_demo_catalog(db, args.skus, seed=args.seed)
    except DemoDataError as error:
        print(error)
        return EXIT_UNUSABLE
    print(
        f"Demo catalog: {stats.skus:,} products, {stats.barcodes:,} barcodes, "
        f"{stats.weighed:,} weighed items in {stats.seconds:.1f} s"
    )
    return EXIT_OK


def _print_report(report: ImportReport) -> None:
    for error in report.errors[:MAX_ERRORS_SHOWN]:
        print(error)
    if len(report.errors) > MAX_ERRORS_SHOWN:
        print(f"… and {len(report.errors) - MAX_ERRORS_SHOWN} more problems")
    if report.written:
        print(
            f"Imported {report.inserted + report.updated} of {report.rows} rows "
            f"({report.inserted} new, {report.updated} updated, {report.bad_rows} skipped)"
        )
    elif report.errors:
        print(
            f"Nothing was imported: {report.bad_rows} of {report.rows} rows have problems. "
            "Fix them, or import the good rows with --skip-bad"
        )
    else:
        print("Nothing to import: the file has no product rows")


def cmd_import(db: Database, args: argparse.Namespace) -> int:
    """`pos import FILE [--skip-bad]`: exit 0 if every row went in, 1 if rows were refused
    (or skipped), 2 if the file could not be read."""
    try:
        report = import_catalog(db, args.file, skip_bad=args.skip_bad)
    except CatalogFileError as error:
        print(error)
        return EXIT_UNUSABLE
    _print_report(report)
    return EXIT_BAD_ROWS if report.errors else EXIT_OK
