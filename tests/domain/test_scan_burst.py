"""Tests for ScanBurstDetector: telling a keyboard-wedge scanner from a person by timing."""

from __future__ import annotations

import pytest

from pos_app.domain.scan import ScanBurstDetector


def type_text(detector: ScanBurstDetector, text: str, start_ms: float, step_ms: float) -> float:
    """Feed text one key every step_ms from start_ms; return the time of the last key."""
    t = start_ms
    for i, ch in enumerate(text):
        t = start_ms + i * step_ms
        detector.feed(ch, t)
    return t


def test_ten_ms_per_key_then_enter_is_a_scan() -> None:
    """A scanner typing 10 ms per key and then Enter yields the scanned code."""
    detector = ScanBurstDetector()
    last = type_text(detector, "6901234567892", 1000, 10)
    assert detector.enter(last + 10) == "6901234567892"
    assert detector.pending() == ""


def test_two_hundred_ms_per_key_is_a_person_typing() -> None:
    """A person typing 200 ms per key is not a scan."""
    detector = ScanBurstDetector()
    last = type_text(detector, "123456", 0, 200)
    assert detector.enter(last + 200) is None


def test_scan_after_slow_typing_returns_only_the_scanned_part() -> None:
    """Keys typed by hand before a scan are dropped at the pause; the burst is the code."""
    detector = ScanBurstDetector()
    last = type_text(detector, "ab", 0, 250)
    last = type_text(detector, "12345678", last + 400, 12)
    assert detector.enter(last + 8) == "12345678"


def test_slow_enter_after_a_fast_run_is_not_a_scan() -> None:
    """Scanners send Enter right away; a late Enter means a person pressed it."""
    detector = ScanBurstDetector()
    last = type_text(detector, "12345678", 0, 10)
    assert detector.enter(last + 500) is None


def test_too_few_fast_keys_are_not_a_scan() -> None:
    """Fewer than min_chars quick keys (e.g. a key rollover) are not a scan."""
    detector = ScanBurstDetector()
    last = type_text(detector, "ab", 0, 10)
    assert detector.enter(last + 10) is None


def test_one_hiccup_is_tolerated_but_the_median_must_be_fast() -> None:
    """A single 50 ms stall inside a 10 ms/key scan still counts; a 50 ms median does not."""
    detector = ScanBurstDetector()
    for t, ch in zip([0, 10, 20, 70, 80, 90], "123456", strict=True):
        detector.feed(ch, t)
    assert detector.enter(100) == "123456"
    last = type_text(detector, "123456", 1000, 50)
    assert detector.enter(last + 50) is None


def test_is_in_burst_tells_the_ui_to_swallow_scanner_keys() -> None:
    """Once two keys came at scanner speed, further keys within the window are a burst."""
    detector = ScanBurstDetector()
    detector.feed("6", 0)
    assert not detector.is_in_burst(0)
    detector.feed("9", 9)
    assert detector.is_in_burst(9)
    assert detector.is_in_burst(30)
    assert not detector.is_in_burst(200)
    assert detector.pending() == "69"


def test_is_in_burst_stays_false_while_a_person_types() -> None:
    """Keys typed at human speed never look like a burst."""
    detector = ScanBurstDetector()
    for i, ch in enumerate("hello"):
        detector.feed(ch, i * 180)
        assert not detector.is_in_burst(i * 180)


def test_reset_forgets_pending_keys() -> None:
    """reset() clears what was collected, e.g. when the window loses focus."""
    detector = ScanBurstDetector()
    type_text(detector, "1234", 0, 10)
    detector.reset()
    assert detector.pending() == ""
    assert detector.enter(40) is None


def test_compressed_key_events_with_several_chars_count_as_one_instant() -> None:
    """A key event carrying several characters feeds them all at the same time."""
    detector = ScanBurstDetector()
    detector.feed("690", 0)
    detector.feed("1", 8)
    assert detector.enter(16) == "6901"


def test_thresholds_are_configurable() -> None:
    """A slower scanner can be accepted by widening the thresholds."""
    detector = ScanBurstDetector(min_chars=3, max_median_interval_ms=50, max_interval_ms=80)
    last = type_text(detector, "123", 0, 45)
    assert detector.enter(last + 45) == "123"


def test_nonsense_thresholds_are_refused() -> None:
    """Zero or negative thresholds are a configuration error."""
    with pytest.raises(ValueError):
        ScanBurstDetector(max_interval_ms=0)
