"""The till collects garbage on the GUI thread only: the automatic collector is off while the
application runs, and the timer's collection frees cycles once a generation is due."""

from __future__ import annotations

import gc
import weakref

from pytestqt.qtbot import QtBot

from pos_app.ui.gui_thread_gc import GuiThreadCollector, collect_due_generation
from pos_app.ui.qt import QObject


class Node:
    def __init__(self) -> None:
        self.me = self


def test_a_cycle_is_freed_when_the_young_generation_is_due() -> None:
    gc.collect()
    cycle = Node()
    freed = weakref.ref(cycle)
    del cycle
    assert collect_due_generation() is None and freed() is not None  # nothing due yet
    keep = [Node() for _ in range(gc.get_threshold()[0] + 1)]
    assert collect_due_generation() == 0
    assert freed() is None
    del keep


def test_the_collector_switches_automatic_collection_off_and_collects_on_its_timer(
    qtbot: QtBot,
) -> None:
    owner = QObject()
    GuiThreadCollector(owner)
    assert not gc.isenabled()
    cycle = Node()
    freed = weakref.ref(cycle)
    del cycle
    garbage = [Node() for _ in range(gc.get_threshold()[0] + 1)]
    del garbage
    qtbot.waitUntil(lambda: freed() is None)
