"""The till's icon comes from the top-level resources/ folder, in a checkout as in the bundle."""

from __future__ import annotations

from pathlib import Path

from pos_app.resources import APP_ICON
from pos_app.ui.app import make_application

ROOT = Path(__file__).resolve().parents[2]


def test_the_application_and_its_windows_carry_the_app_icon() -> None:
    app = make_application()
    sizes = app.windowIcon().availableSizes()
    assert APP_ICON.is_relative_to(ROOT / "resources") and sizes and sizes[0].width() >= 64


def test_the_bundle_and_the_installer_take_the_icon_from_resources() -> None:
    spec = (ROOT / "packaging" / "pos.spec").read_text(encoding="utf-8")
    installer = (ROOT / "packaging" / "installer.iss").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in spec
    assert (ROOT / "resources" / "icons" / "app.ico").is_file()
    assert r"SetupIconFile=..\resources\icons\app.ico" in installer
