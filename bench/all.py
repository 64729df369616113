"""all: every benchmark at one catalog size, each in its own process (so a Qt application or a
loaded dictionary in one does not flatter or burden the next), their figures gathered into one
JSON file. `python -m bench all --skus 1000000 --out bench/data/results.json`."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.common import DATA_DIR

SIZED = {"--skus"}  # benchmarks whose parser takes --skus get the run's size
NOT_IN_ALL = {"all", "packaging"}  # itself, and the installer bundle's own bench


def _takes_skus(name: str) -> bool:
    source = (Path(__file__).parent / f"{name.replace('-', '_')}.py").read_text("utf-8")
    return any(f'"{option}"' in source for option in SIZED)


def run_one(name: str, skus: int, extra: list[str]) -> dict[str, object]:
    """One benchmark's figures (its JSON lines) and how it ended."""
    command = [sys.executable, "-m", "bench", name, *extra]
    if _takes_skus(name):
        command += ["--skus", str(skus)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    figures = []
    for line in done.stdout.splitlines():
        try:
            figures.append(json.loads(line))
        except ValueError:
            continue
    return {
        "command": command[2:],
        "exit_code": done.returncode,
        "seconds": round(time.perf_counter() - started, 1),
        "figures": figures,
        "errors": done.stderr[-2000:] if done.returncode else "",
    }


def main(argv: list[str]) -> int:
    from bench.__main__ import available

    parser = argparse.ArgumentParser(prog="python -m bench all")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=DATA_DIR / "results.json")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args(argv)
    names = args.only or [name for name in available() if name not in NOT_IN_ALL]
    results = {}
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results[name] = run_one(name, args.skus, [])
        for figure in results[name]["figures"]:  # type: ignore[attr-defined]
            print(json.dumps({"bench": name, **figure}), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"skus": args.skus, "results": results}, ensure_ascii=False, indent=1), "utf-8"
    )
    print(f"wrote {args.out}", file=sys.stderr)
    return 0 if all(result["exit_code"] == 0 for result in results.values()) else 1
