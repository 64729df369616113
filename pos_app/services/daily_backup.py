"""The running till's automatic backup: once a day, on a background thread, while it sells.

The first check waits a minute after start (the till starts first), then one check an hour
makes a backup when the newest one is a day old. A backup that fails is logged and retried
the next hour; the cashier is never interrupted.
"""

from __future__ import annotations

import logging
import threading

from pos_app.config import AppConfig
from pos_app.store.backup import BackupError, backup_database, newest_backup_age_s
from pos_app.store.db import Database

log = logging.getLogger(__name__)
FIRST_CHECK_S = 60.0
CHECK_EVERY_S = 3600.0
DAY_S = 24 * 3600.0
STOP_WAIT_S = 30.0


class DailyBackup:
    def __init__(self, db: Database, config: AppConfig, *, first_check_s: float = FIRST_CHECK_S):
        self.db = db
        self.config = config
        self.first_check_s = first_check_s
        self.folder = db.path.parent / "backups"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="daily-backup", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Lets a backup in progress finish (a killed one leaves only a .partial file)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(STOP_WAIT_S)

    def due(self) -> bool:
        age = newest_backup_age_s(self.folder)
        return age is None or age >= DAY_S

    def _run(self) -> None:
        wait = self.first_check_s
        while not self._stop.wait(wait):
            wait = CHECK_EVERY_S
            if not self.due():
                continue
            try:
                path = backup_database(
                    self.db.path,
                    self.folder,
                    reason="daily",
                    keep=self.config.backups_kept,
                    mirror=self.config.backup_mirror,
                )
            except (BackupError, OSError) as error:
                log.error("daily backup failed: %s", error)
            else:
                log.info("daily backup written: %s", path)
