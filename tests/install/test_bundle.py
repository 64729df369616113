"""The packaged till, built and smoke-tested (python -m bench packaging): slow (a PyInstaller
build takes minutes), so it runs only with POS_TEST_BUNDLE=1, e.g.

    POS_TEST_BUNDLE=1 pytest tests/install/test_bundle.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.skipif(os.environ.get("POS_TEST_BUNDLE") != "1", reason="set POS_TEST_BUNDLE=1")
def test_the_bundle_builds_sells_prints_reports_and_quits(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "packaging", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    assert "smoke passed" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    figures = {line["metric"]: line["value"] for line in lines}
    assert figures["bundle_dev_packages"] == 0
    assert figures["bundle_size"] > 0
