"""The setup scripts behind `make run` / `make test`: the throwaway PostgreSQL cluster is
stopped and removed when the tests end, pass or fail, and a missing system package fails the
setup loudly instead of carrying on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"

PROBE = """
import os, sys, psycopg
url = os.environ["POS_TEST_PG_URL"]
with psycopg.connect(url, connect_timeout=5) as connection:
    connection.execute("SELECT 1")
print(url)
sys.exit(3)
"""


@pytest.mark.skipif(
    not list(Path("/usr/lib/postgresql").glob("*/bin")), reason="PostgreSQL is not installed"
)
def test_the_test_cluster_is_stopped_and_removed_even_when_the_tests_fail() -> None:
    result = subprocess.run(
        ["bash", str(SCRIPTS / "with-postgres.sh"), sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr  # the command's own status
    url = result.stdout.strip()
    folder = result.stderr.split("PostgreSQL cluster in ")[1].split()[0]
    assert not Path(folder).exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=3)


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a Debian system")
def test_a_missing_package_fails_the_setup_and_is_named() -> None:
    command = ["bash", str(SCRIPTS / "system-deps.sh"), "bash", "no-such-package-pos-test"]
    if os.geteuid() == 0:  # as root it would try to install: ask as an ordinary user
        command = ["runuser", "-u", "nobody", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no-such-package-pos-test" in result.stderr
    assert "bash" not in result.stderr.split(":", 1)[1]  # installed ones are not listed
