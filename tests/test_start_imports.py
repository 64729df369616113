"""The till's start path loads only what each stage needs. Its first screen (the log-in page)
comes before the database layer and the sale screen (ui/app.py); the main window, then, before
the sync contract's models (pydantic), the HTTP client, cryptography, the imaging library and
the search tables, which load after its first paint (pos_app/services/warm_up.py, the sync
worker's thread, the first call to the mall, the first label). Checked in a fresh interpreter,
as a till starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pos_app.store.db import Database
from sync.credentials import DeviceCredentials, save_credentials

FIRST_SCREEN_PATH = ("pos_app.cli.main", "pos_app.launcher", "pos_app.ui.app")
START_PATH = (*FIRST_SCREEN_PATH, "pos_app.ui.till_window")
LOADED_AFTER_THE_FIRST_SCREEN = (
    "sqlalchemy",
    "alembic",
    "pos_app.store.db",
    "pos_app.ui.main_window",
    "pos_app.ui.sale_screen",
)
LOADED_LATER = (
    "pydantic",
    "requests",
    "cryptography",
    "pypinyin",
    "PIL",
    "qrcode",
    "sync.engine",
    "mall",
)


PAIRED_WINDOW = """
import json, sys
from pathlib import Path
from pos_app.services.writer import Writer
from pos_app.store.db import Database
from pos_app.ui.app import make_application
from pos_app.ui.till_window import build_window
from pos_app.ui.till import bootstrap

app = make_application()
writer = Writer()
till = bootstrap(Database(Path(sys.argv[1])), writer, sync_engine=lambda: None)
window = build_window(till)
window.show()
app.processEvents()
print(json.dumps(sorted(sys.modules)))
window.dispose()
writer.close()
"""


def loaded_modules(script: str, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after running script."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def modules_after_importing(names: tuple[str, ...]) -> set[str]:
    return loaded_modules(
        f"import json, sys\nfor name in {names!r}:\n    __import__(name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )


def test_the_first_screen_comes_before_the_database_layer_and_the_sale_screen():
    loaded = modules_after_importing(FIRST_SCREEN_PATH)
    assert "pos_app.ui.first_screen" in loaded  # the check looks at the real start path
    later = (*LOADED_AFTER_THE_FIRST_SCREEN, *LOADED_LATER)
    assert sorted(name for name in later if name in loaded) == []


def test_the_start_path_imports_nothing_the_first_screen_does_not_need():
    loaded = modules_after_importing(START_PATH)
    assert "pos_app.ui.main_window" in loaded  # the check looks at the real start path
    assert sorted(name for name in LOADED_LATER if name in loaded) == []


def test_a_paired_till_shows_its_first_screen_without_the_http_client_or_the_contract(
    db: Database,
):
    """Its payment gateway, member directory and sync make their mall client at first use."""
    credentials = DeviceCredentials(
        "http://127.0.0.1:9", "device-1", "S001", "Demo store", "2026-12-08T00:00:00", "secret"
    )
    save_credentials(db.path.parent, credentials)
    loaded = loaded_modules(PAIRED_WINDOW, str(db.path))
    assert "pos_app.ui.sync_bridge" in loaded  # the till was paired: sync is in the window
    assert sorted(name for name in LOADED_LATER if name in loaded) == []


def test_the_warm_up_loads_the_contract_the_first_sale_needs():
    assert "pydantic" not in modules_after_importing(("pos_app.services.warm_up",))
    loaded = loaded_modules(
        "from pos_app.services.warm_up import warm_up\nwarm_up()\n"
        "import json, sys\nprint(json.dumps(sorted(sys.modules)))"
    )
    assert {"sync.protocol", "pypinyin"} <= loaded
