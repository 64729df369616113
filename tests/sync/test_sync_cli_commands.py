"""`pos pair`, `pos sync --once` and `pos sync --status` as support would run them."""

from __future__ import annotations

from argparse import Namespace

import pytest

from sync.cli_commands import pair_command, status_command, sync_command
from tests.sync.conftest import COLA, Mall


def test_pair_then_sync_once_then_status_tell_the_story(
    mall: Mall, make_till, capsys: pytest.CaptureFixture[str]
):
    """Unpaired → 2 (status: the sale waiting); paired → status shows the sale waiting, a round
    pushes it, then status shows nothing waiting and the round's time."""
    till = make_till()
    till.sell(COLA)
    assert sync_command(till.db, Namespace()) == 2
    assert "pos pair" in capsys.readouterr().err
    assert status_command(till.db.path, Namespace()) == 0
    assert "未配对，1 笔销售待上传" in capsys.readouterr().out
    assert pair_command(till.db, Namespace(url=mall.base_url, code=mall.pair_code())) == 0
    assert "paired with 人民路店 (S001)" in capsys.readouterr().out
    assert status_command(till.db.path, Namespace()) == 0
    out = capsys.readouterr().out
    assert "events waiting: 1" in out and "last sync:      never" in out
    assert sync_command(till.db, Namespace()) == 0
    assert status_command(till.db.path, Namespace()) == 0
    out = capsys.readouterr().out
    assert "events waiting: 0" in out and "store S001" in out and "last sync:      never" not in out
    assert mall.sales("S001") == (1, 350)


def test_a_wrong_code_or_an_unreachable_mall_fails_with_a_reason(
    mall: Mall, make_till, capsys: pytest.CaptureFixture[str]
):
    """Exit 1 and one sentence on stderr, never a traceback."""
    till = make_till()
    assert pair_command(till.db, Namespace(url=mall.base_url, code="ABCDE-FGHJK")) == 1
    assert "pairing_code_invalid" in capsys.readouterr().err
    assert pair_command(till.db, Namespace(url="http://example.com", code="ABCDE-FGHJK")) == 1
    assert "https" in capsys.readouterr().err
