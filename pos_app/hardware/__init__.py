"""Printers and other till hardware: ESC/POS receipts and labels, connections, the print queue.

Nothing here imports Qt; the UI reaches it through the print queue and small adapters.

Importing this package points python-escpos' printer-database cache at our cache directory: left
alone, python-escpos creates a new temporary directory on every start and parses its YAML
printer database again (about 0.1 s).
"""

from __future__ import annotations

import os

from pos_app.config import cache_dir

if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    _cache = cache_dir() / "escpos"
    _cache.mkdir(parents=True, exist_ok=True)
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_cache)
