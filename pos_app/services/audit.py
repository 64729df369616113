"""Journal entries for actions that are not sales: voids, price overrides, no-sale drawer opens,
discounts, receipt reprints. The approver is recorded beside the actor (DESIGN §4).
"""

from __future__ import annotations

from typing import Any

from pos_app.services.till import till_identity
from pos_app.store.db import Database
from pos_app.store.journal import append_journal, verify_journal
from pos_app.store.journal_chain import JournalProblem

AUDITED_KINDS = frozenset(
    {
        "void_line",
        "void_sale",
        "price_override",
        "discount",
        "drawer_open",
        "login",
        "logout",
        "reprint",
    }
)


def record_action(
    db: Database,
    *,
    kind: str,
    actor_id: int,
    approver_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    if kind not in AUDITED_KINDS:
        raise ValueError(f"unknown journal kind {kind!r}")
    with db.write() as session:
        append_journal(
            session,
            till_id=till_identity(session).till_id,
            kind=kind,
            actor_id=actor_id,
            approver_id=approver_id,
            payload=details or {},
        )


def journal_problems(db: Database) -> list[JournalProblem]:
    """Rows of the hash-chained journal changed behind its back (none when it is whole)."""
    with db.read() as session:
        return verify_journal(session)
