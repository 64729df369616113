"""导出诊断包: the zip a shop sends to support holds logs, versions, settings and the journal
check, and no secret."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from pos_app.cli import main
from pos_app.store.db import Database
from pos_app.store.settings import set_setting


def test_the_support_bundle_has_what_support_needs_and_no_secret(
    db: Database, tmp_path: Path
) -> None:
    with db.write() as session:
        set_setting(session, "receipt_token_keys", {"1": "c2VjcmV0LXN0b3JlLWtleQ"})
        set_setting(session, "printer_uri", "tcp://192.168.1.50:9100")
    out = tmp_path / "诊断包.zip"
    assert main(["--db", str(db.path), "diagnostics", str(out)]) == 0
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
        report = json.loads(bundle.read("report.json"))
        everything = b"".join(bundle.read(name) for name in names)
    assert "logs/till.log" in names
    assert report["versions"]["mendiantong-pos"] == "0.1.0"
    assert report["journal"] == "intact"
    assert report["settings"]["printer_uri"] == "tcp://192.168.1.50:9100"
    assert report["settings"]["receipt_token_keys"] == "***"
    assert b"c2VjcmV0LXN0b3JlLWtleQ" not in everything
    assert b"$argon2" not in everything  # no PIN hashes
