"""Where the till keeps its files: the platform's data and config dirs (platformdirs), with an
optional TOML file for machine-level choices (database path, local mall port)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "mendiantong-pos"


@dataclass(frozen=True)
class AppConfig:
    data_dir: Path
    db_path: Path
    mall_port: int


def config_file() -> Path:
    return Path(user_config_dir(APP_NAME)) / "config.toml"


def load_config() -> AppConfig:
    """Defaults, overridden by config.toml, overridden by POS_DATA_DIR (used by tests/benches)."""
    data_dir = Path(os.environ.get("POS_DATA_DIR") or user_data_dir(APP_NAME))
    values: dict[str, object] = {}
    path = config_file()
    if path.exists():
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    db_path = Path(str(values.get("db_path", data_dir / "till.db")))
    return AppConfig(
        data_dir=data_dir, db_path=db_path, mall_port=int(str(values.get("mall_port", 8700)))
    )
