"""Parse a TSPL job back into its commands and printed labels (BITMAP data as images)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PIL import Image

__all__ = ["PrintedLabel", "TsplJob", "parse_tspl"]

_BITMAP = re.compile(rb"BITMAP (\d+),(\d+),(\d+),(\d+),(\d),")


@dataclass
class PrintedLabel:
    """One PRINT: the page as the printer would have it (white where nothing printed)."""

    image: Image.Image
    copies: str


@dataclass
class TsplJob:
    commands: list[str] = field(default_factory=list)
    labels: list[PrintedLabel] = field(default_factory=list)

    def setting(self, name: str) -> str:
        [value] = [c.split(" ", 1)[1] for c in self.commands if c.split(" ", 1)[0] == name]
        return value


def _page_size(job: TsplJob) -> tuple[int, int]:
    width, height = (
        int(part.strip().removesuffix("mm")) for part in job.setting("SIZE").split(",")
    )
    return width * 8, height * 8


def parse_tspl(data: bytes) -> TsplJob:
    """Commands end with CR LF; BITMAP carries width_bytes x height raw bytes before its CR LF.
    AssertionError on anything a TSPL printer would not accept."""
    job, at, page = TsplJob(), 0, None
    while at < len(data):
        bitmap = _BITMAP.match(data, at)
        if bitmap:
            x, y, width_bytes, height, mode = (int(g) for g in bitmap.groups())
            start = bitmap.end()
            end = start + width_bytes * height
            assert data[end : end + 2] == b"\r\n", "BITMAP data length does not match its size"
            assert page is not None, "BITMAP before CLS"
            tile = Image.frombytes("1", (width_bytes * 8, height), data[start:end])
            page.paste(tile, (x, y))
            job.commands.append(f"BITMAP {x},{y},{width_bytes},{height},{mode}")
            at = end + 2
            continue
        end = data.index(b"\r\n", at)
        command = data[at:end].decode("ascii")
        job.commands.append(command)
        if command == "CLS":
            page = Image.new("1", _page_size(job), 1)
        elif command.startswith("PRINT "):
            assert page is not None, "PRINT before CLS"
            job.labels.append(PrintedLabel(page, command.split(" ", 1)[1]))
            page = None
        at = end + 2
    return job
