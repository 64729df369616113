"""The support bundle (诊断包): one zip a shop owner sends when something goes wrong.

It holds the log files, the versions of everything that matters, the till's settings without
secrets, the machine config file, the journal check's result, the sync and print queue figures
and the list of backups; never the database itself, PIN hashes, device secrets or keys.
"""

from __future__ import annotations

import json
import platform
import sys
import zipfile
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from pos_app import __version__
from pos_app.logs import log_dir_for, redact
from pos_app.store.db import Database
from pos_app.store.journal import verify_journal
from pos_app.store.models import PrintJob, Setting
from pos_app.store.outbox import count_pending

PACKAGES = ("PySide6", "SQLAlchemy", "alembic", "python-escpos", "requests", "pydantic")
SECRET_WORDS = ("key", "secret", "token", "pin", "password")


def _versions() -> dict[str, str]:
    versions = {
        "mendiantong-pos": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "frozen": str(getattr(sys, "frozen", False)),
    }
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "?"
    return versions


def _settings(db: Database) -> dict[str, Any]:
    with db.read() as session:
        rows = session.execute(select(Setting.key, Setting.value)).all()
    return {
        key: "***" if any(word in key for word in SECRET_WORDS) else json.loads(value)
        for key, value in rows
    }


def _figures(db: Database) -> dict[str, Any]:
    with db.read() as session:
        problems = verify_journal(session)
        pending = count_pending(session)
        by_status = select(PrintJob.status, func.count()).group_by(PrintJob.status)
        jobs = {status: count for status, count in session.execute(by_status)}
    return {
        "journal": "intact" if not problems else [f"#{p.seq}: {p.message}" for p in problems],
        "outbox_pending": pending,
        "print_jobs": jobs,
    }


def write_support_bundle(db: Database, out: Path, config_file: Path | None = None) -> Path:
    """Write the bundle to `out` (a .zip) and return its path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    data_dir = db.path.parent
    report = {
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "database": str(db.path),
        "versions": _versions(),
        "settings": _settings(db),
        **_figures(db),
        "backups": sorted(p.name for p in (data_dir / "backups").glob("*.db")),
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("report.json", json.dumps(report, ensure_ascii=False, indent=2))
        for log in sorted(log_dir_for(db.path).glob("till.log*")):
            bundle.write(log, f"logs/{log.name}")
        if config_file is not None and config_file.exists():
            bundle.writestr("config.toml", redact(config_file.read_text(encoding="utf-8")))
    return out
