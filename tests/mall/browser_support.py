"""Headless Chromium (the system's, through Playwright) for the H5 page tests: a phone-sized
page that records every URL it loads, screenshots for a person to look at under out/, the SMS
log-in, and reading a QR code off the screen."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from tests.sync.member_helpers import CodeBox

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

OUT = Path(__file__).resolve().parents[2] / "out"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def phone_page(
    browser: Any, base_url: str, size: dict[str, int], *, latitude: float, longitude: float
) -> Iterator[Any]:
    """A fresh phone-sized page (its own cookies) standing at (latitude, longitude); when the
    test is done, every request it made must have stayed on the mall (no CDN)."""
    context = browser.new_context(
        viewport=size,
        device_scale_factor=2,
        locale="zh-CN",
        is_mobile=True,
        geolocation={"latitude": latitude, "longitude": longitude},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.loaded = []
    page.on("request", lambda request: page.loaded.append(request.url))
    yield page
    assert all(url.startswith(base_url) for url in page.loaded), page.loaded
    context.close()


def screenshot(page: Any, folder: str, name: str) -> Path:
    shots = OUT / folder
    shots.mkdir(parents=True, exist_ok=True)
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Any, sms: CodeBox, phone_number: str) -> None:
    """The H5 log-in form on screen: phone number, then the code the SMS box received."""
    page.fill("#phone", phone_number)
    page.click("#login button")
    page.fill("#code", sms.codes[phone_number])
    page.click("#verify button")


def qr_text(page: Any, selector: str) -> str:
    image = Image.open(io.BytesIO(page.locator(selector).screenshot()))
    found = zxingcpp.read_barcodes(image.convert("L"))
    assert found, f"the QR code {selector} does not scan"
    return found[0].text
