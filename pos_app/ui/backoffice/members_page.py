"""Members (back office): search by phone tail, name, card or id; the chosen member's purchases
at this till and their balance as last known from the mall, marked with its time.
Runs on the GUI thread; queries run on the background runner."""

from __future__ import annotations

from datetime import tzinfo

from pos_app.domain.money import format_fen
from pos_app.services.member_history import (
    MemberSummary,
    Purchase,
    member_purchases,
    search_members,
)
from pos_app.ui.backoffice.texts import bt
from pos_app.ui.backoffice.widgets import (
    Page,
    RowsModel,
    Shared,
    column,
    side_by_side,
    table_view,
)
from pos_app.ui.qt import QLabel, QLineEdit, QVBoxLayout

MEMBER_HEADERS = ("col_member", "col_phone", "col_card", "col_tier", "col_purchases", "col_spent")
PURCHASE_HEADERS = ("col_time", "col_sale_no", "col_total", "col_points")
TIME_FORMAT = "%Y-%m-%d %H:%M"


def _who(member: MemberSummary) -> str:
    return member.name or member.member_id


def balance_text(member: MemberSummary, zone: tzinfo) -> str:
    """The balance as last known, with its time; or that only the mall knows it."""
    when = member.known_at.astimezone(zone).strftime(TIME_FORMAT)
    if member.points_balance is None:
        return bt("member_balance_unknown", name=_who(member))
    stored = format_fen(member.stored_value_fen or 0)
    return bt(
        "member_balance", name=_who(member), points=member.points_balance, stored=stored, when=when
    )


class MembersPage(Page):
    """Search on the left; the chosen member's balance and purchase history on the right."""

    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.members: list[MemberSummary] = []
        self.find_box = QLineEdit(objectName="member_find", placeholderText=bt("member_find_hint"))
        self.find_box.returnPressed.connect(self.refresh)
        self.member_model = RowsModel(
            [bt(h) for h in MEMBER_HEADERS], [False, False, False, False, True, True]
        )
        self.member_view = table_view(self.member_model, "member_rows")
        self.member_view.clicked.connect(self._open_row)
        self.balance = QLabel(objectName="member_balance")
        self.balance.setWordWrap(True)
        self.purchase_model = RowsModel(
            [bt(h) for h in PURCHASE_HEADERS], [False, False, True, True]
        )
        self.purchase_view = table_view(self.purchase_model, "purchase_rows")
        self._layout()

    def _layout(self) -> None:
        panes = side_by_side(
            column(self.find_box, self.member_view), column(self.balance, self.purchase_view)
        )
        layout = QVBoxLayout(self)
        layout.addWidget(panes, 1)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        db, text = self.db, self.find_box.text()
        self.run(lambda: search_members(db, text), self._show_members)

    def _show_members(self, members: list[MemberSummary]) -> None:
        self.members = members
        self.member_model.set_rows(
            [
                [
                    _who(m),
                    f"****{m.phone_tail}" if m.phone_tail else "",
                    m.card_no,
                    m.tier,
                    str(m.purchases),
                    format_fen(m.spent_fen),
                ]
                for m in members
            ]
        )
        if not members:
            self.say(bt("member_none"))

    def _open_row(self) -> None:
        rows = self.member_view.selectionModel().selectedRows()
        if rows:
            self.show_member(self.members[rows[0].row()])

    def show_member(self, member: MemberSummary) -> None:
        self.balance.setText(balance_text(member, self.zone))
        db, member_id = self.db, member.member_id
        self.run(lambda: member_purchases(db, member_id), self._show_purchases)

    def _show_purchases(self, purchases: list[Purchase]) -> None:
        self.purchase_model.set_rows(
            [
                [
                    p.created_at.astimezone(self.zone).strftime(TIME_FORMAT),
                    p.sale_no,
                    format_fen(p.total_fen),
                    f"{p.points_earned:+d}",
                ]
                for p in purchases
            ]
        )
