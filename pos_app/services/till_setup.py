"""First-run setup of a till (the setup wizard and `pos setup`): the store, this till's number,
the owner's manager log-in, the receipt paper and the printer; and, after pairing with the mall,
the store the mall knows this till by.

Several tills of one store each get their own number (T01, T02, …): sale numbers, the journal's
sequence and the mall's device identity all carry it, so their sales never collide. Messages
are in Chinese: the shop owner reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, text

from pos_app.services.auth import hash_pin
from pos_app.services.errors import ServiceError
from pos_app.store.db import Database
from pos_app.store.models import Sale, Staff, Store, Till
from pos_app.store.peek import COUNT_STAFF
from pos_app.store.settings import get_setting, set_setting

MAX_TILLS = 99
PAPER_WIDTHS_MM = (58, 80)
PIN = re.compile(r"^\d{4,8}$")
STAFF_CODE = re.compile(r"^\d{3,8}$")


class SetupError(ServiceError):
    """A setup value that cannot be used; the message says which and why, in Chinese."""


@dataclass(frozen=True)
class TillSetup:
    store_name: str
    store_address: str
    till_number: int
    manager_code: str
    manager_name: str
    manager_pin: str
    receipt_width_mm: int = 58
    printer_uri: str = ""


def till_id_of(number: int) -> str:
    return f"T{number:02d}"


def needs_setup(db: Database) -> bool:
    """A till nobody has set up yet: no staff to log in with."""
    with db.read() as session:
        return not session.scalar(text(COUNT_STAFF))


def validate(setup: TillSetup) -> None:
    if not setup.store_name.strip():
        raise SetupError("请填写门店名称。")
    if not 1 <= setup.till_number <= MAX_TILLS:
        raise SetupError(f"收银台编号应为 1 到 {MAX_TILLS} 之间的数字。")
    if not STAFF_CODE.match(setup.manager_code):
        raise SetupError("店长工号应为 3 到 8 位数字。")
    if not setup.manager_name.strip():
        raise SetupError("请填写店长姓名。")
    if not PIN.match(setup.manager_pin):
        raise SetupError("密码应为 4 到 8 位数字。")
    if setup.receipt_width_mm not in PAPER_WIDTHS_MM:
        raise SetupError("小票纸宽只能是 58 或 80 毫米。")


def apply_setup(db: Database, setup: TillSetup) -> str:
    """Store everything in one transaction; returns this till's id (e.g. "T02")."""
    validate(setup)
    till_id = till_id_of(setup.till_number)
    with db.write() as session:
        store_id = get_setting(session, "store_id")
        store = session.get(Store, store_id) or Store(id=store_id)
        store.name, store.address = setup.store_name.strip(), setup.store_address.strip()
        session.add(store)
        if session.get(Till, till_id) is None:
            session.add(Till(id=till_id, store_id=store_id, name=f"{setup.till_number}号收银台"))
        if session.scalar(select(Staff).where(Staff.code == setup.manager_code)) is None:
            session.add(
                Staff(
                    code=setup.manager_code,
                    name=setup.manager_name.strip(),
                    role="manager",
                    pin_hash=hash_pin(setup.manager_pin),
                )
            )
        for key, value in (
            ("till_id", till_id),
            ("store_name", store.name),
            ("store_address", store.address),
            ("receipt_width_mm", setup.receipt_width_mm),
            ("printer_uri", setup.printer_uri),
        ):
            set_setting(session, key, value)
    return till_id


def adopt_paired_store(db: Database, store_id: str, store_name: str) -> bool:
    """After pairing: a till that has sold nothing yet takes the mall's store_id (the mall
    refuses sales of any other store); the name the owner typed is kept when there is one.
    Returns False when the till already sold under another store (nothing is moved)."""
    with db.write() as session:
        old_id = get_setting(session, "store_id")
        till_id = get_setting(session, "till_id")
        if old_id == store_id:
            return True
        if session.scalar(select(Sale.id).limit(1)) is not None:
            return False
        old = session.get(Store, old_id)
        name = old.name if old is not None and old.name else store_name
        session.merge(Store(id=store_id, name=name, address=old.address if old else ""))
        session.flush()
        till = session.get(Till, till_id)
        if till is not None:
            till.store_id = store_id
        set_setting(session, "store_id", store_id)
    return True


def pair_till(db: Database, url: str, code: str) -> str:
    """Pair this till (with its number from the setup) with the mall's store by the one-time
    code; returns the store's name at the mall. Talks to the mall: not for the GUI thread."""
    from sync.credentials import pair

    with db.read() as session:
        till_id = get_setting(session, "till_id")
    credentials = pair(
        url, code, db.path.parent, till_id=till_id, device_name=f"收银台 {till_id}", db=db
    )
    adopt_paired_store(db, credentials.store_id, credentials.store_name)
    return credentials.store_name
