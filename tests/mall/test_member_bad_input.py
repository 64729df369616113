"""Bad input to the members API and the claim pages: unknown phones, malformed lookups, holds
that cannot be, forged, foreign or expired receipts, wrong SMS codes and too many of anything
get a clear answer and change nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mall.db import MallDatabase
from mall.local import LocalMall
from mall.members.claims import ReceiptState, read_receipt
from mall.members.keys import ensure_member_keys
from mall.members.models import HoldRow, MemberRow, PointsEntryRow, ReceiptClaimRow
from mall.members.settings import MemberSettings
from mall.members.sms import DEMO_SMS_ENV, sender_from_env
from tests.mall.conftest import Device, ServedMall, make_mall_db
from tests.mall.test_mall_bad_input import expect_error
from tests.sync.member_helpers import CodeBox, MallMembers, Phone, push_sale, token_for

URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def counts(db: MallDatabase) -> tuple[int, ...]:
    with db.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (MemberRow, HoldRow, ReceiptClaimRow)
        )


@pytest.fixture(scope="module")
def h5(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServedMall, CodeBox]]:
    """A mall whose limits are small: 2 claims per IP a day, 3 code guesses."""
    sms = CodeBox()
    db = make_mall_db(tmp_path_factory.mktemp("h5") / "mall.db")
    members = MemberSettings(sms_sender=sms, claims_per_ip_day=2, sms_attempts=3)
    server = LocalMall.for_database(db.url, members=members).start()  # type: ignore[arg-type]
    yield ServedMall(server, db), sms
    server.stop()
    db.dispose()


def test_an_unknown_phone_is_404_with_a_sentence_and_creates_nobody(
    device: Device, served: ServedMall
) -> None:
    """Looking up a phone nobody registered says so; no member appears."""
    before = counts(served.db)
    body = expect_error(device.post("/members/lookup", json={"phone": "13811112222"}), 404)
    assert body["message"] == "no member with this phone number"
    expect_error(device.post("/members/lookup", json={"card_no": "1234567890"}), 404)
    assert counts(served.db) == before


@pytest.mark.parametrize("member_id", ["M000000000000", "tel:12345", "tel:"])
def test_a_sale_naming_an_unknown_member_still_counts_but_credits_nobody(
    device: Device, served: ServedMall, member_id: str
) -> None:
    """Facts are never refused: the sale is applied; no member appears, no points go anywhere."""
    before = counts(served.db)
    push_sale(device, member_id=member_id, points_earned=3)
    assert counts(served.db) == before
    with served.db.read() as session:
        assert session.scalar(select(func.count()).select_from(PointsEntryRow)) == 0


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"phone": "12345"},
        {"phone": "13811112222", "card_no": "1234567890"},
        {"digits": "812"},
        {"card_no": "abc"},
        {"phone": 13811112222},
        {"phone": "138", "x": 1},
    ],
)
def test_malformed_lookups_are_422_and_change_nothing(
    device: Device, served: ServedMall, query: dict
) -> None:
    """No field, two fields, wrong shapes or types: refused before any lookup."""
    before = counts(served.db)
    expect_error(device.post("/members/lookup", json=query), 422, "invalid_request")
    assert counts(served.db) == before


def test_holds_beyond_the_balance_or_of_another_store_are_refused(
    device: Device, served: ServedMall
) -> None:
    """Before the member shows their code here: 403; then more points than the member has: 409;
    nobody with that id: 403 as well; a hold of another store cannot be released."""
    member = device.post("/members/signup", json={"phone": "13822223333"}).json()
    hold = {
        "request_id": "h1",
        "member_id": member["member_id"],
        "kind": "points",
        "amount_fen": 100,
    }
    expect_error(device.post("/members/holds", json=hold), 403, "member_code_needed")
    code = MallMembers(served.db).code(member["member_id"])
    assert device.post("/members/lookup", json={"code": code}).status_code == 200
    body = expect_error(device.post("/members/holds", json=hold), 409, "insufficient_points")
    assert "0 points available" in body["message"]
    unknown = {**hold, "member_id": "M000000000000"}
    expect_error(device.post("/members/holds", json=unknown), 403, "member_code_needed")
    expect_error(device.post("/members/holds/Hnope/release"), 404)
    other = served.new_device("S002")
    expect_error(other.post("/members/holds", json={**hold, "amount_fen": 0}), 422)
    with served.db.read() as session:
        assert session.scalar(select(func.count()).select_from(HoldRow)) == 0


def test_forged_foreign_malformed_and_expired_receipts_get_a_clear_page(
    h5: tuple[ServedMall, CodeBox],
) -> None:
    """Each refused receipt says why in Chinese, can not be claimed, and leaves no claim."""
    mall, sms = h5
    device = mall.new_device()
    seq = push_sale(device)
    genuine = token_for(mall.db, seq)
    forged = genuine[:-2] + ("AA" if genuine[-2:] != "AA" else "BB")
    mall.new_device("S002")  # store S002 has its own receipt keys
    foreign = token_for(mall.db, seq, store_id="S002")  # S001's key, S002's name
    old = token_for(mall.db, seq, issued_at=datetime.now(UTC) - timedelta(days=40))
    phone = Phone(mall.base_url, sms)
    phone.log_in("13833334444", "/m")
    before = counts(mall.db)
    for token, text in [
        (forged, "校验失败"),
        (foreign, "校验失败"),
        ("not-a-token", "无法识别"),
        ("A" * 80, "无法识别"),
        (old, "超过 30 天"),
    ]:
        page = phone.open(f"{mall.base_url}/r/{token}")
        assert page.status_code == 400 and text in page.text, token
        refused = phone.claim(token)
        assert refused.status_code == 409 and text in refused.text
    assert counts(mall.db) == before


def test_a_wrong_code_logs_nobody_in_and_three_wrong_guesses_burn_the_code(
    h5: tuple[ServedMall, CodeBox],
) -> None:
    """Wrong codes are refused; after three the right one no longer works either."""
    mall, sms = h5
    phone = Phone(mall.base_url, sms)
    url = f"{mall.base_url}/login"
    phone.http.post(f"{url}/code", data={"phone": "13844445555", "next": "/m"}, timeout=10)
    right = sms.codes["13844445555"]
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        answer = phone.http.post(url, data={"phone": "13844445555", "code": wrong}, timeout=10)
        assert answer.status_code == 400 and "验证码不正确" in answer.text
    late = phone.http.post(url, data={"phone": "13844445555", "code": right}, timeout=10)
    assert late.status_code == 400 and "mdt_member" not in phone.http.cookies
    again = phone.http.post(f"{url}/code", data={"phone": "13844445555"}, timeout=10)
    assert again.status_code == 429 and "请稍等一分钟" in again.text
    bad = phone.http.post(f"{url}/code", data={"phone": "1234"}, timeout=10)
    assert bad.status_code == 400 and "11 位手机号" in bad.text


def test_claims_from_one_network_stop_at_the_daily_limit(h5: tuple[ServedMall, CodeBox]) -> None:
    """The third claim from the same IP in a day is refused, and credits nothing."""
    mall, sms = h5
    tokens = [token_for(mall.db, push_sale(mall.new_device())) for _ in range(3)]
    for number, token in enumerate(tokens):
        phone = Phone(mall.base_url, sms)
        phone.log_in(f"1385555000{number}", f"/r/{token}")
        answer = phone.claim(token)
        if number < 2:
            assert "领取成功" in answer.text
        else:
            assert answer.status_code == 429 and "太多" in answer.text
    with mall.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ReceiptClaimRow)) == 2


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_change_to_a_receipt_token_is_refused_by_the_mall(
    mall_db: MallDatabase, data: st.DataObject
) -> None:
    """Whatever single character of a genuine token changes, the mall will not take it."""
    with mall_db.write() as session:
        ensure_member_keys(session)
    token = token_for(mall_db, 7)
    position = data.draw(st.integers(0, len(token) - 1))
    changed = token[:position] + data.draw(st.sampled_from(URL_SAFE)) + token[position + 1 :]
    with mall_db.read() as session:
        state = read_receipt(session, changed, now=datetime.now(UTC), claim_days=30).state
    assert state is (ReceiptState.PENDING if changed == token else ReceiptState.INVALID)


def test_the_default_sms_sender_never_writes_a_code_to_the_log(
    served: ServedMall, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A code asked for over HTTP with no SMS provider is neither sent nor logged (no six
    digits anywhere in the log); only POS_MALL_DEMO_SMS=log puts codes in the log."""
    with caplog.at_level("INFO"):
        answer = requests.post(
            f"{served.base_url}/login/code", data={"phone": "13866667777"}, timeout=10
        )
    assert answer.status_code == 200
    assert "no SMS provider" in caplog.text and "7777" in caplog.text
    assert re.search(r"\b\d{6}\b", caplog.text) is None
    monkeypatch.setenv(DEMO_SMS_ENV, "log")
    caplog.clear()
    with caplog.at_level("WARNING", logger="mall.sms"):
        sender_from_env().send("13866667777", "123456")
    assert "123456" in caplog.text and "13866667777" not in caplog.text


def test_pages_answer_html_even_for_nonsense_paths(h5: tuple[ServedMall, CodeBox]) -> None:
    """Unknown products and stores get a page, never a 500."""
    mall, _ = h5
    for path, status, text in [
        ("/p/nope", 404, "不存在"),
        ("/p/%00%01", 404, "不存在"),
        ("/p/1001?s=S999", 200, "没有找到这个门店"),
        ("/m", 200, "手机号登录"),
        ("/login?next=//evil.example", 200, "获取验证码"),
    ]:
        page = requests.get(f"{mall.base_url}{path}", timeout=10)
        assert page.status_code == status and text in page.text, path
