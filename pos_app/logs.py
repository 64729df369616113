"""The till's log: rotating files in the data dir (logs/till.log), at the level the settings
file asks for, with secrets masked.

A packaged till on Windows has no console, so the log file is the only record a shop can send
when something goes wrong: uncaught exceptions on any thread and Qt's own warnings go there too.
A PIN, password, device secret or token must never reach it, whoever wrote the log call: a filter
formatter masks `name=value` pairs with such names, in the message and in tracebacks.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path
from types import TracebackType

LOG_FILE = "till.log"
MAX_BYTES = 2_000_000
FILES_KEPT = 5
FORMAT = "%(asctime)s %(levelname)s [%(processName)s/%(threadName)s] %(name)s: %(message)s"
_SECRET = re.compile(
    r"(?i)\b(pin|password|passwd|secret|device_secret|token|api_key|key|authorization|"
    r"pairing_code|code)(\"?'?\s*[:=]\s*\"?'?)(bearer\s+)?([^\s,;'\"}&]+)"
)
_MASK = r"\1\2\3***"
_OURS = "pos_app.logs"  # the name our handlers carry, so setup can replace them


class RedactingFormatter(logging.Formatter):
    """Masks secrets in the finished line, arguments and traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def redact(text: str) -> str:
    return _SECRET.sub(_MASK, text)


def log_dir_for(db_path: Path) -> Path:
    """Logs live beside the database they are about (the data dir)."""
    return db_path.parent / "logs"


def setup_logging(log_dir: Path, level: str = "INFO") -> Path:
    """Send every logger's records at `level` and above to log_dir/till.log (rotated at 2 MB,
    five files kept); replaces a previous setup. Returns the log file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _OURS]:
        root.removeHandler(handler)
        handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=FILES_KEPT, encoding="utf-8", delay=True
    )
    handler.set_name(_OURS)
    handler.setFormatter(RedactingFormatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))  # chatty at INFO
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_exception
    return path


def _log_uncaught(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    logging.getLogger("pos_app").critical("uncaught exception", exc_info=(kind, error, tb))
    sys.__excepthook__(kind, error, tb)


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread else "?"
    logging.getLogger("pos_app").critical(
        "uncaught exception in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
