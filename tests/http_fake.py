"""A real HTTP server on 127.0.0.1 for the bad-input suite: FakeLabelStudio's answers by default,
with per-path faults (HTML, empty or cut-off bodies, non-HTTP replies, trickling, redirects,
echoed headers). Bounded: at most ``max_requests`` requests (later ones get 503 and are counted
as a failure of the test), every socket times out after ``socket_timeout`` seconds, and the
server stops when the ``with`` block ends.
"""

from __future__ import annotations

import time

from .fake_labelstudio import FakeLabelStudio
from .local_server import LocalServer, QuietHandler


class Fault:
    """What the server does instead of answering normally."""

    def __init__(self, status: int = 200, body: bytes = b"", headers: dict | None = None, *, raw: bytes | None = None,
                 trickle: float = 0.0, cut: int | None = None, echo_headers: bool = False, times: int | None = None) -> None:
        self.status, self.body, self.headers = status, body, dict(headers or {})
        self.raw, self.trickle, self.cut, self.echo_headers, self.times = raw, trickle, cut, echo_headers, times


class FakeServer(LocalServer):
    def __init__(self, faults: dict | None = None, *, token: str = "secret-token-123", max_requests: int = 60,
                 socket_timeout: float = 5.0, fake: FakeLabelStudio | None = None) -> None:
        self.fake = fake or FakeLabelStudio(token)
        self.faults = dict(faults or {})  # (method, path prefix) -> Fault
        self.max_requests = max_requests
        self.requests: list[tuple[str, str, dict]] = []
        self.overflow = 0
        outer = self

        class Handler(QuietHandler):
            timeout = socket_timeout

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = dict(self.headers.items())
                if len(outer.requests) >= outer.max_requests:
                    outer.overflow += 1
                    self._send(503, b'{"detail": "request budget of the test server exceeded"}')
                    return
                outer.requests.append((self.command, self.path, headers))
                path = self.path.split("?")[0]
                for (method, prefix), fault in outer.faults.items():
                    if method == self.command and path.startswith(prefix) and (fault.times is None or fault.times > 0):
                        if fault.times is not None:
                            fault.times -= 1
                        return self._fault(fault, headers)
                status, answer = outer.fake(self.command, f"http://x{self.path}", headers, body, 5.0)
                self._send(status, answer)

            def _fault(self, fault: Fault, headers: dict):
                self.close_connection = True
                if fault.raw is not None:
                    self.wfile.write(fault.raw)
                    return
                body = fault.body
                if fault.echo_headers:
                    body = ("request headers: " + "; ".join(f"{k}: {v}" for k, v in headers.items())).encode()
                if fault.trickle:
                    self.send_response(fault.status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for ch in body:
                        self.wfile.write(bytes([ch]))
                        self.wfile.flush()
                        time.sleep(fault.trickle)
                    return
                if fault.cut is not None:
                    self.send_response(fault.status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: fault.cut])
                    return
                self._send(fault.status, body, fault.headers)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle

        super().__init__(Handler)
