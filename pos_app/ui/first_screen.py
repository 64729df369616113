"""The till's first screen: its log-in page, painted before the rest of the till has loaded.

A till starts in two stages so that the page a cashier starts at is up within a second: this
module and what it imports need Qt and the screen texts only (what it shows is read through
sqlite3: services/first_view.py); the database layer
(SQLAlchemy and the models, ~0.5 s to import), the sale screen and the till's parts load on a
thread meanwhile (ui/app.py), and the main window then takes this page over whole, with what was
typed into it and where the cursor was. A log-in submitted before that waits for it
(LoginPage.attach).
"""

from __future__ import annotations

from pos_app.ui.i18n import tr
from pos_app.ui.login import LoginPage
from pos_app.ui.qt import QMainWindow, QWidget

WINDOW_SIZE = (1024, 768)


def show_till_window(window: QMainWindow, *, maximised: bool) -> None:
    """Maximised unless the store turned that off: at 1024×768 the status bar must show."""
    if maximised:
        window.showMaximized()
    else:
        window.show()


class FirstScreen(QMainWindow):
    """The window of the log-in page until the main window takes the page over."""

    def __init__(self, *, demo: bool) -> None:
        super().__init__()
        self.setWindowTitle(tr("app_title"))
        self.resize(*WINDOW_SIZE)
        self.login = LoginPage(None, demo=demo)
        self.setCentralWidget(self.login)
        self.statusBar()  # the main window has one: the page keeps its place when it moves
        self.login.reset()

    def hand_over(self) -> tuple[LoginPage, QWidget | None]:
        """The page, for the main window to take, and the field the cursor was in."""
        focused = self.focusWidget()
        self.takeCentralWidget()
        return self.login, focused
