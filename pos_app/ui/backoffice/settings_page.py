"""设置 (back office): how receivings set the cost price that sales record (最近进价 or 移动加权
平均), changed by a manager only; the page says that only future sales are affected. Runs on
the GUI thread; the setting is read and saved on the runner's worker thread.
"""

from __future__ import annotations

from pos_app.services.till_settings import COST_METHODS, read_cost_method, save_cost_method
from pos_app.ui.backoffice.texts import bt
from pos_app.ui.backoffice.widgets import Page, Shared, button
from pos_app.ui.qt import QComboBox, QHBoxLayout, QLabel, QVBoxLayout
from pos_app.ui.widgets import label


class SettingsPage(Page):
    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.cost_method = QComboBox(objectName="cost_method")
        for method in COST_METHODS:
            self.cost_method.addItem(bt(f"cost_method_{method}"), method)
        self.save_button = button(bt("save"), "save_cost_method", self.save)
        for widget in (self.cost_method, self.save_button):
            widget.setEnabled(self.viewer.can_write)
        row = QHBoxLayout()
        row.addWidget(QLabel(bt("cost_method")))
        row.addWidget(self.cost_method)
        row.addWidget(self.save_button)
        row.addStretch(1)
        self.explanation = QLabel(bt("cost_method_hint"), objectName="cost_method_hint")
        self.explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label(bt("cost_method_title"), bold=True))
        layout.addLayout(row)
        layout.addWidget(self.explanation)
        layout.addStretch(1)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        db = self.db
        self.run(lambda: read_cost_method(db), self._show)

    def _show(self, method: str) -> None:
        self.cost_method.setCurrentIndex(max(0, self.cost_method.findData(method)))

    def save(self) -> None:
        db, method, actor = self.db, str(self.cost_method.currentData()), self.viewer.staff_id
        self.run(lambda: save_cost_method(db, method, actor_id=actor), lambda _none: self._saved())

    def _saved(self) -> None:
        self.say(bt("cost_method_saved", method=self.cost_method.currentText()))
