"""What the till's first screen shows, read through sqlite3 before the database layer has loaded
(ui/first_screen.py, ui/app.py)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from pos_app.store.peek import COUNT_STAFF, open_readonly, scalar, settings_of


@dataclass(frozen=True)
class FirstView:
    """What the first screen shows, read through sqlite3."""

    language: str
    maximised: bool


def read_first_view(path: Path) -> FirstView | None:
    """None when there is no log-in page to show first: a till nobody has set up (no staff:
    the setup wizard comes first) or a file that cannot be read this way."""
    try:
        with closing(open_readonly(path)) as connection:
            if not scalar(connection, COUNT_STAFF, {}):
                return None
            settings = settings_of(connection, "language", "window_maximised")
    except sqlite3.Error:
        return None
    return FirstView(str(settings["language"]), bool(settings["window_maximised"]))
