"""A fault-injecting HTTP proxy between till and mall, on 127.0.0.1, for convergence tests.

Each request gets the next fault from a list (then none): drop it before the mall sees it,
drop the answer after the mall committed, stall past the client's timeout, answer 500/502
without or after forwarding, cut the answer in half, or forward it twice at once.
One request per connection (the proxy asks both sides to close).
"""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from collections.abc import Iterable

FAULTS = (
    "drop_before",
    "drop_after",
    "stall",
    "delay",
    "status_500",
    "status_502",
    "502_after",
    "truncate",
    "duplicate",
)
_CANNED = (
    "HTTP/1.1 {0} Oops\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n"
    "Connection: close\r\n\r\noops"
)


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    lines = []
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        if name.strip().lower() != b"connection":
            lines.append(line)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(self, upstream_port: int, faults: Iterable[str], *, stall_s: float = 1.5) -> None:
        self.upstream_port = upstream_port
        self.faults = deque(faults)
        self.stall_s = stall_s
        self.seen: list[str] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open = True
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._open = False
        self._listener.close()

    def _next_fault(self) -> str:
        with self._lock:
            fault = self.faults.popleft() if self.faults else "none"
            self.seen.append(fault)
            return fault

    def _accept(self) -> None:
        while self._open:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30) as upstream:
            upstream.sendall(request)
            chunks = []
            while chunk := upstream.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            request = _read_request(conn)
            if request is None:
                return
            fault = self._next_fault()
            if fault == "drop_before":
                return
            if fault in ("status_500", "status_502"):
                conn.sendall(_CANNED.format(fault[-3:]).encode())
                return
            if fault in ("delay", "stall"):
                time.sleep(0.2 if fault == "delay" else self.stall_s)
            if fault == "duplicate":
                twin = threading.Thread(target=self._forward, args=(request,))
                twin.start()
                response = self._forward(request)
                twin.join()
            else:
                response = self._forward(request)
            if fault == "drop_after":
                return
            if fault == "502_after":
                conn.sendall(_CANNED.format(502).encode())
                return
            if fault == "truncate":
                response = response[: len(response) // 2]
            try:
                conn.sendall(response)
            except OSError:  # the client gave up waiting (stall)
                return
