"""Printers and other till hardware: ESC/POS receipts and labels, connections, the print queue.

Nothing here imports Qt; the UI reaches it through the print queue and small adapters.

Importing this package points python-escpos' printer-database cache at our cache directory: left
alone, python-escpos creates a new temporary directory on every start and parses its YAML
printer database again (about 0.1 s).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir

from pos_app.config import APP_NAME

if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    _cache = Path(user_cache_dir(APP_NAME)) / "escpos"
    _cache.mkdir(parents=True, exist_ok=True)
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_cache)
