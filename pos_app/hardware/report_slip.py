"""A printed report slip (the Z report at shift close, an X report): a title, a few header lines
and caption/amount rows, queued on the receipt printer like any other job by
services.printing.enqueue_report. The caller passes the texts as the screen shows them, so paper
and screen say the same thing."""

from __future__ import annotations

from collections.abc import Sequence

from pos_app.hardware.layout import Block, Size, TextRow, center, left_right, printable, rule, wrap

__all__ = ["report_blocks"]


def report_blocks(
    title: str, header: Sequence[str], rows: Sequence[tuple[str, str]], cols: int
) -> list[Block]:
    """Title in large type, header lines, a rule, then one row per (caption, amount)."""
    large = cols // Size.LARGE.width_factor
    blocks: list[Block] = [
        TextRow(center(row, large), Size.LARGE) for row in wrap(printable(title), large)
    ]
    for line in header:
        blocks += [TextRow(row) for row in wrap(printable(line), cols)]
    blocks.append(rule(cols))
    for caption, amount in rows:
        money = printable(amount)
        blocks += [TextRow(row) for row in left_right(printable(caption), money, cols)]
    blocks.append(rule(cols))
    return blocks
