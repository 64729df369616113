"""The durable print queue through a real TCP printer: faults wait visibly, every receipt prints
exactly once, and nothing committed is lost to a crash."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
import zxingcpp
from sqlalchemy import select, update

from pos_app.domain.print_jobs import EXPIRED_REASON, JobStatus
from pos_app.hardware.connections import PrinterOffline, PrinterStatus
from pos_app.hardware.print_worker import Backoff
from pos_app.services.printing import (
    enqueue_drawer_kick,
    enqueue_receipt,
    enqueue_test_page,
    print_worker,
    recover_interrupted,
    reprint,
    send_job,
    unprinted_sales,
    waiting_jobs,
)
from pos_app.store.models import PrintJob, Sale
from pos_app.store.settings import set_setting
from tests.hardware.conftest import EventLog
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter, fast_connect
from tests.hardware.till_data import SALE_TIME, TillData

StartWorker = Callable[[], EventLog]
PAID_BY_WECHAT = (("wechat", 900),)


@pytest.fixture
def till_with_printer(till: TillData, fake_printer: FakePrinter) -> TillData:
    """The till's receipt printer setting points at the test's TCP printer."""
    with till.db.write() as session:
        set_setting(session, "printer_uri", fake_printer.uri)
    return till


def _wechat_sale(till: TillData) -> int:
    return till.add_sale(
        [("可口可乐 330ml", 2, 350), ("农夫山泉", 1, 200)], payments=PAID_BY_WECHAT
    )


def _job(till: TillData, job_id: int) -> PrintJob:
    with till.db.read() as session:
        job = session.get(PrintJob, job_id)
        assert job is not None
        session.expunge(job)  # keep the loaded values after the read snapshot ends
        return job


def _jobs(till: TillData) -> list[PrintJob]:
    with till.db.read() as session:
        jobs = list(session.scalars(select(PrintJob).order_by(PrintJob.id)))
        session.expunge_all()
        return jobs


def _sale(till: TillData, sale_id: int) -> Sale:
    with till.db.read() as session:
        sale = session.get(Sale, sale_id)
        assert sale is not None
        session.expunge(sale)
        return sale


def test_a_cash_sale_opens_the_drawer_then_prints_its_receipt_once(
    till_with_printer: TillData, fake_printer: FakePrinter, start_worker: StartWorker
) -> None:
    """The drawer job goes first, then the receipt; the sale is marked printed exactly once."""
    till = till_with_printer
    sale_id = till.add_sale([("可口可乐 330ml", 2, 350)])
    log = start_worker()  # first: kicks queued before the worker starts are dropped
    job_id = enqueue_receipt(till.db, sale_id)
    assert log.wait_for("printed").status is PrinterStatus.UNKNOWN  # drawer: status not asked
    assert log.wait_for("printed").job_id == job_id
    drawer, receipt = fake_printer.wait_for_jobs(2)
    assert drawer == b"\x1b@\x1c&\x1bp\x00\x32\x32"
    assert receipt == _job(till, job_id).data
    job = _job(till, job_id)
    assert (job.status, job.attempts, job.last_error) == (JobStatus.PRINTED, 1, "")
    assert _sale(till, sale_id).printed_at == job.printed_at
    url = zxingcpp.read_barcodes(decode_escpos(receipt).rasters[0].convert("L"))[0].text
    assert url.startswith("https://mall.example.cn/r/")


FAULTS = {
    "refuse": ("refused the connection", PrinterStatus.OFFLINE),
    "hang": ("stopped taking data", PrinterStatus.OFFLINE),
    "close_mid_job": ("dropped the connection", PrinterStatus.OFFLINE),
    "paper_out": ("out of paper", PrinterStatus.PAPER_OUT),
    "cover_open": ("cover open", PrinterStatus.COVER_OPEN),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_printer_fault_keeps_the_job_waiting_with_its_reason_then_prints_once(
    till_with_printer: TillData, fake_printer: FakePrinter, start_worker: StartWorker, fault: str
) -> None:
    """The sale stays committed, the job waits showing why, and prints once the printer is back."""
    till = till_with_printer
    fake_printer.set_mode(fault)
    sale_id = _wechat_sale(till)
    job_id = enqueue_receipt(till.db, sale_id)
    log = start_worker()
    reason, status = FAULTS[fault]
    event = log.wait_for("waiting")
    assert (event.job_id, event.status) == (job_id, status)
    assert reason in event.message
    [waiting] = waiting_jobs(till.db)
    assert waiting.id == job_id and reason in waiting.last_error
    assert _sale(till, sale_id).printed_at is None
    assert fake_printer.jobs == []

    fake_printer.set_mode("normal")
    assert log.wait_for("printed").job_id == job_id
    log.worker.stop()
    data = _job(till, job_id).data
    assert fake_printer.jobs == [data]  # whole, and only once
    assert all(data.startswith(part) for part in fake_printer.partial_jobs)
    assert _job(till, job_id).status == JobStatus.PRINTED
    assert _sale(till, sale_id).printed_at is not None
    assert waiting_jobs(till.db) == []


def test_a_printer_that_never_answers_status_still_prints(
    till_with_printer: TillData, fake_printer: FakePrinter
) -> None:
    """No answer to DLE EOT means status unknown, and the job is sent anyway."""
    fake_printer.set_mode("mute")
    job_id = enqueue_receipt(till_with_printer.db, _wechat_sale(till_with_printer))
    assert send_job(till_with_printer.db, job_id, fast_connect) is PrinterStatus.UNKNOWN
    assert fake_printer.wait_for_jobs(1) == [_job(till_with_printer, job_id).data]


def test_send_job_reports_the_failure_and_leaves_the_job_pending(
    till_with_printer: TillData, fake_printer: FakePrinter
) -> None:
    """Sending by hand (the CLI) raises the printer error; the job is not lost."""
    fake_printer.set_mode("refuse")
    job_id = enqueue_receipt(till_with_printer.db, _wechat_sale(till_with_printer))
    with pytest.raises(PrinterOffline, match="refused"):
        send_job(till_with_printer.db, job_id, fast_connect)
    job = _job(till_with_printer, job_id)
    assert (job.status, job.attempts) == (JobStatus.PENDING, 1)


def test_a_job_interrupted_by_a_crash_is_offered_for_reprint_not_resent(
    till_with_printer: TillData, fake_printer: FakePrinter, start_worker: StartWorker
) -> None:
    """A job left "sending" by a crash becomes in doubt; its sale is offered, never auto-resent."""
    till = till_with_printer
    sale_id = _wechat_sale(till)
    job_id = enqueue_receipt(till.db, sale_id)
    with till.db.write() as session:  # the app died after claiming the job
        session.execute(update(PrintJob).values(status=JobStatus.SENDING))
    assert unprinted_sales(till.db, now=SALE_TIME) == []  # still in the queue's hands

    assert recover_interrupted(till.db) == 1
    assert _job(till, job_id).status == JobStatus.IN_DOUBT
    [offered] = unprinted_sales(till.db, now=SALE_TIME)
    assert (offered.sale_id, offered.sale_no, offered.total_fen) == (sale_id, "T01-000001", 900)

    reprint_id = reprint(till.db, "T01-000001")
    log = start_worker()
    assert log.wait_for("printed").job_id == reprint_id
    log.worker.stop()
    assert fake_printer.jobs == [_job(till, reprint_id).data]
    assert _job(till, job_id).status == JobStatus.IN_DOUBT
    assert unprinted_sales(till.db, now=SALE_TIME) == []


def test_unprinted_sales_only_looks_back_the_given_window(till_with_printer: TillData) -> None:
    """Old unprinted sales (before this till printed receipts) are not offered again."""
    _wechat_sale(till_with_printer)
    later = SALE_TIME + timedelta(days=2)
    assert unprinted_sales(till_with_printer.db, now=later) == []
    assert len(unprinted_sales(till_with_printer.db, now=later, within=timedelta(days=3))) == 1


def test_a_reprint_is_marked_as_a_copy_and_leaves_the_drawer_shut(
    till_with_printer: TillData, fake_printer: FakePrinter
) -> None:
    """After the first print, a reprint says 重印 and queues no drawer kick even for cash."""
    till = till_with_printer
    sale_id = till.add_sale([("可口可乐 330ml", 1, 350)])
    first = enqueue_receipt(till.db, sale_id, kick_drawer=False)
    send_job(till.db, first, fast_connect)
    again = reprint(till.db, "T01-000001")
    assert [job.id for job in waiting_jobs(till.db)] == [again]
    lines = decode_escpos(_job(till, again).data).lines
    assert any("购物小票（重印）" in line for line in lines)
    assert not any("重印" in line for line in decode_escpos(_job(till, first).data).lines)


DRAWER_KICK = b"\x1bp"  # ESC p: the pulse that springs the drawer


def test_a_drawer_kick_with_the_printer_off_is_dropped_and_never_sent_when_it_returns(
    till_with_printer: TillData, fake_printer: FakePrinter, start_worker: StartWorker
) -> None:
    """Case 7: a cash sale while the printer is off. The kick gets its one attempt, is dropped
    with a reason, and when the printer is back only the receipt prints; the drawer stays shut."""
    till = till_with_printer
    fake_printer.set_mode("refuse")
    log = start_worker()
    sale_id = till.add_sale([("可口可乐 330ml", 2, 350)])  # cash: the drawer should open
    receipt_id = enqueue_receipt(till.db, sale_id)
    dropped = log.wait_for("expired")
    assert dropped.status is PrinterStatus.OFFLINE and "will not open later" in dropped.message
    assert log.wait_for("waiting").job_id == receipt_id  # the receipt waits, it is not lost

    fake_printer.set_mode("normal")
    assert log.wait_for("printed").job_id == receipt_id
    log.worker.retry_now()
    time.sleep(0.3)  # the worker polls every 50 ms: time enough to send anything still queued
    log.worker.stop()
    assert fake_printer.jobs == [_job(till, receipt_id).data]
    assert not any(DRAWER_KICK in job for job in fake_printer.jobs)
    assert [(j.kind, j.status) for j in _jobs(till)] == [
        ("drawer", JobStatus.EXPIRED),
        ("receipt", JobStatus.PRINTED),
    ]


def test_a_drawer_kick_goes_at_once_even_while_its_printer_backs_off(
    till_with_printer: TillData, fake_printer: FakePrinter
) -> None:
    """A test page failed and waits out a long backoff; the printer is back and a No Sale kick
    is queued: the kick is sent now, not when the backoff ends."""
    till = till_with_printer
    worker = print_worker(till.db, connect=fast_connect, backoff=Backoff(60, 60), idle_poll_s=0.05)
    log = EventLog(worker)
    fake_printer.set_mode("refuse")
    enqueue_test_page(till.db)
    worker.start()
    try:
        log.wait_for("waiting")
        fake_printer.set_mode("normal")
        kick = enqueue_drawer_kick(till.db)
        assert log.wait_for("printed").job_id == kick
        assert fake_printer.wait_for_jobs(1) == [b"\x1b@\x1c&\x1bp\x00\x32\x32"]
    finally:
        worker.stop()


def test_drawer_kicks_left_from_before_a_restart_are_dropped_never_sent(
    till_with_printer: TillData, fake_printer: FakePrinter, start_worker: StartWorker
) -> None:
    """A kick still queued when the app stopped is dropped on start, with a reason."""
    till = till_with_printer
    job_id = enqueue_drawer_kick(till.db)
    with till.db.write() as session:
        session.execute(update(PrintJob).values(created_at=SALE_TIME))
    log = start_worker()
    page = enqueue_test_page(till.db)
    assert log.wait_for("printed").job_id == page
    log.worker.stop()
    job = _job(till, job_id)
    assert (job.status, job.attempts, job.last_error) == (JobStatus.EXPIRED, 0, EXPIRED_REASON)
    assert not any(DRAWER_KICK in data for data in fake_printer.jobs)


def test_a_test_page_shows_the_column_ruler_and_a_scannable_qr(
    till: TillData, fake_printer: FakePrinter
) -> None:
    """The test page names the printer, rules 32 columns and carries the mall's QR code."""
    job_id = enqueue_test_page(till.db, printer_uri=fake_printer.uri)
    assert send_job(till.db, job_id, fast_connect) is PrinterStatus.READY
    decoded = decode_escpos(fake_printer.wait_for_jobs(1)[0])
    assert "12345678901234567890123456789012" in decoded.lines
    assert f"打印机: {fake_printer.uri}" in decoded.lines
    assert zxingcpp.read_barcodes(decoded.rasters[0].convert("L"))[0].text == (
        "https://mall.example.cn"
    )


def test_the_backoff_stays_at_its_ceiling_however_long_the_printer_is_off() -> None:
    """A printer off overnight fails thousands of times; the delay stays max_s (no overflow)."""
    backoff = Backoff(first_s=1.0, max_s=30.0)
    assert [backoff.delay_s(n) for n in (1, 2, 3, 6, 1025, 10**6)] == [1, 2, 4, 30, 30, 30]
