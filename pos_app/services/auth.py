"""Staff PINs (Argon2id): log-in, and the approver's number and PIN of an override (DESIGN §4)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.services.errors import WrongPin
from pos_app.store.models import Staff

ROLE_RANK = {"cashier": 0, "supervisor": 1, "manager": 2}
_hasher = PasswordHasher()


def hash_pin(pin: str) -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValueError("A PIN is 4 to 8 digits.")
    return _hasher.hash(pin)


def _pin_matches(staff: Staff, pin: str) -> bool:
    try:
        return _hasher.verify(staff.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def log_in(session: Session, *, staff_code: str, pin: str) -> Staff:
    """The active staff member with this code and PIN, or WrongPin."""
    staff = session.scalar(select(Staff).where(Staff.code == staff_code, Staff.active))
    if staff is None or not _pin_matches(staff, pin):
        raise WrongPin("Staff number or PIN is wrong.", code="wrong_pin")
    return staff
