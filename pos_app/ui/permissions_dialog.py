"""权限与限额 (F6 in 设置, so behind the settings approval): the permission table
(services.permissions) as a grid, one row an action, a column each for 收银员 and 主管 (a
manager may do everything). Discounts take the lowest 折 (9 = 九折), refunds the most in yuan;
an empty field is not allowed. Saved in one transaction, journaled with who approved it."""

from __future__ import annotations

from pos_app.domain.money import BASIS_POINTS, format_fen, parse_yuan
from pos_app.domain.zhe import parse_zhe
from pos_app.services.permissions import (
    EDITABLE_ROLES,
    SETTING,
    Action,
    Grant,
    PermissionTable,
    table_values,
    validate_table,
)
from pos_app.services.till_settings import store_values
from pos_app.services.till_views import permission_table
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import tr
from pos_app.ui.permission_words import action_name, role_name
from pos_app.ui.qt import QCheckBox, QGridLayout, QLineEdit, QWidget
from pos_app.ui.widgets import FormDialog, label

Cell = QCheckBox | QLineEdit


def _limit_text(action: Action, grant: Grant) -> str:
    """What a limit field shows: 9 for 九折 (8.5 for 八五折), 200.00 for ¥200.00, empty: no."""
    if isinstance(grant, bool):
        return ""
    if action is Action.DISCOUNT:
        return f"{(BASIS_POINTS - grant) / 1000:g}"
    return format_fen(grant).removeprefix("¥")


def _read_limit(action: Action, text: str) -> Grant:
    if not text.strip():
        return False
    if action is Action.DISCOUNT:
        return BASIS_POINTS - parse_zhe(text)
    return parse_yuan(text)


class PermissionsDialog(FormDialog):
    """Edits what a cashier and a supervisor may do; OK validates and saves the table."""

    def __init__(self, parent: QWidget | None, ctx: TillContext, approver_id: int) -> None:
        super().__init__(parent, tr("perm_title"))
        self.ctx, self.approver_id = ctx, approver_id
        table = permission_table(ctx.db)
        self.cells: dict[tuple[str, Action], Cell] = {}
        grid = QGridLayout()
        headers = [tr("perm_action"), *map(role_name, EDITABLE_ROLES), role_name("manager")]
        for column, text in enumerate(headers):
            grid.addWidget(label(text, bold=True), 0, column)
        for row, action in enumerate(Action, start=1):
            grid.addWidget(label(action_name(action)), row, 0)
            for column, role in enumerate(EDITABLE_ROLES, start=1):
                cell = self._cell(role, action, table[role][action])
                self.cells[role, action] = cell
                grid.addWidget(cell, row, column)
            grid.addWidget(label(tr("perm_all")), row, len(headers) - 1)
        hint = label(tr("perm_hint"))
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.form.addRow(grid)
        self.setMinimumWidth(560)

    @staticmethod
    def _cell(role: str, action: Action, grant: Grant) -> Cell:
        name = f"{role}_{action.value}"
        if action in (Action.DISCOUNT, Action.REFUND_RECEIPT, Action.REFUND_NO_RECEIPT):
            field = QLineEdit(_limit_text(action, grant), objectName=name)
            field.setMaximumWidth(120)
            return field
        box = QCheckBox(objectName=name)
        box.setChecked(bool(grant))
        return box

    def first_field(self) -> QWidget | None:
        return self.cells["cashier", Action.DISCOUNT]

    def table(self) -> PermissionTable:
        """The grid as a table (a 折 or an amount that cannot be read is refused)."""
        table: PermissionTable = {role: {} for role in EDITABLE_ROLES}
        for (role, action), cell in self.cells.items():
            if isinstance(cell, QCheckBox):
                table[role][action] = cell.isChecked()
            else:
                table[role][action] = _read_limit(action, cell.text())
        return table

    def apply(self) -> None:
        """One quick transaction; the till follows the new table at once."""
        table = self.table()
        validate_table(table)
        db, actor, approver = self.ctx.db, self.ctx.staff_id, self.approver_id
        values = {SETTING: table_values(table)}
        self.ctx.write(lambda: store_values(db, values, actor_id=actor, approver_id=approver))
        self.ctx.reload_settings()
