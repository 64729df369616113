"""The shop owner's back office: figures with charts, receiving, stocktake, stock, products.

The main window opens BackOfficeWindow(db, manager) behind a manager log-in;
capture_backoffice(db, out_dir) renders it to PNG for review.
"""

from __future__ import annotations

from pos_app.ui.backoffice.capture import capture_backoffice
from pos_app.ui.backoffice.window import BackOfficeWindow

__all__ = ["BackOfficeWindow", "capture_backoffice"]
