"""What every response and every browser form post of the mall goes through (one ASGI
middleware, outside FastAPI's routing):

- security headers: a strict Content-Security-Policy (pages add their script nonce; nothing
  may frame the mall), nosniff, a Referer only to the mall itself, and HSTS over https;
- a form POST to the H5 pages from another site (Origin or Referer naming another host) is
  refused with 403 before it is read: no login CSRF, no framed or cross-site claim or logout;
- an access log line per request with receipt tokens and query strings left out (a token is a
  bearer secret for 30 days, a query may carry the member's location).
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import API_PREFIX

log = logging.getLogger("mall.access")

DEFAULT_CSP = (
    "default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make Origin "null"
    (b"x-frame-options", b"DENY"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")
_TOKEN_PATH = re.compile(r"^/r/[^/]+")
_FORBIDDEN_BODY = (
    "<!doctype html><meta charset='utf-8'><title>请求被拒绝</title>"
    "<p>这个请求来自其他网站，已被拒绝。请在门店通商城页面内操作。</p>"
).encode()


def page_csp(nonce: str) -> str:
    """The policy of an H5 page whose only script carries this nonce."""
    return DEFAULT_CSP.replace(
        "default-src 'none';", f"default-src 'none'; script-src 'nonce-{nonce}';"
    )


def redacted_path(path: str) -> str:
    """The path as it may be logged: /r/<token> becomes /r/…"""
    return _TOKEN_PATH.sub("/r/…", path)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cross_site(scope: Scope) -> bool:
    """A browser form post whose Origin (or Referer) is not this host."""
    host = _header(scope, b"host") or ""
    source = _header(scope, b"origin") or _header(scope, b"referer")
    if source is None:
        return False  # not sent by a browser form (browsers send Origin on every POST)
    return source == "null" or urlsplit(source).netloc.lower() != host.lower()


class WebGuards:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers: list[Any] = list(message.get("headers", []))
                names = {key.lower() for key, _ in headers}
                headers += [pair for pair in HEADERS if pair[0] not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", DEFAULT_CSP.encode()))
                if https:
                    headers.append(HSTS)
                message = {**message, "headers": headers}
            await send(message)

        try:
            is_form_post = scope["method"] == "POST" and not scope["path"].startswith(API_PREFIX)
            if is_form_post and _cross_site(scope):
                await send_with_headers(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [(b"content-type", b"text/html; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": _FORBIDDEN_BODY})
                return
            await self.app(scope, receive, send_with_headers)
        finally:
            log.info(
                "%s %s %d %.1f ms",
                scope["method"],
                redacted_path(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
            )
