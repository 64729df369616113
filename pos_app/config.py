"""Where the till keeps its files, with an optional TOML file for machine-level choices (database
path, local mall port, log level, backup folders).

A till is a machine, not a person: on Windows its data lives machine-wide under
C:\\ProgramData\\mendiantong-pos (every cashier's Windows account sees the same sales), never per
user and never with the name doubled (platformdirs adds an "author" folder unless told not to).
On Linux and macOS the till runs as one desktop user, so the user data dir is the right place.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from platformdirs.api import PlatformDirsABC

APP_NAME = "mendiantong-pos"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class AppConfig:
    data_dir: Path
    db_path: Path
    mall_port: int
    log_level: str = "INFO"
    backups_kept: int = 14
    backup_mirror: Path | None = None  # a second folder (USB stick, network share) for backups

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"


def till_dirs(platform: str = sys.platform) -> PlatformDirsABC:
    """The platform's folders for this app; machine-wide on Windows."""
    if platform == "win32":
        from platformdirs.windows import Windows

        return Windows(APP_NAME, appauthor=False)
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, appauthor=False)


def default_data_dir(platform: str = sys.platform) -> Path:
    dirs = till_dirs(platform)
    return Path(dirs.site_data_dir if platform == "win32" else dirs.user_data_dir)


def config_file(platform: str = sys.platform) -> Path:
    """config.toml: beside the data on Windows (ProgramData), the user config dir elsewhere."""
    dirs = till_dirs(platform)
    folder = dirs.site_config_dir if platform == "win32" else dirs.user_config_dir
    return Path(folder) / "config.toml"


def cache_dir() -> Path:
    return Path(till_dirs().user_cache_dir)


def load_config() -> AppConfig:
    """Defaults, overridden by config.toml, overridden by POS_DATA_DIR (used by tests/benches)."""
    env_dir = os.environ.get("POS_DATA_DIR")
    data_dir = Path(env_dir) if env_dir else default_data_dir()
    values: dict[str, object] = {}
    path = data_dir / "config.toml" if env_dir else config_file()
    if path.exists():
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    level = str(values.get("log_level", "INFO")).upper()
    mirror = values.get("backup_mirror")
    return AppConfig(
        data_dir=data_dir,
        db_path=Path(str(values.get("db_path", data_dir / "till.db"))),
        mall_port=int(str(values.get("mall_port", 8700))),
        log_level=level if level in LOG_LEVELS else "INFO",
        backups_kept=max(1, int(str(values.get("backups_kept", 14)))),
        backup_mirror=Path(str(mirror)) if mirror else None,
    )
