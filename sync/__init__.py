"""Sync between the till and the cloud mall: wire protocol, HTTP client, engine and worker."""
