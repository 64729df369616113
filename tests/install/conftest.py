"""The real mall fixtures of the sync tests, for the backup and multi-till tests here."""

from tests.sync.conftest import mall, mall_url, pg_server_url  # noqa: F401
