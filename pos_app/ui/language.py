"""Switching the screen language: our catalogue (i18n) and Qt's own texts (the OK/Cancel of
message boxes) from the qtbase_*.qm translations that ship with Qt. GUI thread only."""

from __future__ import annotations

from pos_app.ui.i18n import set_language
from pos_app.ui.qt import QApplication, QLibraryInfo, QTranslator

_installed: list[QTranslator] = []


def use_language(language: str) -> None:
    """Texts looked up from now on, and Qt's standard buttons, in language."""
    set_language(language)
    app = QApplication.instance()
    if app is None:
        return
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language == "en":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _installed.append(translator)
