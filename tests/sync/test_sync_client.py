"""The till's side of the connection: credentials kept safe, TLS never skipped, secrets unlogged."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from mall.devices import revoke
from sync.client import MallClient, check_base_url
from sync.credentials import credentials_path, load_credentials, pair
from sync.errors import NotPaired, SyncAuthError, SyncOffline
from tests.sync.conftest import COLA, Mall


def test_plain_http_is_refused_except_to_this_machine():
    """A mall URL must be https unless it is localhost; a typo never sends secrets in clear."""
    assert check_base_url("https://mall.example.cn/") == "https://mall.example.cn"
    assert check_base_url("http://127.0.0.1:8700") == "http://127.0.0.1:8700"
    with pytest.raises(ValueError, match="https"):
        check_base_url("http://mall.example.cn")
    assert MallClient("https://mall.example.cn").session.verify is True


def test_pairing_keeps_credentials_owner_only_and_a_code_works_once(mall: Mall, make_till):
    """The credentials file is 0600, hides the secret in repr, and the code is then spent."""
    till = make_till()
    code = mall.pair_code()
    with pytest.raises(NotPaired):
        load_credentials(till.data_dir)
    credentials = pair(mall.base_url, code, till.data_dir, till_id="T01")
    mode = stat.S_IMODE(credentials_path(till.data_dir).stat().st_mode)
    assert mode == 0o600
    assert credentials.device_secret not in repr(credentials)
    assert load_credentials(till.data_dir) == credentials
    with pytest.raises(SyncAuthError, match="pairing_code_invalid"):
        pair(mall.base_url, code, till.data_dir / "other", till_id="T02")


def test_a_revoked_till_is_refused_and_the_secret_never_reaches_the_log(
    mall: Mall, make_till, caplog: pytest.LogCaptureFixture
):
    """After revocation every call fails with SyncAuthError; debug logs never hold the secret."""
    caplog.set_level(logging.DEBUG)
    till = make_till()
    engine = till.pair(mall)
    till.sell(COLA)
    engine.run_once()
    with mall.db.write() as session:
        revoke(session, load_credentials(till.data_dir).device_id)
    till.sell(COLA)
    with pytest.raises(SyncAuthError, match="device_revoked"):
        engine.run_once()
    assert engine.status().pending == 1
    secret = load_credentials(till.data_dir).device_secret
    assert secret not in caplog.text


def test_an_unreachable_mall_is_reported_as_offline_quickly(tmp_path: Path):
    """Nothing listens on the port: SyncOffline, after the few quick retries, not a hang."""
    client = MallClient("http://127.0.0.1:9", timeout_s=(0.5, 0.5), retries=1)
    with pytest.raises(SyncOffline, match="cannot reach"):
        client.health()
