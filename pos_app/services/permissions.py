"""Who may change back-office data: managers only (cashiers see figures, never change stock)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pos_app.services.auth import ROLE_RANK
from pos_app.services.errors import ServiceError
from pos_app.store.models import Staff


class ManagerRequired(ServiceError):
    """The person asking is not an active manager."""


def require_manager(session: Session, staff_id: int) -> Staff:
    """The active manager with this id, or ManagerRequired."""
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active or ROLE_RANK.get(staff.role, -1) < ROLE_RANK["manager"]:
        raise ManagerRequired("Only a manager can change stock, prices and products.")
    return staff
