"""`pos self-test` (自检): after installing, or when something seems wrong, checks in one go that
this till works here: the database and its journal, a Chinese font, product search with its
dictionaries (pinyin, traditional → simplified), the back office dashboard with its report
process, and (with --printer, or the printer set up) a test page.

It opens the back office window (off screen when there is no display), waits until the
dashboard shows today's figures computed by the report process, and closes it again, so it
proves what a packaged till most often lacks: the spawned worker process and the Qt plugins.
Prints one line per check; exit 1 when any check fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from types import SimpleNamespace

from pos_app.services.database import Database

EXIT_OK, EXIT_FAILED = 0, 1
DASHBOARD_WAIT_S = 60.0  # the report process starts a second Python: slow on a busy old PC


def _check_journal(db: Database) -> str:
    from pos_app.services.audit import journal_problems

    problems = journal_problems(db)
    if problems:
        raise RuntimeError(f"日志链断开：{len(problems)} 处（第一处 #{problems[0].seq}）")
    return "日志链完整"


def _check_font(db: Database) -> str:
    from pos_app.hardware.fonts import cjk_font_file

    file, index = cjk_font_file(bold=False, mono=True)
    return f"{file} #{index}"


def _check_search(db: Database) -> str:
    """A traditional-character query finds what its simplified name is: both dictionaries load."""
    from pos_app.services.till_views import find_page

    page = find_page(db, "樂")  # 乐, as in 可乐 and 乐事
    return f"“樂”找到 {page.total} 个商品"


def _check_dashboard(db: Database) -> str:
    """Opens the back office as a read-only viewer and waits for the dashboard's figures."""
    if not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pos_app.ui.app import make_application
    from pos_app.ui.backoffice.window import BackOfficeWindow
    from pos_app.ui.qt import QApplication

    make_application()
    window = BackOfficeWindow(db, SimpleNamespace(id=0, name="自检", role="cashier"))
    try:
        window.show()
        tile = window.dashboard.tiles["net_fen"]
        deadline = time.monotonic() + DASHBOARD_WAIT_S
        while tile.value.text() == "—":
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"看板 {DASHBOARD_WAIT_S:g} 秒内没有显示数字（报表进程未启动？）"
                )
            QApplication.processEvents()
            time.sleep(0.01)
        return f"今日净销售额 {tile.value.text()}"
    finally:
        window.close()


def _check_printer(db: Database, uri: str) -> str:
    from pos_app.services.printing import cancel_job, enqueue_test_page, send_job

    job_id = enqueue_test_page(db, printer_uri=uri)
    try:
        return f"{uri} 已打印测试页（状态 {send_job(db, job_id)}）"
    except Exception:
        cancel_job(db, job_id)
        raise


def run_self_test(db: Database, args: argparse.Namespace) -> int:
    from pos_app.services.till_settings import read_settings

    printer = args.printer or read_settings(db).printer_uri
    checks: list[tuple[str, Callable[[], str]]] = [
        ("数据库", lambda: _check_journal(db)),
        ("中文字体", lambda: _check_font(db)),
        ("商品搜索", lambda: _check_search(db)),
        ("后台看板", lambda: _check_dashboard(db)),
    ]
    if printer:
        checks.append(("打印机", lambda: _check_printer(db, printer)))
    failed = 0
    for name, check in checks:
        try:
            print(f"OK    {name}: {check()}", flush=True)
        except Exception as error:  # every failure is reported, then the next check runs
            failed += 1
            print(f"失败  {name}: {error}", file=sys.stderr, flush=True)
    return EXIT_FAILED if failed else EXIT_OK
