"""The till's log file: written by every `pos` command into the data dir, at the configured
level, rotated, with uncaught errors in it and secrets masked."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app import logs
from pos_app.cli import main


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """setup_logging changes process-wide state; put it back after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = (sys.excepthook, threading.excepthook)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


def test_a_pos_command_logs_into_the_data_dir(tmp_path: Path) -> None:
    assert main(["--db", str(tmp_path / "till.db"), "verify-journal"]) == 0
    text = (tmp_path / "logs" / "till.log").read_text(encoding="utf-8")
    assert "pos 0.1.0 verify-journal" in text


def test_the_level_comes_from_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POS_DATA_DIR", str(tmp_path))
    (tmp_path / "config.toml").write_text('log_level = "WARNING"\n', encoding="utf-8")
    assert main(["verify-journal"]) == 0
    logging.getLogger("pos_app.test").warning("paper low")
    text = (tmp_path / "logs" / "till.log").read_text(encoding="utf-8")
    assert "paper low" in text and "verify-journal" not in text


@pytest.mark.parametrize(
    "message",
    [
        "login pin=1234 failed",
        "pairing_code: 48213-99127 used",
        'body {"device_secret": "8f3a9c0e5b7d4f21a6c3"}',
        "Authorization: Bearer 8f3a9c0e5b7d4f21a6c3",
        "payment code=134567890123456789 declined",
    ],
)
def test_secrets_never_reach_the_log(tmp_path: Path, message: str) -> None:
    path = logs.setup_logging(tmp_path)
    logging.getLogger("pos_app.test").info(message)
    text = path.read_text(encoding="utf-8")
    for secret in ("1234", "48213-99127", "8f3a9c0e5b7d4f21a6c3", "134567890123456789"):
        assert secret not in text
    assert "***" in text


def test_a_secret_inside_an_exception_is_masked_too(tmp_path: Path) -> None:
    path = logs.setup_logging(tmp_path)
    try:
        raise ValueError("bad pin=9999")
    except ValueError:
        logging.getLogger("pos_app.test").exception("login failed")
    text = path.read_text(encoding="utf-8")
    assert "ValueError" in text and "9999" not in text


def test_an_uncaught_error_on_a_thread_lands_in_the_log(tmp_path: Path) -> None:
    """A windowed till has no console: the log is the only place such an error can go."""
    path = logs.setup_logging(tmp_path)

    def broken() -> None:
        raise RuntimeError("printer worker died")

    thread = threading.Thread(target=broken, name="print-worker")
    thread.start()
    thread.join()
    text = path.read_text(encoding="utf-8")
    assert "uncaught exception in thread print-worker" in text
    assert "RuntimeError: printer worker died" in text


def test_the_log_rotates_and_keeps_five_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup_logging(tmp_path)
    for n in range(400):
        logging.getLogger("pos_app.test").info("sale %05d rung", n)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["till.log", *(f"till.log.{n}" for n in range(1, logs.FILES_KEPT + 1))]
    assert "sale 00399 rung" in (tmp_path / "till.log").read_text(encoding="utf-8")
