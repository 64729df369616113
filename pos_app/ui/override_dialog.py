"""Approval on the spot (DESIGN §4): when the logged-in staff member's role may not do something
(the permission table, services.permissions), the approver types their staff number and PIN;
the approver's role must have the permission (a supervisor approves what the table lets a
supervisor approve, and no more). The PIN is checked (Argon2id, slow on purpose) on the
background runner, never on the GUI thread; wrong PINs lock the dialog for longer and longer,
across restarts (services.pin_guard), and are journaled. Callers journal who approved what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pos_app.services.permissions import Need, NotPermitted, roles_that_may
from pos_app.services.pin_guard import approve_guarded
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.permission_words import refusal_text, roles_text
from pos_app.ui.qt import QKeyEvent, QLineEdit, Qt, QWidget
from pos_app.ui.widgets import FormDialog, label, show_message


@dataclass(frozen=True)
class Approval:
    """Whose authority an action was done under: another staff member who approved it, or the
    staff member themselves when their own role may (self_approved)."""

    approver_id: int
    name: str
    role: str
    self_approved: bool = False

    @property
    def journal_id(self) -> int | None:
        """The approver the journal records: None when nobody else had to approve."""
        return None if self.self_approved else self.approver_id


class OverrideDialog(FormDialog):
    """Asks for the approver's staff number and PIN. ask() opens it modally."""

    def __init__(self, parent: QWidget | None, ctx: TillContext, reason: str, need: Need) -> None:
        super().__init__(parent, tr("override_title"))
        self.ctx, self.need = ctx, need
        self.approval: Approval | None = None
        self.code = QLineEdit(objectName="approver_code")
        self.pin = QLineEdit(objectName="pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        who = roles_text(roles_that_may(ctx.permissions, need))
        self.form.addRow(label(tr("override_reason", reason=reason), bold=True))
        self.form.addRow(label(tr("override_who", who=who), name="who"))
        self.form.addRow(tr("override_code"), self.code)
        self.form.addRow(tr("override_pin"), self.pin)
        ctx.router.push(self.on_scan)  # a scan while this is open is the approver's staff card
        self.finished.connect(lambda _: ctx.router.remove(self.on_scan))

    def on_scan(self, code: str) -> None:
        """The approver's staff card scanned: their number, and the cursor to the PIN."""
        self.code.setText(code)
        self.pin.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the staff number goes on to the PIN, as at log-in."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.code.hasFocus():
            self.pin.setFocus()
            return
        super().keyPressEvent(event)

    def _on_ok(self) -> None:
        """Check number, PIN and role in the background; the dialog closes when they pass."""
        self.buttons.setEnabled(False)
        show_message(self.error, tr("checking"), error=False)
        code, pin, need, db = self.code.text().strip(), self.pin.text(), self.need, self.ctx.db

        def check() -> Approval:
            # This runs on the worker thread.
            owner = approve_guarded(db, staff_code=code, pin=pin, need=need, now=datetime.now(UTC))
            return Approval(owner.staff_id, owner.name, owner.role)

        self.ctx.ops.run(check, success=self._approved, failure=self._refused, owner=self)

    def _approved(self, approval: Approval) -> None:
        self.approval = approval
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.pin.clear()
        if isinstance(error, NotPermitted):
            text = refusal_text(error)
            self.code.clear()
            self.code.setFocus()
        else:
            text = error_text(error)
            self.pin.setFocus()
        show_message(self.error, text, error=True)

    @classmethod
    def ask(
        cls, parent: QWidget | None, ctx: TillContext, reason: str, need: Need
    ) -> Approval | None:
        """Approval for reason, or None if refused or cancelled. Staff whose own role may do
        it approve their own action without typing their PIN again."""
        if ctx.staff is not None and ctx.may(need):
            staff = ctx.staff
            return Approval(staff.staff_id, staff.name, staff.role, self_approved=True)
        dialog = cls(parent, ctx, reason, need)
        dialog.exec()
        return dialog.approval
