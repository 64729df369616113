"""`pos pair URL CODE`, `pos sync --once` and `pos sync --status`, returning an exit code: 0 done,
1 failed (the reason is printed), 2 not paired yet.

`add_commands(subparsers)` adds them to the till's argparse CLI. Each sets `handler`, a function
of (db, args), except `sync --status`: it only reads, so it sets `peek_handler`, a function of
(database path, args) that reads through sqlite3 and answers without SQLAlchemy or requests.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.store.peek import COUNT_WAITING_KIND, open_readonly, scalar
from sync.status import SyncStatus, read_status

if TYPE_CHECKING:  # the sync modules (requests, pydantic) load only when a sync command runs
    from pos_app.store.db import Database


def _data_dir(db: Database, args: argparse.Namespace) -> Path:
    return getattr(args, "data_dir", None) or db.path.parent


def pair_command(db: Database, args: argparse.Namespace) -> int:
    """args.url, args.code: pair this till with the mall's store that issued the code."""
    from pos_app.services.till_setup import adopt_paired_store
    from pos_app.store.settings import get_setting
    from sync.credentials import pair
    from sync.errors import SyncError

    with db.read() as session:
        till_id = get_setting(session, "till_id")
        store_id = get_setting(session, "store_id")
    try:
        credentials = pair(
            args.url,
            args.code,
            _data_dir(db, args),
            till_id=till_id,
            device_name=f"till {till_id}",
            db=db,
        )
    except (SyncError, ValueError) as error:
        print(f"pairing failed: {error}", file=sys.stderr)
        return 1
    print(
        f"paired with {credentials.store_name} ({credentials.store_id}) "
        f"as device {credentials.device_id}"
    )
    if credentials.store_id != store_id and not adopt_paired_store(
        db, credentials.store_id, credentials.store_name
    ):
        print(
            f"warning: this till is set up for store {store_id}; the mall refuses sales of "
            f"another store. Set the till's store to {credentials.store_id}.",
            file=sys.stderr,
        )
    return 0


def _print_status(status: SyncStatus) -> None:
    online = {None: "not tried yet", True: "yes", False: "no"}[status.online]
    last = status.last_sync_at.isoformat(timespec="seconds") if status.last_sync_at else "never"
    print(f"online:         {online}")
    print(f"events waiting: {status.pending}")
    print(f"last sync:      {last}")
    print(f"last error:     {status.last_error or '-'}")
    print(f"conflicts:      {status.conflicts}")
    print(f"open orders:    {status.open_orders}")


def status_command(db_path: Path, args: argparse.Namespace) -> int:
    """Who this till is paired with and what waits; not paired, how many sales wait (a question,
    not a failure: exit 0)."""
    from sync.credentials import load_credentials
    from sync.errors import NotPaired

    with closing(open_readonly(db_path)) as connection:
        try:
            credentials = load_credentials(getattr(args, "data_dir", None) or db_path.parent)
        except NotPaired:
            sales = scalar(connection, COUNT_WAITING_KIND, {"kind": "sale"})
            print(f"未配对，{sales} 笔销售待上传 (not paired: pos pair URL CODE)")
            return 0
        print(
            f"paired:         device {credentials.device_id}, store "
            f"{credentials.store_id} {credentials.store_name}, mall {credentials.base_url}"
        )
        _print_status(read_status(partial(scalar, connection), online=None))
    return 0


def sync_command(db: Database, args: argparse.Namespace) -> int:
    """One full sync round (push, pull), then the status."""
    from sync.engine import engine_for
    from sync.errors import NotPaired, SyncError

    try:
        engine = engine_for(db, _data_dir(db, args))
    except NotPaired as error:
        print(error, file=sys.stderr)
        return 2
    try:
        try:
            status = engine.run_once()
        except SyncError as error:
            print(f"sync failed: {error}", file=sys.stderr)
            _print_status(engine.status())
            return 1
        _print_status(status)
        return 0
    finally:
        engine.client.close()


def add_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pair_parser = subparsers.add_parser("pair", help="pair this till with the mall")
    pair_parser.add_argument("url", help="the mall, e.g. https://mall.example.cn")
    pair_parser.add_argument("code", help="the one-time code from `pos-mall pair-code STORE`")
    pair_parser.set_defaults(handler=pair_command)
    sync_parser = subparsers.add_parser("sync", help="sync with the mall now, or show status")
    mode = sync_parser.add_mutually_exclusive_group(required=True)
    once, status = "push, pull and exit", "show what waits and what failed"
    mode.add_argument("--once", action="store_const", dest="handler", const=sync_command, help=once)
    mode.add_argument(
        "--status", action="store_const", dest="peek_handler", const=status_command, help=status
    )
