"""The CJK font file the receipt preview and labels draw with, found where the system keeps it.

Pillow needs a font file and a face index, not a family name. On Linux (and 统信UOS / 麒麟)
fontconfig knows where fonts live, so we ask `fc-match` for a face that covers simplified
Chinese; on Windows, which has no fontconfig, we look in the Windows font folder for the faces
every Chinese Windows ships (新宋体 is monospaced like a printer's cells, 微软雅黑 for labels).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from PIL import ImageFont

__all__ = ["FontMissing", "cjk_font", "cjk_font_file"]

FONTCONFIG_FAMILY = {True: "Noto Sans Mono CJK SC", False: "Noto Sans CJK SC"}
# (file, family) per (bold, mono), in order of preference, in %WINDIR%\Fonts
WINDOWS_FACES = {
    (False, True): (("simsun.ttc", "NSimSun"),),
    (True, True): (("simhei.ttf", "SimHei"), ("simsun.ttc", "NSimSun")),
    (False, False): (("msyh.ttc", "Microsoft YaHei"), ("simsun.ttc", "SimSun")),
    (True, False): (("msyhbd.ttc", "Microsoft YaHei"), ("simhei.ttf", "SimHei")),
}
FC_TIMEOUT_S = 5.0
MAX_FACES = 32


class FontMissing(RuntimeError):
    """No font that draws Chinese is installed."""


def _fontconfig(bold: bool, mono: bool) -> tuple[str, int] | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    pattern = f"{FONTCONFIG_FAMILY[mono]}:lang=zh-cn" + (":style=Bold" if bold else "")
    try:
        result = subprocess.run(
            [fc_match, "-f", "%{file}|%{index}|%{lang}", pattern],
            capture_output=True,
            text=True,
            timeout=FC_TIMEOUT_S,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, rest = result.stdout.partition("|")
    index, _, langs = rest.partition("|")
    if not file or "zh-cn" not in langs.split("|"):
        return None  # fontconfig fell back to a face without Hanzi
    return file, int(index or 0)


def _face_index(path: Path, family: str) -> int:
    """The index of `family` in a .ttc collection (0 for a single-face file)."""
    for index in range(MAX_FACES):
        try:
            font = ImageFont.truetype(str(path), 12, index=index)
        except OSError:
            break
        if font.getname()[0] == family:
            return index
    return 0


def _windows(bold: bool, mono: bool, windir: str | None) -> tuple[str, int] | None:
    if not windir:
        return None
    folder = Path(windir) / "Fonts"
    for file, family in WINDOWS_FACES[(bold, mono)]:
        path = folder / file
        if path.exists():
            return str(path), _face_index(path, family)
    return None


@cache
def cjk_font_file(*, bold: bool, mono: bool) -> tuple[str, int]:
    """(file, face index) of a Chinese font: fontconfig first, then the Windows font folder."""
    found = _fontconfig(bold, mono) or _windows(bold, mono, os.environ.get("WINDIR"))
    if found is None:
        raise FontMissing(
            "No Chinese font found for the receipt preview: install fonts-noto-cjk "
            "(Linux) or the Windows Chinese fonts (微软雅黑 / 新宋体)"
        )
    return found


@cache
def cjk_font(size_px: int, *, bold: bool = False, mono: bool = True) -> ImageFont.FreeTypeFont:
    """A Chinese font at size_px; the monospaced face matches a printer's character cells."""
    file, index = cjk_font_file(bold=bold, mono=mono)
    return ImageFont.truetype(file, size_px, index=index)
