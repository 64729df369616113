"""The mall's member service as the till sees it: find, sign up, hold and release.

MallDirectory talks to the mall through the sync client (every call has the client's timeouts
and may block: run it off the GUI thread); NoMallDirectory is what an unpaired till has. Both
raise the same typed errors, with messages for the cashier.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from pos_app.services.errors import ServiceError
from sync.client_on_demand import ClientOnDemand
from sync.errors import NotPaired, SyncError, SyncRejected

if TYPE_CHECKING:  # requests loads only when a paired till asks the mall (not for `pos sale`),
    # the contract's models (pydantic) after the first screen
    from sync.client import MallClient
    from sync.coupon_protocol import CouponHoldInfo, CouponHoldRequest
    from sync.member_protocol import HoldInfo, HoldRequest, MemberInfo, MemberLookup, MemberSignup
    from sync.protocol import PointsRulesData

__all__ = [
    "CouponRefused",
    "MallDirectory",
    "MallUnavailable",
    "MemberDirectory",
    "MemberError",
    "MemberNotFound",
    "NoMallDirectory",
    "RedemptionRefused",
    "directory_for",
]


class MemberError(ServiceError):
    """A member step that did not work; the message says why."""


class MallUnavailable(MemberError):
    """The mall cannot be asked now (offline, or this till is not paired)."""


class MemberNotFound(MemberError):
    """No member has that phone, card or code."""


class RedemptionRefused(MemberError):
    """Points or stored value cannot pay this (not enough, offline cap reached, …)."""


class CouponRefused(RedemptionRefused):
    """The mall will not let this coupon be used; code says why (COUPON_REFUSALS)."""


# The mall's refusals of a coupon hold, each its own screen text; any other is coupon_unknown.
COUPON_REFUSALS = ("coupon_redeemed", "coupon_held", "coupon_expired", "coupon_invalid")


class MemberDirectory(Protocol):
    def lookup(self, query: MemberLookup) -> MemberInfo: ...

    def signup(self, request: MemberSignup) -> MemberInfo: ...

    def hold(self, request: HoldRequest) -> HoldInfo: ...

    def release(self, hold_id: str) -> HoldInfo: ...

    def rules(self) -> PointsRulesData: ...

    def hold_coupon(self, request: CouponHoldRequest) -> CouponHoldInfo: ...

    def release_coupon(self, hold_id: str) -> CouponHoldInfo: ...


T = TypeVar("T")
NOT_PAIRED = "This till is not connected to the mall: member lookups need the mall"


class NoMallDirectory:
    """The directory of a till that is not paired with a mall: every call is refused."""

    def lookup(self, query: MemberLookup) -> MemberInfo:
        raise MallUnavailable(NOT_PAIRED)

    def signup(self, request: MemberSignup) -> MemberInfo:
        raise MallUnavailable(NOT_PAIRED)

    def hold(self, request: HoldRequest) -> HoldInfo:
        raise MallUnavailable(NOT_PAIRED)

    def release(self, hold_id: str) -> HoldInfo:
        raise MallUnavailable(NOT_PAIRED)

    def rules(self) -> PointsRulesData:
        raise MallUnavailable(NOT_PAIRED)

    def hold_coupon(self, request: CouponHoldRequest) -> CouponHoldInfo:
        raise MallUnavailable(NOT_PAIRED)

    def release_coupon(self, hold_id: str) -> CouponHoldInfo:
        raise MallUnavailable(NOT_PAIRED)


def _translate(error: SyncError) -> MemberError:
    if isinstance(error, SyncRejected) and error.status == 404:
        return MemberNotFound(str(error))
    if isinstance(error, SyncRejected) and (
        error.status == 409 or error.code == "member_code_needed"
    ):
        return RedemptionRefused(str(error), code=error.code)
    return MallUnavailable(f"The mall cannot be reached: {error}")


class MallDirectory:
    """The real directory: the mall's members API, through the client connect makes at the
    first call. Runs on the caller's (worker) thread."""

    def __init__(self, connect: Callable[[], MallClient]) -> None:
        self._client = ClientOnDemand(connect)

    @property
    def client(self) -> MallClient:
        return self._client.get()

    @staticmethod
    def _ask(call: Callable[[], T]) -> T:
        try:
            return call()
        except SyncError as error:
            raise _translate(error) from error

    def lookup(self, query: MemberLookup) -> MemberInfo:
        return self._ask(lambda: self.client.lookup_member(query))

    def signup(self, request: MemberSignup) -> MemberInfo:
        return self._ask(lambda: self.client.signup_member(request))

    def hold(self, request: HoldRequest) -> HoldInfo:
        return self._ask(lambda: self.client.hold(request))

    def release(self, hold_id: str) -> HoldInfo:
        return self._ask(lambda: self.client.release_hold(hold_id))

    def rules(self) -> PointsRulesData:
        return self._ask(self.client.points_rules)

    def hold_coupon(self, request: CouponHoldRequest) -> CouponHoldInfo:
        try:
            return self.client.hold_coupon(request)
        except SyncRejected as error:
            if error.status in (400, 404, 409):
                code = error.code if error.code in COUPON_REFUSALS else "coupon_unknown"
                raise CouponRefused(str(error), code=code) from error
            raise _translate(error) from error
        except SyncError as error:
            raise _translate(error) from error

    def release_coupon(self, hold_id: str) -> CouponHoldInfo:
        return self._ask(lambda: self.client.release_coupon(hold_id))


def directory_for(data_dir: Path) -> MemberDirectory:
    """The directory of the till whose data dir this is: its paired mall, if any.
    Member lookups wait at most 3 s to connect and 5 s for an answer, and retry once."""
    from sync.credentials import load_credentials

    try:
        credentials = load_credentials(data_dir)
    except NotPaired:
        return NoMallDirectory()
    return MallDirectory(partial(credentials.client, timeout_s=(3.0, 5.0), retries=1))
