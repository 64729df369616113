"""Which till a member showed their own code to, and when: the member's consent to spend their
points or stored value at that till. A hold for a member who did not show their code there
recently is refused before any balance is looked at, so a member id alone neither spends nor
reveals a balance (the 409 for "not enough" would otherwise answer a binary search)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mall.db import upsert
from mall.devices import DeviceIdentity
from mall.errors import MallError
from mall.members.models import MemberPresentationRow

KEPT_FOR = timedelta(days=1)


class CodeNotShown(MallError):
    def __init__(self) -> None:
        super().__init__(
            403,
            "member_code_needed",
            "the member has not shown their member code at this till lately; scan it first",
        )


def record_presentation(
    session: Session, device: DeviceIdentity, member_id: str, now: datetime
) -> None:
    row = upsert(session, MemberPresentationRow).values(
        device_id=device.device_id, member_id=member_id, presented_at=now
    )
    session.execute(
        row.on_conflict_do_update(
            index_elements=[MemberPresentationRow.device_id, MemberPresentationRow.member_id],
            set_={"presented_at": row.excluded.presented_at},
        )
    )


def require_presentation(
    session: Session, device: DeviceIdentity, member_id: str, *, now: datetime, within: timedelta
) -> None:
    """Raise CodeNotShown unless the member showed their code to this device within the time."""
    shown = session.scalar(
        select(MemberPresentationRow.presented_at).where(
            MemberPresentationRow.device_id == device.device_id,
            MemberPresentationRow.member_id == member_id,
        )
    )
    if shown is None or shown < now - within:
        raise CodeNotShown()


def forget_presentations(session: Session, now: datetime) -> None:
    cutoff = now - KEPT_FOR
    session.execute(
        delete(MemberPresentationRow).where(MemberPresentationRow.presented_at < cutoff)
    )
