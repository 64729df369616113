"""A raw-TCP receipt printer endpoint for tests, and the short timeouts tests print with."""

from __future__ import annotations

import socket
import struct
import threading
from functools import partial

from pos_app.hardware.connections import Timeouts
from pos_app.hardware.print_worker import Backoff
from pos_app.hardware.printer_uri import open_printer

FAST_TIMEOUTS = Timeouts(connect_s=1.0, write_s=0.5, status_s=0.2)
FAST_BACKOFF = Backoff(first_s=0.05, max_s=0.2)
fast_connect = partial(open_printer, timeouts=FAST_TIMEOUTS)


STATUS_ANSWERS = {  # answers to DLE EOT 1, 2, 4
    "normal": {1: 0x12, 2: 0x12, 4: 0x12},
    "paper_out": {1: 0x1A, 2: 0x32, 4: 0x72},
    "cover_open": {1: 0x1A, 2: 0x16, 4: 0x12},
}
CUT_AFTER_BYTES = 512  # in "close_mid_job" mode the endpoint resets after this much of a job
PRINTER_BUFFER_BYTES = 2048  # a small receive buffer, like a printer's


class FakePrinter:
    """A raw-TCP receipt printer on 127.0.0.1 that records the bytes of every job it receives.

    Modes: "normal"; "refuse" (nothing listens: connection refused); "hang" (accepts, never
    reads or answers); "close_mid_job" (resets the connection part-way through a job);
    "paper_out" and "cover_open" (answer real-time status queries so, and print nothing);
    "mute" (prints but never answers status queries, like a cheap printer).
    """

    def __init__(self) -> None:
        self.mode = "normal"
        self.jobs: list[bytes] = []
        self.partial_jobs: list[bytes] = []
        self.connections = 0
        self._hung: list[socket.socket] = []
        self._changed = threading.Condition()
        self._server: socket.socket | None = None
        self.port = 0
        self._listen()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _listen(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, PRINTER_BUFFER_BYTES)
        server.bind(("127.0.0.1", self.port))
        server.listen()
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return  # closed: "refuse" mode or shutdown
            self.connections += 1
            if self.mode == "hang":
                self._hung.append(conn)
            else:
                threading.Thread(target=self._serve, args=(conn, self.mode), daemon=True).start()

    def _answer_queries(self, conn: socket.socket, pending: bytes, mode: str) -> bytes:
        """Answer DLE EOT n queries at the start of the stream; return what follows them."""
        while len(pending) >= 3 and pending[:2] == b"\x10\x04":
            answer = STATUS_ANSWERS.get(mode, STATUS_ANSWERS["normal"])[pending[2]]
            if mode != "mute":
                conn.sendall(bytes([answer]))
            pending = pending[3:]
        return pending

    def _serve(self, conn: socket.socket, mode: str) -> None:
        job, pending = bytearray(), b""
        with conn:
            while chunk := conn.recv(4096):
                if not job:
                    pending = self._answer_queries(conn, pending + chunk, mode)
                    if b"\x10\x04".startswith(pending[:2]) and len(pending) < 3:
                        continue
                    chunk, pending = pending, b""
                job += chunk
                if mode == "close_mid_job" and len(job) >= CUT_AFTER_BYTES:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self._record(self.partial_jobs, bytes(job))
                    return
        if job:
            self._record(self.jobs, bytes(job))

    def _record(self, where: list[bytes], job: bytes) -> None:
        with self._changed:
            where.append(job)
            self._changed.notify_all()

    def set_mode(self, mode: str) -> None:
        """Switch behaviour; leaving "hang" drops the hung connections, "refuse" stops listening."""
        if self.mode == "refuse" and mode != "refuse":
            self._listen()
        elif mode == "refuse" and self._server is not None:
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close alone won't
            self._server.close()
            self._server = None
        if mode != "hang":
            for conn in self._hung:
                conn.close()
            self._hung.clear()
        self.mode = mode

    def wait_for_jobs(self, count: int, timeout_s: float = 5.0) -> list[bytes]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.jobs) >= count, timeout_s)
            return list(self.jobs)

    def close(self) -> None:
        self.set_mode("refuse")
