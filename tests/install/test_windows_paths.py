"""The code paths a Windows till takes, each exercised here: machine-wide data dirs, printer
URIs with drive letters and Windows queues, plain-file printing without select(), fonts found
through the system rather than fixed paths, and time zones from the tzdata package."""

from __future__ import annotations

import sys
import tomllib
import zoneinfo
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path, PureWindowsPath

import pytest
from PIL import ImageFont

from pos_app.config import APP_NAME, config_file, default_data_dir, load_config
from pos_app.hardware import fonts
from pos_app.hardware.connections import PrinterUnsupported
from pos_app.hardware.file_printer import FileConnection, file_path
from pos_app.hardware.printer_uri import open_printer

ROOT = Path(__file__).resolve().parents[2]


def test_a_windows_till_keeps_its_data_machine_wide_without_a_doubled_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """C:\\ProgramData\\mendiantong-pos, shared by every Windows account; not
    %LOCALAPPDATA%\\mendiantong-pos\\mendiantong-pos."""
    monkeypatch.setenv("WIN_PD_OVERRIDE_COMMON_APPDATA", "C:\\ProgramData")
    data = PureWindowsPath(str(default_data_dir("win32")))
    assert data.parts == ("C:\\", "ProgramData", APP_NAME)
    assert PureWindowsPath(str(config_file("win32"))).parts == (
        "C:\\",
        "ProgramData",
        APP_NAME,
        "config.toml",
    )


def test_on_linux_the_data_dir_is_the_users_with_the_name_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_data_dir("linux") == tmp_path / APP_NAME


def test_settings_file_sets_log_level_and_backups(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("POS_DATA_DIR", str(tmp_path))
    (tmp_path / "config.toml").write_text(
        'log_level = "debug"\nbackups_kept = 3\nbackup_mirror = "E:\\\\备份"\n', encoding="utf-8"
    )
    config = load_config()
    assert (config.log_level, config.backups_kept) == ("DEBUG", 3)
    assert str(config.backup_mirror) == "E:\\备份"
    assert config.db_path == tmp_path / "till.db"


@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("file:///dev/usb/lp0", "/dev/usb/lp0"),
        ("file:///C:/pos/receipts.bin", "C:/pos/receipts.bin"),
        ("file://C:\\pos\\receipts.bin", "C:\\pos\\receipts.bin"),
        ("file://C:/pos/receipts.bin", "C:/pos/receipts.bin"),
        ("file:///D:/%E5%B0%8F%E7%A5%A8.bin", "D:/小票.bin"),
        ("file://localhost/tmp/x.bin", "/tmp/x.bin"),
    ],
)
def test_file_uris_keep_their_drive_letter(uri: str, path: str) -> None:
    assert file_path(uri) == path


@pytest.fixture
def no_select(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """select() on a file handle fails on Windows; here it is made unavailable altogether."""
    monkeypatch.setitem(sys.modules, "select", None)
    yield


def test_a_plain_file_printer_is_written_without_select(no_select: None, tmp_path: Path) -> None:
    target = tmp_path / "receipts.bin"
    for job in (b"\x1b@first", b"\x1b@second"):
        with open_printer(f"file://{target}") as connection:
            assert isinstance(connection, FileConnection) and not connection.is_device
            connection.write(job)
    assert target.read_bytes() == b"\x1b@first\x1b@second"


def test_a_windows_queue_is_refused_with_a_reason_off_windows() -> None:
    with pytest.raises(PrinterUnsupported, match="not Windows"):
        open_printer("win32://XP-58%20Printer")


def test_a_windows_queue_goes_through_escpos_win32raw_on_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On Windows the queue opens through python-escpos' Win32Raw, which needs pywin32
    (a Windows-only dependency): without it the cashier is told what is missing."""
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(PrinterUnsupported, match="pywin32"):
        open_printer("win32://XP-58")


def test_pywin32_and_tzdata_are_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dependencies = project["dependencies"]
    assert any(dep.startswith("tzdata") for dep in dependencies)
    assert any(
        dep.startswith("pywin32") and "sys_platform == 'win32'" in dep for dep in dependencies
    )


def test_shanghai_time_works_without_a_system_time_zone_database() -> None:
    """Windows has no /usr/share/zoneinfo: ZoneInfo must come from the tzdata package."""
    zoneinfo.reset_tzpath(to=[])
    zoneinfo.ZoneInfo.clear_cache()
    try:
        zone = zoneinfo.ZoneInfo("Asia/Shanghai")
        assert zone.utcoffset(datetime(2026, 12, 1)) == timedelta(hours=8)
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()


def test_the_preview_font_is_found_through_fontconfig() -> None:
    fonts.cjk_font_file.cache_clear()
    file, index = fonts.cjk_font_file(bold=False, mono=True)
    assert ImageFont.truetype(file, 24, index=index).getname()[0] == "Noto Sans Mono CJK SC"
    assert fonts.cjk_font(24).getbbox("中")[2] > 0


def test_without_fontconfig_the_windows_font_folder_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No fc-match (Windows): the face comes from %WINDIR%\\Fonts, chosen by family name."""
    noto, _ = fonts.cjk_font_file(bold=False, mono=True)
    (tmp_path / "Fonts").mkdir()
    (tmp_path / "Fonts" / "simsun.ttc").symlink_to(noto)
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-match on it
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.setitem(fonts.WINDOWS_FACES, (False, True), (("simsun.ttc", "Noto Sans CJK JP"),))
    fonts.cjk_font_file.cache_clear()
    try:
        file, index = fonts.cjk_font_file(bold=False, mono=True)
        assert file == str(tmp_path / "Fonts" / "simsun.ttc")
        assert ImageFont.truetype(file, 24, index=index).getname()[0] == "Noto Sans CJK JP"
        monkeypatch.setenv("WINDIR", str(tmp_path / "nowhere"))
        fonts.cjk_font_file.cache_clear()
        with pytest.raises(fonts.FontMissing, match="微软雅黑"):
            fonts.cjk_font_file(bold=False, mono=True)
    finally:
        fonts.cjk_font_file.cache_clear()
