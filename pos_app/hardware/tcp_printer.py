"""A network printer on a raw TCP port (tcp://HOST:PORT, 9100 by default).

`write()` only returns once the job is handed over: the socket's send buffer is kept small (a
few KB) so a printer that stops reading makes the write time out instead of the data vanishing
into the network stack; after the data we send FIN and wait briefly for the printer to close
its side, which also reveals a connection reset mid-job. Raw port 9100 has no receipt
acknowledgement beyond that, so a printer that dies after taking the last bytes cannot be told
apart from one that printed them.
"""

from __future__ import annotations

import socket
import time

from pos_app.hardware.connections import PrinterOffline, PrinterTimeout, StatusQueries, Timeouts

SEND_BUFFER_BYTES = 4096


class TcpConnection(StatusQueries):
    """A network printer on a raw TCP port."""

    def __init__(self, host: str, port: int, timeouts: Timeouts) -> None:
        super().__init__(f"{host}:{port}", timeouts)
        try:
            self.sock = socket.create_connection((host, port), timeout=timeouts.connect_s)
        except ConnectionRefusedError as exc:
            raise PrinterOffline(
                f"Printer {self.name} refused the connection. Is it switched on?"
            ) from exc
        except TimeoutError as exc:
            raise PrinterOffline(
                f"Printer {self.name} did not answer within {timeouts.connect_s:g} s. "
                "Check its power and network cable."
            ) from exc
        except OSError as exc:
            raise PrinterOffline(f"Printer {self.name} cannot be reached: {exc.strerror}") from exc
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)

    def _lost(self, exc: OSError) -> PrinterOffline:
        return PrinterOffline(
            f"Printer {self.name} dropped the connection ({exc.strerror or exc}); "
            "the job will be sent again."
        )

    def _ask(self, query: bytes) -> int | None:
        self.sock.settimeout(self.timeouts.status_s)
        try:
            self.sock.sendall(query)
            answer = self.sock.recv(1)
        except TimeoutError:
            return None
        except OSError as exc:
            raise self._lost(exc) from exc
        if not answer:
            raise PrinterOffline(f"Printer {self.name} closed the connection.")
        return answer[0]

    def write(self, data: bytes) -> None:
        self.sock.settimeout(self.timeouts.write_s)
        try:
            self.sock.sendall(data)
            self.sock.shutdown(socket.SHUT_WR)
        except TimeoutError as exc:
            raise PrinterTimeout(
                f"Printer {self.name} stopped taking data for {self.timeouts.write_s:g} s; "
                "the job will be sent again."
            ) from exc
        except OSError as exc:
            raise self._lost(exc) from exc
        self._await_close()

    def _await_close(self) -> None:
        """Read until the printer closes its side, briefly; a reset here means data was lost."""
        deadline = time.monotonic() + self.timeouts.status_s
        try:
            while (left := deadline - time.monotonic()) > 0:
                self.sock.settimeout(left)
                if not self.sock.recv(256):
                    return
        except TimeoutError:
            return  # printers that keep the socket open after the job are fine too
        except OSError as exc:
            raise self._lost(exc) from exc

    def close(self) -> None:
        self.sock.close()
