"""Claims of an applied event that the mall did not take as given: a till's points figure that
differs from the mall's rules, a redemption without a valid hold or over the offline cap. The
event stands (facts are never refused); the difference waits in the conflicts table (applied)
for a person, and the ledgers hold only what the mall computed or held itself."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from mall.devices import DeviceIdentity
from mall.models import ConflictRow, utc_now
from sync.protocol import PushEvent, canonical_json

log = logging.getLogger(__name__)


def record_review(
    session: Session, device: DeviceIdentity, event: PushEvent, reason: str, detail: str
) -> None:
    """Keep what was claimed beside what the mall did, for review (once per event and reason)."""
    log.warning("event %s of device %s: %s: %s", event.id, device.device_id, reason, detail)
    session.add(
        ConflictRow(
            device_id=device.device_id,
            event_id=str(event.id),
            device_seq=event.device_seq,
            reason=reason,
            kind=event.kind,
            payload=canonical_json(event.payload),
            payload_hash=event.payload_hash,
            detail=detail[:200],
            applied=True,
            created_at=utc_now(),
        )
    )
