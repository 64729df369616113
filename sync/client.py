"""HTTP client of the mall's sync API: one requests.Session, timeouts on every call, TLS verified.

Bodies go out as gzip JSON. Calls that are safe to repeat (every GET, push because the mall
applies events idempotently, and hand-over because it answers a completed order again) are
retried a few times on connection failures and 5xx; pairing is never retried (its code is
one-time). The device secret lives only in the Authorization header and is never logged.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import socket
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, TypeAdapter, ValidationError

from sync.coupon_protocol import CouponHoldInfo, CouponHoldRequest
from sync.errors import SyncAuthError, SyncGap, SyncOffline, SyncRejected, SyncServerError
from sync.member_protocol import (
    ClaimedReceipts,
    HoldInfo,
    HoldRequest,
    MemberInfo,
    MemberLookup,
    MemberSignup,
)
from sync.payment_protocol import CreatePayment, CreateRefund, Payment, Refund
from sync.protocol import (
    API_PREFIX,
    ChangeFeedPage,
    HandoverRequest,
    Health,
    OnlineOrder,
    PairRequest,
    PairResponse,
    PointsRulesData,
    PromotionSetData,
    PushEvent,
    PushRequest,
    PushResponse,
    StockLevel,
)

log = logging.getLogger(__name__)
Model = TypeVar("Model")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
RETRY_STATUS = {500, 502, 503, 504}
PROBE_TIMEOUT_S = 1.0  # a TCP connect to the mall while offline
CONCURRENT_CHANGE = "concurrent_change"  # the mall rolled back a race: the same request may pass
AUTH_CODES = {"device_revoked", "pairing_code_invalid"}
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def check_base_url(base_url: str) -> str:
    """The URL without a trailing slash; plain http is allowed only to this machine."""
    parts = urlsplit(base_url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return base_url.rstrip("/")
    raise ValueError(f"the mall URL must be https:// (http only to localhost): {base_url!r}")


class _Retryable(Exception):
    def __init__(self, error: Exception) -> None:
        self.error = error


class MallClient:
    """Talks to one mall as one device. Runs on whichever thread calls it (the sync worker's)."""

    def __init__(
        self,
        base_url: str,
        *,
        device_id: str | None = None,
        device_secret: str | None = None,
        timeout_s: tuple[float, float] = (5.0, 30.0),
        retries: int = 2,
        ca_bundle: str | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.timeout_s = timeout_s
        self.retries = retries
        self.session = requests.Session()
        self.session.verify = ca_bundle or True
        self.session.headers["User-Agent"] = "mendiantong-pos-sync/1"
        if device_id and device_secret:
            self.session.headers["Authorization"] = f"Device {device_id}:{device_secret}"

    def close(self) -> None:
        self.session.close()

    # -- plumbing ---------------------------------------------------------------------------------

    def reachable(self, timeout_s: float = PROBE_TIMEOUT_S) -> bool:
        """Whether the mall's host accepts a TCP connection now (no request, no retries): a
        cheap probe while offline, so sync resumes the moment the network is back."""
        parts = urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname or "", port), timeout=timeout_s):
                return True
        except OSError:
            return False

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        url = f"{self.base_url}{API_PREFIX}{path}"
        headers = {}
        data = None
        if body is not None:
            data = gzip.compress(body.model_dump_json().encode(), compresslevel=5)
            headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        try:
            response = self.session.request(
                method,
                url,
                data=data,
                params=params,
                headers=headers,
                timeout=self.timeout_s,
                stream=stream,
            )
        except _TRANSIENT as error:
            raise _Retryable(
                SyncOffline(f"cannot reach the mall at {self.base_url}: {type(error).__name__}")
            ) from error
        if response.status_code < 400:
            return response
        raise self._error(response)

    def _error(self, response: requests.Response) -> Exception:
        try:
            body = response.json()
            code, message = str(body.get("code", "")), str(body.get("message", ""))
        except (ValueError, AttributeError):
            code, message = "", response.reason or ""
        status = response.status_code
        summary = f"mall answered {status} {code}: {message}".strip()
        if status == 401 or code in AUTH_CODES:
            return SyncAuthError(summary)
        if status == 409 and code == "seq_gap":
            return SyncGap(int(body["expected_seq"]))
        if status in RETRY_STATUS or (status == 409 and code == CONCURRENT_CHANGE):
            return _Retryable(SyncServerError(summary))
        return SyncRejected(summary, status=status, code=code)

    def _call(self, action: Callable[[], Model], *, retry: bool) -> Model:
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            try:
                return action()
            except _Retryable as failure:
                if attempt == attempts - 1:
                    raise failure.error from None
                log.info("sync call failed (%s); retrying", failure.error)
                time.sleep(0.2 * 2**attempt * random.uniform(0.5, 1.0))
        raise AssertionError("unreachable")

    def _json(
        self,
        method: str,
        path: str,
        model: Any,
        *,
        retry: bool,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        adapter = _adapter(model)

        def action() -> Any:
            response = self._send(method, path, body=body, params=params)
            try:
                return adapter.validate_json(response.content)
            except (ValidationError, ValueError) as error:
                raise _Retryable(
                    SyncServerError(f"the mall's answer to {path} is not valid: {str(error)[:200]}")
                ) from error
            except _TRANSIENT as error:  # the body was cut off while reading it
                raise _Retryable(SyncOffline(f"the mall's answer to {path} was cut off")) from error

        return self._call(action, retry=retry)

    # -- the API ----------------------------------------------------------------------------------

    def health(self) -> Health:
        return self._json("GET", "/health", Health, retry=True)

    def pair(self, code: str, *, till_id: str, device_name: str) -> PairResponse:
        """Retried like the other calls: a pairing the mall rolled back (busy, a race) left the
        code unused; one it committed makes a retry answer pairing_code_invalid, never pairs
        twice."""
        request = PairRequest(code=code.strip(), till_id=till_id, device_name=device_name)
        return self._json("POST", "/pair", PairResponse, retry=True, body=request)

    def push(self, events: list[PushEvent]) -> PushResponse:
        return self._json(
            "POST", "/sync/push", PushResponse, retry=True, body=PushRequest(events=events)
        )

    def changes(self, cursor: int, limit: int) -> ChangeFeedPage:
        return self._json(
            "GET",
            "/sync/changes",
            ChangeFeedPage,
            retry=True,
            params={"cursor": cursor, "limit": limit},
        )

    def promotions(self) -> PromotionSetData | None:
        """The chain's newest promotion rules (None: there are none yet)."""
        return self._json("GET", "/sync/promotions", PromotionSetData | None, retry=True)

    def stock(self, sku: str) -> StockLevel:
        return self._json(
            "GET", f"/stock/{requests.utils.quote(sku, safe='')}", StockLevel, retry=True
        )

    def orders(self, *, open_only: bool = True) -> list[OnlineOrder]:
        return self._json(
            "GET",
            "/orders",
            list[OnlineOrder],
            retry=True,
            params={"status": "open" if open_only else "all"},
        )

    def hand_over(self, order_id: str, pickup_code: str) -> OnlineOrder:
        return self._json(
            "POST",
            f"/orders/{order_id}/handover",
            OnlineOrder,
            retry=True,
            body=HandoverRequest(pickup_code=pickup_code),
        )

    # Payments: every call is safe to repeat (idempotency keys), so all of them are retried.

    def create_payment(self, request: CreatePayment) -> Payment:
        return self._json("POST", "/payments", Payment, retry=True, body=request)

    def find_payment(self, idempotency_key: str) -> Payment | None:
        found = self._json(
            "GET",
            "/payments",
            list[Payment],
            retry=True,
            params={"idempotency_key": idempotency_key},
        )
        return found[0] if found else None

    def payment(self, payment_id: str) -> Payment:
        return self._json("GET", f"/payments/{payment_id}", Payment, retry=True)

    def cancel_payment(self, payment_id: str) -> Payment:
        return self._json("POST", f"/payments/{payment_id}/cancel", Payment, retry=True)

    def refund_payment(self, payment_id: str, request: CreateRefund) -> Refund:
        return self._json(
            "POST", f"/payments/{payment_id}/refunds", Refund, retry=True, body=request
        )

    # Members: lookups only read, signup is keyed by phone, holds by request_id: all retried.

    def lookup_member(self, query: MemberLookup) -> MemberInfo:
        return self._json("POST", "/members/lookup", MemberInfo, retry=True, body=query)

    def signup_member(self, request: MemberSignup) -> MemberInfo:
        return self._json("POST", "/members/signup", MemberInfo, retry=True, body=request)

    def claimed_receipts(self, after: int) -> ClaimedReceipts:
        params = {"after": after}
        return self._json("GET", "/receipts/claimed", ClaimedReceipts, retry=True, params=params)

    def points_rules(self) -> PointsRulesData:
        return self._json("GET", "/members/rules", PointsRulesData, retry=True)

    def hold(self, request: HoldRequest) -> HoldInfo:
        return self._json("POST", "/members/holds", HoldInfo, retry=True, body=request)

    def release_hold(self, hold_id: str) -> HoldInfo:
        return self._json("POST", f"/members/holds/{hold_id}/release", HoldInfo, retry=True)

    # Coupons: a hold is keyed by request_id, a release is idempotent: both retried.

    def hold_coupon(self, request: CouponHoldRequest) -> CouponHoldInfo:
        return self._json("POST", "/coupons/holds", CouponHoldInfo, retry=True, body=request)

    def release_coupon(self, hold_id: str) -> CouponHoldInfo:
        return self._json("POST", f"/coupons/holds/{hold_id}/release", CouponHoldInfo, retry=True)

    @contextmanager
    def snapshot_lines(
        self, *, after: int = 0, seq: int | None = None, chunk_bytes: int = 1 << 16
    ) -> Iterator[Iterator[bytes]]:
        """The snapshot's NDJSON lines from product id `after` on, with a mark line after each
        chunk, decompressed as they arrive (not retried: resumable from the last mark)."""
        params: dict[str, Any] = {"after": after}
        if seq is not None:
            params["seq"] = seq
        response = self._call(
            lambda: self._send("GET", "/sync/snapshot", params=params, stream=True), retry=True
        )
        try:
            yield _gunzip_lines(response.iter_content(chunk_bytes), self.base_url)
        finally:
            response.close()


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _gunzip_lines(chunks: Iterator[bytes], base_url: str) -> Iterator[bytes]:
    inflater = zlib.decompressobj(wbits=31)
    pending = b""
    try:
        for chunk in chunks:
            pending += inflater.decompress(chunk)
            *lines, pending = pending.split(b"\n")
            yield from lines
    except _TRANSIENT as error:
        raise SyncOffline(f"the snapshot from {base_url} was cut off") from error
    except zlib.error as error:
        raise SyncServerError(f"the snapshot is not valid gzip: {error}") from error
    if pending:
        yield pending


def decode_line(line: bytes) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except ValueError as error:
        raise SyncServerError(f"the snapshot has a broken line: {error}") from error
    if not isinstance(value, dict):
        raise SyncServerError("the snapshot has a line that is not an object")
    return value
