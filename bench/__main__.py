"""Dispatcher: `python -m bench checkout --skus 1000000` runs bench.checkout.main(argv)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        m.name.replace("_", "-")
        for m in pkgutil.iter_modules([str(here)])
        if not m.name.startswith("_") and m.name != "common"
    )


def cache_bytecode() -> None:
    """Measure the till as it runs on a shop's machine: its modules' bytecode is cached there
    (pip and the installer compile it). A development shell with PYTHONDONTWRITEBYTECODE set
    would make every `pos` process the benchmarks start compile ~160 modules again (~0.3 s)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in available():
        print(f"usage: python -m bench NAME [options]; NAME is one of {', '.join(available())}")
        return 2
    cache_bytecode()
    module = importlib.import_module(f"bench.{argv[0].replace('-', '_')}")
    return int(module.main(argv[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
