"""Errors that carry a message code and its parameters, so that the screen words them in the
cashier's language (pos_app.ui.i18n); str() stays an English sentence for logs and the CLI."""

from __future__ import annotations

from typing import ClassVar


class CodedError(Exception):
    """An error with `code` (a key of the message catalogue) and `params` to fill it in.

    A subclass may name a default_code; a raise site names its own with code=...
    """

    default_code: ClassVar[str] = ""

    def __init__(self, message: str = "", /, *, code: str = "", **params: object) -> None:
        super().__init__(message or code or type(self).default_code)
        self.code = code or type(self).default_code
        self.params = params
