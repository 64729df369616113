"""The H5 pages as a web application done right, over real HTTP: security headers on every
answer, form posts from another site refused, bodies limited before they are read, no receipt
token or location in the access log, proxy headers not believed from an unconfigured peer,
sessions rotated and bounded, and the inputs that used to answer 500."""

from __future__ import annotations

import logging
import re
import socket
import time
from collections.abc import Iterator

import pytest
import requests
from pydantic import ValidationError
from sqlalchemy import delete

from mall.catalog import add_store
from mall.cli import main as mall_main
from mall.local import LocalMall
from mall.members.models import RateCounterRow
from mall.members.settings import MemberSettings
from tests.mall.conftest import ServedMall, make_mall_db
from tests.sync.member_helpers import CodeBox, Phone, push_sale, token_for

TIMEOUT_S = 10


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServedMall, CodeBox]]:
    sms = CodeBox()
    db = make_mall_db(tmp_path_factory.mktemp("h5sec") / "mall.db")
    members = MemberSettings(sms_sender=sms, sms_per_ip_hour=5)  # type: ignore[arg-type]
    server = LocalMall.for_database(db.url, members=members).start()
    yield ServedMall(server, db), sms
    server.stop()
    db.dispose()


def test_every_answer_carries_the_security_headers(site) -> None:
    """Pages, API answers and errors: nosniff, frame-ancestors 'none', a Referer only to the
    mall; a page's script runs only by its nonce."""
    mall, _ = site
    for path in ("/login", "/m", "/p/nope", "/api/v1/health", "/nowhere"):
        answer = requests.get(f"{mall.base_url}{path}", timeout=TIMEOUT_S, allow_redirects=False)
        headers = answer.headers
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert "default-src 'none'" in headers["Content-Security-Policy"], path
        assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain http: no HSTS promise
    page = requests.get(f"{mall.base_url}/login", timeout=TIMEOUT_S)
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"].split("style-src")[0]


@pytest.mark.parametrize("path", ["/login", "/login/code", "/logout", "/r/anything/claim"])
@pytest.mark.parametrize("origin", ["https://evil.example", "http://shop.127.0.0.1.nip.io", "null"])
def test_a_form_post_from_another_site_is_refused_before_it_is_read(site, path, origin) -> None:
    """Login, code, logout and claim posts naming another origin get 403 and change nothing."""
    mall, sms = site
    before = dict(sms.codes)
    answer = requests.post(
        f"{mall.base_url}{path}",
        data={"phone": "13800000000", "code": "123456"},
        headers={"Origin": origin},
        timeout=TIMEOUT_S,
        allow_redirects=False,
    )
    assert answer.status_code == 403 and "请求被拒绝" in answer.text
    assert sms.codes == before


def test_a_huge_form_is_refused_without_being_read(site) -> None:
    """A form that says it is 64 MiB, or streams on without a length, is answered 413 while
    the client has sent only its first 8 KiB: the mall does not wait to read the rest."""
    mall, _ = site
    host, port = mall.base_url.removeprefix("http://").split(":")
    for length_header in (f"Content-Length: {64 * 1024 * 1024}", "Transfer-Encoding: chunked"):
        with socket.create_connection((host, int(port)), timeout=TIMEOUT_S) as conn:
            conn.sendall(
                (
                    f"POST /login/code HTTP/1.1\r\nHost: {host}:{port}\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"{length_header}\r\n\r\n"
                ).encode()
            )
            chunk = b"p" * 8192
            if "chunked" in length_header:
                chunk = b"2000\r\n" + chunk + b"\r\n"
            conn.sendall(chunk)
            answer = conn.recv(200).decode("latin-1")
        assert answer.startswith("HTTP/1.1 413"), (length_header, answer)


def test_the_access_log_has_no_receipt_token_and_no_location(
    site, caplog: pytest.LogCaptureFixture
) -> None:
    """Opening a receipt link and the member page with a position logs /r/… and /m only."""
    mall, _ = site
    token = token_for(mall.db, push_sale(mall.new_device()))
    with caplog.at_level(logging.INFO, logger="mall.access"):
        requests.get(f"{mall.base_url}/r/{token}", timeout=TIMEOUT_S)
        requests.get(f"{mall.base_url}/m?lat=31.2304&lng=121.4737", timeout=TIMEOUT_S)
        time.sleep(0.2)
    lines = [r.getMessage() for r in caplog.records if r.name == "mall.access"]
    assert any(line.startswith("GET /r/… 200") for line in lines), lines
    assert any(line.startswith("GET /m 303") for line in lines), lines
    assert token not in caplog.text and "31.23" not in caplog.text


