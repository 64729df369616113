"""A mall served by uvicorn on a background thread of this process, on 127.0.0.1.

For the one-machine demo (the till starts a local mall beside itself), for tests and benches.
Port 0 picks a free port; the socket is bound before the thread starts, so there is no race.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace
from types import TracebackType
from typing import Any

import uvicorn
from fastapi import FastAPI

from mall.app import create_app
from mall.migrate import upgrade
from mall.settings import MallSettings

STARTUP_TIMEOUT_S = 15.0


class LocalMall:
    def __init__(self, settings: MallSettings, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.settings = settings
        self.host = host
        self.port = port
        self._app: FastAPI | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def for_database(cls, database_url: str, *, port: int = 0, **limits: Any) -> LocalMall:
        return cls(replace(MallSettings(database_url=database_url), **limits), port=port)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LocalMall:
        """Upgrade the database, then serve until stop(); returns when requests are answered."""
        upgrade(self.settings.database_url)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        self.port = listener.getsockname()[1]
        self._app = create_app(self.settings)
        config = uvicorn.Config(
            self._app, log_level="warning", lifespan="off", **self.settings.uvicorn_options()
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [listener]}, name="local-mall", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the local mall did not start on {self.base_url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._app is None or self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=STARTUP_TIMEOUT_S)
        self._app.state.background.stop()
        self._app.state.db.dispose()
        self._app = self._server = self._thread = None

    def __enter__(self) -> LocalMall:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()
