"""The one writer: work runs on one thread in the order it was asked, a caller can wait for its
own work, work already on the writer runs inline, and errors come back to whoever waits."""

from __future__ import annotations

import threading
from functools import partial

import pytest

from pos_app.services.writer import THREAD_NAME, Writer


def test_work_runs_in_order_on_one_thread() -> None:
    writer = Writer()
    done: list[tuple[int, str]] = []

    def note(n: int) -> None:
        done.append((n, threading.current_thread().name))

    futures = [writer.submit(partial(note, n)) for n in range(50)]
    for future in futures:
        future.result(timeout=30)
    writer.close()
    assert [n for n, _ in done] == list(range(50))
    assert len({name for _, name in done}) == 1 and done[0][1].startswith(THREAD_NAME)


def test_a_call_from_work_on_the_writer_runs_inline_instead_of_waiting_for_itself() -> None:
    writer = Writer()
    assert writer.call(lambda: writer.call(lambda: 7) + 1) == 8
    writer.close()


def test_an_error_is_raised_to_the_caller_and_the_writer_goes_on() -> None:
    writer = Writer()

    def fail() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        writer.call(fail)
    assert writer.call(lambda: "next") == "next"
    writer.close()
    with pytest.raises(RuntimeError):
        writer.submit(lambda: None)
