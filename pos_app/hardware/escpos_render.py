"""Exact ESC/POS bytes for a job of layout blocks, on python-escpos' Dummy printer.

Every job starts with ESC @ (reset) and FS & (Chinese character mode). Text is encoded by us as
GB18030 (python-escpos' text() switches code pages per character and mangles "¥" and Chinese
punctuation), so text never goes through python-escpos; images, native QR, barcodes, the cut and
the drawer pulse do. As a last guard, control bytes are deleted from every encoded text row, so
nothing from shop data can become a printer command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from pos_app.domain.receipt import Receipt
from pos_app.hardware.layout import BarcodeBlock, Block, QrBlock, Size, TextRow
from pos_app.hardware.receipt_layout import receipt_blocks

if TYPE_CHECKING:  # python-escpos (~0.2 s to import) loads with the first job, not at start
    from escpos.capabilities import Profile

__all__ = [
    "PROFILE_58MM",
    "PROFILE_80MM",
    "PrinterProfile",
    "drawer_kick_job",
    "printer_profile",
    "render_job",
    "render_receipt",
]

ESC_INIT = b"\x1b@"
FS_CHINESE_MODE = b"\x1c&"
ALIGN_LEFT, ALIGN_CENTER = b"\x1ba\x00", b"\x1ba\x01"
_CONTROL_BYTES = bytes(range(0x20)) + b"\x7f"
_SIZE_BYTES = {Size.NORMAL: 0x00, Size.TALL: 0x01, Size.LARGE: 0x11}
_DRAWER_PINS = {2: 0, 5: 1}


@dataclass(frozen=True)
class PrinterProfile:
    """What the renderer needs to know about one printer model and how the shop set it up."""

    name: str
    columns: int
    dots: int
    encoding: str = "gb18030"
    cutter: bool = True
    native_qr: bool = False
    qr_module_dots: int = 6
    drawer_pin: int = 2
    drawer_pulse_ms: int = 100
    tear_feed_lines: int = 4  # without a cutter: feed this much so the receipt can be torn off


PROFILE_58MM = PrinterProfile(name="58mm", columns=32, dots=384)
PROFILE_80MM = PrinterProfile(name="80mm", columns=48, dots=576, qr_module_dots=7)
_PROFILES = {58: PROFILE_58MM, 80: PROFILE_80MM}


def printer_profile(width_mm: int, options: dict[str, Any] | None = None) -> PrinterProfile:
    """The profile for 58 or 80 mm paper, with per-printer options (e.g. {"native_qr": True})."""
    if width_mm not in _PROFILES:
        raise ValueError(f"Receipt width must be 58 or 80 mm, not {width_mm}")
    unknown = set(options or {}) - {f.name for f in fields(PrinterProfile)}
    if unknown:
        raise ValueError(f"Unknown printer option(s): {', '.join(sorted(unknown))}")
    return replace(_PROFILES[width_mm], **(options or {}))


@cache
def _escpos_profile(dots: int) -> Profile:
    """A python-escpos profile that knows the paper width in dots (the stock one does not)."""
    from escpos.capabilities import Profile, get_profile_class

    base = get_profile_class("default")
    profile = Profile(features=dict(base.profile_data["features"]))
    profile.profile_data = {**base.profile_data, "media": {"width": {"pixels": dots}}}
    return profile


class _Job:
    """One job being written into a Dummy printer; remembers the text style to skip repeats."""

    def __init__(self, profile: PrinterProfile) -> None:
        from escpos.printer import Dummy

        self.profile = profile
        self.printer = Dummy(profile=_escpos_profile(profile.dots))
        self.style = (Size.NORMAL, False)
        self.raw(ESC_INIT + FS_CHINESE_MODE)

    def raw(self, data: bytes) -> None:
        self.printer._raw(data)

    def text(self, row: TextRow) -> None:
        if (row.size, row.bold) != self.style:
            self.raw(b"\x1d!" + bytes([_SIZE_BYTES[row.size]]) + b"\x1bE" + bytes([row.bold]))
            self.style = (row.size, row.bold)
        encoded = row.text.encode(self.profile.encoding, errors="replace")
        self.raw(encoded.translate(None, _CONTROL_BYTES) + b"\n")

    def qr(self, block: QrBlock) -> None:
        self.raw(ALIGN_CENTER)
        if self.profile.native_qr:
            from escpos.constants import QR_ECLEVEL_M

            module = min(self.profile.qr_module_dots, 16)
            self.printer.qr(block.url, ec=QR_ECLEVEL_M, size=module, native=True)
        else:
            from pos_app.hardware.symbols import qr_image  # qrcode and PIL: ~0.2 s to load

            self.printer.image(qr_image(block.url, self.profile.qr_module_dots, self.profile.dots))
        self.raw(b"\n" + ALIGN_LEFT)

    def barcode(self, block: BarcodeBlock) -> None:
        # _hw_barcode is barcode() minus its print() to stdout: GS k with the printer's font.
        self.printer._hw_barcode(block.ean13, "EAN13", height=80, width=2, pos="BELOW")
        self.raw(ALIGN_LEFT)

    def block(self, block: Block) -> None:
        if isinstance(block, TextRow):
            self.text(block)
        elif isinstance(block, QrBlock):
            self.qr(block)
        else:
            self.barcode(block)

    def drawer_kick(self) -> None:
        pulse = min(255, self.profile.drawer_pulse_ms // 2)  # ESC p counts in units of 2 ms
        self.printer.cashdraw([27, 112, _DRAWER_PINS[self.profile.drawer_pin], pulse, pulse])

    def finish(self, *, cut: bool) -> bytes:
        if cut and self.profile.cutter:
            self.printer.cut(feed=False)  # GS V 66 0: feed to the cutter, then partial cut
        elif cut:
            self.raw(b"\x1bd" + bytes([self.profile.tear_feed_lines]))
        return self.printer.output


def render_job(blocks: Sequence[Block], profile: PrinterProfile, *, cut: bool = True) -> bytes:
    """The whole job as bytes: reset, Chinese mode, the blocks, then feed and cut."""
    job = _Job(profile)
    for block in blocks:
        job.block(block)
    return job.finish(cut=cut)


def render_receipt(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """A receipt's bytes for this printer."""
    return render_job(receipt_blocks(receipt, profile.columns), profile)


def drawer_kick_job(profile: PrinterProfile) -> bytes:
    """A job that only opens the cash drawer."""
    job = _Job(profile)
    job.drawer_kick()
    return job.finish(cut=False)
