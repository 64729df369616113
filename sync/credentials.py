"""This till's device credentials for the mall: obtained by pairing, kept in the data dir.

The file (mall-device.json) is written atomically with owner-only permissions (0600); the secret
is never printed or logged (DeviceCredentials' repr hides it).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sync.errors import NotPaired

if TYPE_CHECKING:  # loaded when a client is made: `pos sync --status` only reads the file
    from pos_app.store.db import Database
    from sync.client import MallClient
    from sync.protocol import PairResponse

FILE_NAME = "mall-device.json"


@dataclass(frozen=True)
class DeviceCredentials:
    base_url: str
    device_id: str
    store_id: str
    store_name: str
    paired_at: str
    device_secret: str = field(repr=False)
    ca_bundle: str | None = None

    def client(self, **options: object) -> MallClient:
        from sync.client import MallClient

        return MallClient(
            self.base_url,
            device_id=self.device_id,
            device_secret=self.device_secret,
            ca_bundle=self.ca_bundle,
            **options,  # type: ignore[arg-type]
        )


def credentials_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def save_credentials(data_dir: Path, credentials: DeviceCredentials) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = credentials_path(data_dir)
    # mkstemp creates the file readable and writable by its owner only (0600).
    handle, temp_name = tempfile.mkstemp(dir=data_dir, prefix=".mall-device-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(credentials), out, ensure_ascii=False, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


def load_credentials(data_dir: Path) -> DeviceCredentials:
    path = credentials_path(data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotPaired(
            "this till is not paired with a mall yet: run `pos pair URL CODE`"
        ) from None
    return DeviceCredentials(**data)


def save_member_settings(db: Database, base_url: str, answer: PairResponse) -> None:
    """Keep what pairing brought for members in the till's settings: the mall's address (the
    receipt QR links point there), the store's receipt token keys, the member code public key
    and the points rules."""
    from pos_app.store.settings import set_setting

    with db.write() as session:
        set_setting(session, "mall_base_url", base_url)
        if answer.receipt_keys and answer.receipt_kid is not None:
            set_setting(session, "receipt_token_keys", dict(answer.receipt_keys))
            set_setting(session, "receipt_token_kid", answer.receipt_kid)
        if answer.member_code_public_key is not None:
            set_setting(session, "member_code_public_key", answer.member_code_public_key)
        if answer.points_rules is not None:
            set_setting(session, "points_rules", answer.points_rules.model_dump())


def pair(
    base_url: str,
    code: str,
    data_dir: Path,
    *,
    till_id: str,
    device_name: str = "",
    db: Database | None = None,
) -> DeviceCredentials:
    """Exchange a one-time pairing code for credentials and keep them in data_dir (and, given
    the till's database, the member settings that came with them)."""
    from sync.client import MallClient

    client = MallClient(base_url)
    try:
        answer = client.pair(code, till_id=till_id, device_name=device_name)
    finally:
        client.close()
    credentials = DeviceCredentials(
        base_url=client.base_url,
        device_id=answer.device_id,
        store_id=answer.store_id,
        store_name=answer.store_name,
        paired_at=datetime.now(UTC).isoformat(),
        device_secret=answer.device_secret,
    )
    save_credentials(data_dir, credentials)
    if db is not None:
        save_member_settings(db, client.base_url, answer)
    return credentials
