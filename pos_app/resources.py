"""Files of the top-level resources/ folder (icons), found the same way in a source checkout and
in the PyInstaller bundle (which unpacks them beside the code, under sys._MEIPASS)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1])) / "resources"
APP_ICON = ROOT / "icons" / "app.png"
