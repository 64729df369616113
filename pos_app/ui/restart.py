"""Restarting the till into a restored database: the restore screen asks for it, the event loop
ends with EXIT_RESTORE, run_gui() stops every worker as on any quit, and the launcher puts the
backup in place (store.backup.restore_database) and starts the till again on it.

The database is never replaced while the till has it open: the request only names the file.
"""

from __future__ import annotations

from pathlib import Path

from pos_app.ui.qt import QApplication

EXIT_RESTORE = 75
_PROPERTY = "pos_restore_from"


def request_restore(backup: Path) -> None:
    """Quit the event loop so that the launcher restores backup and starts the till again."""
    app = QApplication.instance()
    assert app is not None
    app.setProperty(_PROPERTY, str(backup))
    app.exit(EXIT_RESTORE)


def take_restore_request() -> Path | None:
    """The backup a restore screen asked for (once), or None."""
    app = QApplication.instance()
    if app is None:
        return None
    asked = app.property(_PROPERTY)
    app.setProperty(_PROPERTY, None)
    return Path(asked) if asked else None
