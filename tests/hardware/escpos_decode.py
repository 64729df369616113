"""Decode ESC/POS job bytes the way a printer would: text lines (GB18030), raster images, native
QR data and barcodes, failing on any control byte or command the renderer should not send."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image


class UnexpectedCommand(AssertionError):
    """The bytes hold a control byte or command the renderer is not supposed to send."""


@dataclass
class DecodedJob:
    """What a printer would do with a job: text lines, images, QR data and commands."""

    lines: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    rasters: list[Image.Image] = field(default_factory=list)
    native_qr: list[str] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The printed lines as one text, as a person reads the paper."""
        return "\n".join(self.lines)


_FIXED_LENGTH = {  # command prefix -> total length
    b"\x1b@": 2,
    b"\x1c&": 2,
    b"\x1bE": 3,
    b"\x1ba": 3,
    b"\x1bd": 3,
    b"\x1b!": 3,
    b"\x1bp": 5,
    b"\x1d!": 3,
    b"\x1dh": 3,
    b"\x1dw": 3,
    b"\x1dH": 3,
    b"\x1df": 3,
    b"\x1dVB": 4,
    b"\x1dVA": 4,
    b"\x1dV\x00": 3,
    b"\x1dV\x01": 3,
}


def _raster(data: bytes, at: int, job: DecodedJob) -> int:
    width_bytes = data[at + 4] + 256 * data[at + 5]
    height = data[at + 6] + 256 * data[at + 7]
    start = at + 8
    end = start + width_bytes * height
    bitmap = Image.frombytes("1", (width_bytes * 8, height), data[start:end], "raw", "1;I")
    job.rasters.append(bitmap)
    return end


def _native_2d(data: bytes, at: int, job: DecodedJob) -> int:
    length = data[at + 3] + 256 * data[at + 4]
    body = data[at + 5 : at + 5 + length]
    if body[:2] == b"1P":  # cn=49 (QR) fn=80: store the data
        job.native_qr.append(body[3:].decode("utf-8"))
    return at + 5 + length


def _barcode(data: bytes, at: int, job: DecodedJob) -> int:
    end = data.index(b"\x00", at + 3)
    job.barcodes.append(data[at + 3 : end].decode("ascii"))
    return end + 1


_VARIABLE = {b"\x1dv0": _raster, b"\x1d(k": _native_2d, b"\x1dk": _barcode}


def _command(data: bytes, at: int, job: DecodedJob) -> int:
    for prefix, length in _FIXED_LENGTH.items():
        if data.startswith(prefix, at):
            job.commands.append(data[at : at + length].hex(" "))
            return at + length
    for prefix, parse in _VARIABLE.items():
        if data.startswith(prefix, at):
            job.commands.append(prefix.hex(" "))
            return parse(data, at, job)
    raise UnexpectedCommand(f"unexpected command bytes at {at}: {data[at : at + 4]!r}")


def decode_escpos(data: bytes) -> DecodedJob:
    """Walk the job like a printer: text bytes (GB18030) per line, commands taken apart."""
    job, text, at = DecodedJob(), bytearray(), 0
    while at < len(data):
        byte = data[at]
        if byte == 0x0A:
            job.lines.append(text.decode("gb18030"))
            text.clear()
            at += 1
        elif byte in (0x1B, 0x1C, 0x1D):
            at = _command(data, at, job)
        elif byte < 0x20 or byte == 0x7F:
            raise UnexpectedCommand(f"control byte {byte:#04x} at {at}")
        else:
            text.append(byte)
            at += 1
    if text:
        job.lines.append(text.decode("gb18030"))
    return job
