"""Request bodies for the sync API: size-limited, optionally gzip-compressed JSON.

A body larger than the limit as sent, or larger than the inflated limit after gunzip (a zip bomb),
is refused with 413 before it is parsed; a broken gzip stream is a 400.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from mall.errors import MallError

BODY_LIMITS_KEY = "pos_mall.body_limits"  # app.state attribute: (max_body_bytes, max_inflated)


def client_ip(request: Request) -> str:
    """The peer's address (a configured proxy's X-Forwarded-For already applied by uvicorn)."""
    return request.client.host if request.client is not None else "unknown"


class TooLarge(MallError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "body_too_large", f"the request body is larger than {limit} bytes")


def gunzip_limited(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as error:
        raise MallError(400, "bad_gzip", f"the gzip body cannot be decoded: {error}") from None
    if len(out) > limit:
        raise TooLarge(limit)
    if not inflater.eof:
        raise MallError(400, "bad_gzip", "the gzip body is truncated")
    return out


class LimitedRequest(Request):
    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            max_body, max_inflated = getattr(self.app.state, BODY_LIMITS_KEY)
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_body:
                raise TooLarge(max_body)
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > max_body:
                    raise TooLarge(max_body)
                chunks.append(chunk)
            body = b"".join(chunks)
            encoding = self.headers.get("content-encoding", "identity").strip().lower()
            if encoding == "gzip":
                body = gunzip_limited(body, max_inflated)
            elif encoding not in ("", "identity"):
                raise MallError(415, "unsupported_encoding", f"Content-Encoding {encoding!r}")
            self._body = body
        return self._body


class LimitedRoute(APIRoute):
    """An APIRoute whose handlers see a LimitedRequest."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited_handler(request: Request) -> Response:
            return await handler(LimitedRequest(request.scope, request.receive))

        return limited_handler