def test_a_forwarded_for_header_from_an_unconfigured_peer_buys_no_more_codes(site) -> None:
    """Rotating X-Forwarded-For does not make new addresses: the sixth code from this peer
    within the hour is refused (the limit is 5 here)."""
    mall, _ = site
    statuses = [
        requests.post(
            f"{mall.base_url}/login/code",
            data={"phone": f"1370000{n:04d}"},
            headers={"X-Forwarded-For": f"10.0.0.{n}", "X-Forwarded-Proto": "https"},
            timeout=TIMEOUT_S,
        ).status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429
    assert statuses.count(200) <= 5


def test_a_new_login_ends_the_session_the_browser_had_and_sessions_are_bounded(site) -> None:
    """Logging in again gives a new cookie and the old one no longer opens the member page;
    a fourth phone logging in as the member ends the oldest session."""
    mall, sms = site
    number = "13600000001"

    def log_in(phone: Phone) -> str:
        with mall.db.write() as session:  # as if the minute between two codes had passed
            session.execute(delete(RateCounterRow))
        phone.log_in(number, "/m")
        return phone.http.cookies["mdt_member"]

    def opens_member_page(cookie: str) -> bool:
        page = requests.get(
            f"{mall.base_url}/m", cookies={"mdt_member": cookie}, timeout=10, allow_redirects=False
        )
        return page.status_code == 200

    first = Phone(mall.base_url, sms)
    old = log_in(first)
    new = log_in(first)
    assert new != old and opens_member_page(new) and not opens_member_page(old)
    others = [log_in(Phone(mall.base_url, sms)) for _ in range(3)]
    assert all(opens_member_page(cookie) for cookie in others)
    assert not opens_member_page(new)


def test_nonsense_positions_and_names_answer_pages_not_500(site, capsys) -> None:
    """lat=inf or nan shows the member page without distance; a store id a receipt token
    cannot carry and a member name over 64 characters are refused when added."""
    mall, sms = site
    phone = Phone(mall.base_url, sms)
    phone.log_in("13500000001", "/m")
    for query in ("lat=inf&lng=inf", "lat=nan&lng=1", "lat=1e308&lng=-1e308", "lat=91&lng=0"):
        page = phone.open(f"{mall.base_url}/m?{query}")
        assert page.status_code == 200 and "附近门店" in page.text, query
    with mall.db.write() as session, pytest.raises(ValidationError):
        add_store(session, "S/0 1", "坏门店")
    args = ["member", "add", "13500000002", "--name", "名" * 65, "--db", mall.db.url]
    assert mall_main(args) == 1
    assert "at most 64" in capsys.readouterr().err


def test_digits_stop_working_once_refreshed_or_logged_out(tmp_path) -> None:
    """The digits on the member page find the member; once the page refreshed them (every
    second here), the old digits find nobody although they are younger than the 5-minute
    limit; after logging out, neither do the last ones."""
    sms = CodeBox()
    db = make_mall_db(tmp_path / "mall.db")
    members = MemberSettings(sms_sender=sms, member_code_refresh_s=1)  # type: ignore[arg-type]
    with LocalMall.for_database(db.url, members=members) as server:
        mall = ServedMall(server, db)
        till = mall.new_device()
        phone = Phone(mall.base_url, sms)
        phone.log_in("13400000001", "/m")

        def finds(digits: str) -> bool:
            return till.post("/members/lookup", json={"digits": digits}).status_code == 200

        shown = re.search(r"id='digits'>(\d{18})<", phone.open(f"{mall.base_url}/m").text)
        assert shown is not None and finds(shown[1])
        time.sleep(1.1)
        fresh = phone.open(f"{mall.base_url}/m/code").json()["digits"]
        assert fresh != shown[1] and finds(fresh) and not finds(shown[1])
        phone.http.post(f"{mall.base_url}/logout", timeout=TIMEOUT_S)
        assert not finds(fresh)
    db.dispose()
