"""Typed sync failures, with messages written for the person who reads the till's status line."""

from __future__ import annotations


class SyncError(Exception):
    """Base of every failure the sync engine reports."""


class SyncOffline(SyncError):
    """The mall could not be reached (no network, refused, timed out, cut off)."""


class SyncAuthError(SyncError):
    """The mall refused this till's credentials (never paired, unpaired, or revoked)."""


class SyncServerError(SyncError):
    """The mall failed or answered something that is not the protocol."""


class SyncRejected(SyncError):
    """The mall refused a request as invalid (a 4xx): a bug or a version mismatch, not a blip."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class SyncGap(SyncError):
    """The mall is missing earlier events and wants them resent from expected_seq."""

    def __init__(self, expected_seq: int) -> None:
        super().__init__(f"the mall expects events from device_seq {expected_seq}")
        self.expected_seq = expected_seq


class NotPaired(SyncError):
    """This till has no device credentials yet: run `pos pair URL CODE`."""
