"""Every limit holds under parallel requests, on SQLite and on PostgreSQL: wrong pairing codes
and member look-ups lock out, SMS codes are sent once a minute and burnt after their guesses,
and the right code after that does not log in."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import select

from mall.members.models import SmsCodeRow
from mall.members.settings import MemberSettings
from tests.mall.conftest import Device
from tests.sync.conftest import Mall, open_mall
from tests.sync.member_helpers import CodeBox

PARALLEL = 30
TIMEOUT_S = 30


@dataclass
class LimitedMall:
    mall: Mall
    sms: CodeBox


@pytest.fixture
def limited(mall_url: str) -> Iterator[LimitedMall]:
    sms = CodeBox()
    members = MemberSettings(
        sms_sender=sms,  # type: ignore[arg-type]
        sms_attempts=3,
        lookups_per_device_minute=30,
        lookup_misses_per_device=10,
        pairing_failures_per_ip=10,
    )
    for mall in open_mall(mall_url, members=members):  # type: ignore[arg-type]
        yield LimitedMall(mall, sms)


def in_parallel(count: int, call: Callable[[int], int]) -> Counter[int]:
    """The status codes of count calls made at once."""
    with ThreadPoolExecutor(count) as pool:
        return Counter(pool.map(call, range(count)))


def test_wrong_pairing_codes_lock_the_address_out(limited: LimitedMall):
    """30 wrong codes at once: 10 are told the code is wrong, 20 get 429; then even a right
    code is refused until the lockout is over, and pairs nothing."""
    url = f"{limited.mall.base_url}/api/v1/pair"

    def wrong(n: int) -> int:
        body = {"code": f"WRONG{n:05d}", "till_id": "T01"}
        return requests.post(url, json=body, timeout=TIMEOUT_S).status_code

    assert in_parallel(PARALLEL, wrong) == Counter({403: 10, 429: 20})
    right = requests.post(
        url, json={"code": limited.mall.pair_code(), "till_id": "T01"}, timeout=TIMEOUT_S
    )
    assert (right.status_code, right.json()["code"]) == (429, "rate_limited")


def test_member_lookups_by_phone_cannot_enumerate_members(limited: LimitedMall):
    """30 look-ups of unknown phones at once: 10 find nobody, 20 are refused (429); a till
    making 30 more look-ups of a real member in a minute is stopped too."""
    mall = limited.mall
    answer = requests.post(
        f"{mall.base_url}/api/v1/pair",
        json={"code": mall.pair_code(), "till_id": "T01"},
        timeout=TIMEOUT_S,
    ).json()
    till = Device(mall.base_url, answer["device_id"], answer["device_secret"])

    def unknown(n: int) -> int:
        return till.post("/members/lookup", json={"phone": f"139{n:08d}"}).status_code

    assert in_parallel(PARALLEL, unknown) == Counter({404: 10, 429: 20})
    refused = till.post("/members/lookup", json={"phone": "13900000000"})
    assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")


def test_twenty_parallel_code_requests_send_one_code(limited: LimitedMall):
    """One phone asking for a code 20 times at once gets one code; the rest wait a minute."""
    url = f"{limited.mall.base_url}/login/code"

    def ask(_n: int) -> int:
        return requests.post(url, data={"phone": "13811112222"}, timeout=TIMEOUT_S).status_code

    assert in_parallel(20, ask) == Counter({200: 1, 429: 19})
    with limited.mall.db.read() as session:
        codes = session.scalars(select(SmsCodeRow).where(SmsCodeRow.phone == "13811112222"))
        assert len(codes.all()) == 1


def test_parallel_wrong_guesses_burn_the_code_and_the_right_one_then_fails(limited: LimitedMall):
    """30 wrong guesses at once count as 30: the code is burnt after 3, the right code no
    longer logs in, and no session cookie is set."""
    base = limited.mall.base_url
    phone = "13833334444"
    requests.post(f"{base}/login/code", data={"phone": phone}, timeout=TIMEOUT_S)
    right = limited.sms.codes[phone]
    wrong = "000000" if right != "000000" else "111111"

    def guess(_n: int) -> int:
        data = {"phone": phone, "code": wrong}
        return requests.post(f"{base}/login", data=data, timeout=TIMEOUT_S).status_code

    assert in_parallel(PARALLEL, guess) == Counter({400: PARALLEL})
    with limited.mall.db.read() as session:
        row = session.scalar(select(SmsCodeRow).where(SmsCodeRow.phone == phone))
        assert row is not None and row.attempts == 3 and row.used_at is None
    browser = requests.Session()
    late = browser.post(f"{base}/login", data={"phone": phone, "code": right}, timeout=10)
    assert late.status_code == 400 and "mdt_member" not in browser.cookies


def test_one_code_logs_in_once_even_when_sent_twice_at_once(limited: LimitedMall):
    """The right code posted 10 times at once starts exactly one session."""
    base, phone = limited.mall.base_url, "13855556666"
    requests.post(f"{base}/login/code", data={"phone": phone}, timeout=TIMEOUT_S)
    code = limited.sms.codes[phone]

    def log_in(_n: int) -> int:
        data = {"phone": phone, "code": code, "next": f"/m?{uuid.uuid4().hex}"}
        return requests.post(
            f"{base}/login", data=data, timeout=TIMEOUT_S, allow_redirects=False
        ).status_code

    assert in_parallel(10, log_in) == Counter({303: 1, 400: 9})
