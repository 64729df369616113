"""Errors the mall answers with, each as an ErrorBody: a code, a sentence and details.

MallError subclasses FastAPI's HTTPException so that it also passes through FastAPI's body
reading untouched (other exceptions raised there would become a vague 400).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.protocol import ErrorBody


class MallError(HTTPException):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(status_code=status, detail=message)
        self.code = code
        self.message = message
        self.extra = extra
        self.auth_challenge = status == 401


class NotFound(MallError):
    def __init__(self, message: str) -> None:
        super().__init__(404, "not_found", message)


class Forbidden(MallError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(403, code, message)


class Unauthorized(MallError):
    def __init__(self, message: str) -> None:
        super().__init__(401, "unauthorized", message)


class SeqGap(MallError):
    def __init__(self, expected_seq: int) -> None:
        super().__init__(
            409,
            "seq_gap",
            f"events are missing before this batch; resend from device_seq {expected_seq}",
            expected_seq=expected_seq,
        )


class Invalid(MallError):
    """A request that is well-formed but says something its sender may not say (400)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(400, code, message)


class Refused(MallError):
    """A request that contradicts the state of the data (409)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(409, code, message)


def _respond(status: int, body: ErrorBody, challenge: bool = False) -> JSONResponse:
    headers = {"WWW-Authenticate": "Device"} if challenge else None
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def _validation_errors(errors: Any) -> list[dict[str, Any]]:
    """The location, type and message of each error, never the (maybe huge) input echoed back."""
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "type": str(error.get("type", ""))[:64],
            "msg": str(error.get("msg", ""))[:300],
        }
        for error in list(errors)[:20]
    ]


CUSTOMER_PATH = "/customer/"
_CUSTOMER_TEXT = {  # what a customer reads instead of the developer's sentence
    "invalid_request": "请求内容有误，请刷新后重试",
    "database_busy": "商城繁忙，请稍后再试",
    "concurrent_change": "数据刚刚有变化，请重试",
}


def _for_customer(request: Request, body: ErrorBody) -> ErrorBody:
    """On the customer API, the message of a generic error in Chinese."""
    text = _CUSTOMER_TEXT.get(body.code)
    if text is None or not request.url.path.startswith(CUSTOMER_PATH):
        return body
    return body.model_copy(update={"message": text})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MallError)
    async def on_mall_error(_request: Request, error: MallError) -> JSONResponse:
        body = ErrorBody(code=error.code, message=error.message, **error.extra)
        return _respond(error.status_code, body, error.auth_challenge)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        body = ErrorBody(
            code="invalid_request",
            message="the request does not match the API schema; see errors",
            errors=_validation_errors(error.errors()),
        )
        return _respond(422, _for_customer(request, body))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        body = ErrorBody(code=f"http_{error.status_code}", message=str(error.detail)[:500])
        return _respond(error.status_code, body)

    @app.exception_handler(OperationalError)
    async def on_busy(request: Request, _error: OperationalError) -> JSONResponse:
        body = ErrorBody(code="database_busy", message="the database is busy; try again shortly")
        return _respond(503, _for_customer(request, body))

    @app.exception_handler(IntegrityError)
    async def on_race(request: Request, _error: IntegrityError) -> JSONResponse:
        body = ErrorBody(code="concurrent_change", message="the data changed meanwhile; try again")
        return _respond(409, _for_customer(request, body))
