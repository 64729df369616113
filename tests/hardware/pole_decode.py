"""Decode the bytes sent to a pole display back into what the customer saw, step by step."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pos_app.hardware.pole_display import Light

__all__ = ["Shown", "decode_pole"]

_COMMAND = re.compile(rb"\x1b@|\x0c|\x1bs([0-4])|\x1bQA([0-9.\-]{0,16})\r")


@dataclass(frozen=True)
class Shown:
    """The display after one command: the lit indicator and the digits ('' when blank)."""

    light: Light
    digits: str


def decode_pole(data: bytes) -> list[Shown]:
    """Every view the customer saw: one per amount shown, one per blanking (a light set while
    the digits are blank); AssertionError on any byte that is no command."""
    states, light, digits, at = [], Light.NONE, "", 0
    for match in _COMMAND.finditer(data):
        assert match.start() == at, f"unknown pole display bytes {data[at : match.start()]!r}"
        at = match.end()
        if match.group(0) == b"\x1b@":
            light, digits = Light.NONE, ""
        elif match.group(0) == b"\x0c":
            digits = ""
        elif match.group(1) is not None:
            light = Light(int(match.group(1)))
            if not digits:
                states.append(Shown(light, digits))
        else:
            digits = match.group(2).decode()
            states.append(Shown(light, digits))
    assert at == len(data), f"unknown pole display bytes {data[at:]!r}"
    return states
