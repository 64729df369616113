"""The till's start path loads only what its first screen needs: the sync contract's models
(pydantic), the HTTP client, cryptography and the search tables load after the first paint
(pos_app/services/warm_up.py, the sync worker's thread). Checked in a fresh interpreter, as a
till starts."""

from __future__ import annotations

import json
import subprocess
import sys

START_PATH = ("pos_app.cli.main", "pos_app.launcher", "pos_app.store.db", "pos_app.ui.app")
LOADED_LATER = ("pydantic", "requests", "cryptography", "pypinyin", "sync.engine", "mall")


def modules_after_importing(names: tuple[str, ...]) -> set[str]:
    script = (
        f"import json, sys\nfor name in {names!r}:\n    __import__(name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout))


def test_the_start_path_imports_nothing_the_first_screen_does_not_need():
    loaded = modules_after_importing(START_PATH)
    assert "pos_app.ui.main_window" in loaded  # the check looks at the real start path
    assert sorted(name for name in LOADED_LATER if name in loaded) == []


def test_the_warm_up_loads_the_contract_the_first_sale_needs():
    loaded = modules_after_importing(("pos_app.services.warm_up",))
    assert "pydantic" not in loaded
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from pos_app.services.warm_up import warm_up; warm_up()\n"
            "import sys; assert 'sync.protocol' in sys.modules and 'pypinyin' in sys.modules",
        ],
        check=True,
        timeout=120,
    )
