"""Small HTTP servers on 127.0.0.1 that the tests put between the SDK and the server, or in its place."""

from __future__ import annotations

import http.client
import queue
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _read_request(handler: BaseHTTPRequestHandler) -> Recorded:
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length else b""
    return Recorded(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()}, body)


class StandIn(_Server):
    """Answers each request with the next of ``answers`` (status, headers, body) and records it; once they run out,
    500. An answer of None drops the connection without a word."""

    def __init__(self, answers: list[tuple[int, dict[str, str], bytes] | None]) -> None:
        self.requests: list[Recorded] = []
        script = list(answers)
        recorded = self.requests
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def _answer(self) -> None:
                with lock:
                    recorded.append(_read_request(self))
                    answer = script.pop(0) if script else (500, {}, b"no more answers")
                if answer is None:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                status, headers, body = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            do_GET = do_POST = _answer

        super().__init__(Handler)


class Proxy(_Server):
    """Passes requests on to the real server, and can spoil what comes back:

    - ``alter(method, path, status, body) -> body`` rewrites an answer read whole (not an event stream);
    - ``cut(n) -> k`` passes only the first k blocks (events, position ids, keep-alives) of the n-th event stream it
      carries (1-based), then drops the connection; None passes everything;
    - ``framing``: ``"eof"`` ends a cut stream as a closed connection (a clean end), ``"chunked"`` in the middle of a
      chunked body (a broken one);
    - ``drop(method, path) -> bool`` passes a request on but drops the connection instead of answering: the server
      did it, the client never heard.
    """

    def __init__(
        self,
        upstream: str,
        *,
        alter: Callable[[str, str, int, bytes], bytes] | None = None,
        cut: Callable[[int], int | None] | None = None,
        framing: str = "eof",
        drop: Callable[[str, str], bool] | None = None,
    ) -> None:
        self.requests: list[Recorded] = []
        self.cuts = 0
        self.cut_done = threading.Event()
        target = urlsplit(upstream)
        proxy = self
        streams = [0]
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def _pass(self) -> None:
                request = _read_request(self)
                with lock:
                    proxy.requests.append(request)
                upstream_connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
                headers = {k: v for k, v in request.headers.items() if k not in ("host", "connection", "content-length")}
                headers["Connection"] = "close"
                upstream_connection.request(request.method, request.path, body=request.body or None, headers=headers)
                response = upstream_connection.getresponse()
                try:
                    if response.status == 200 and "text/event-stream" in (response.getheader("Content-Type") or ""):
                        with lock:
                            streams[0] += 1
                            number = streams[0]
                        self._stream(response, cut(number) if cut else None)
                    elif drop is not None and drop(request.method, request.path):
                        response.read()
                        self.connection.shutdown(socket.SHUT_RDWR)
                    else:
                        body = response.read()
                        if alter is not None:
                            body = alter(request.method, request.path, response.status, body)
                        self.send_response(response.status)
                        for name, value in response.getheaders():
                            if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                                self.send_header(name, value)
                        self.send_header("Content-Length", str(len(body)))
                        self.send_header("Connection", "close")
                        self.end_headers()
                        self.wfile.write(body)
                finally:
                    upstream_connection.close()
                    self.close_connection = True

            def _stream(self, response: http.client.HTTPResponse, blocks: int | None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                if framing == "chunked":
                    self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                passed = 0
                if blocks == 0:
                    return self._cut()
                while line := response.readline():
                    self._write(line)
                    if line in (b"\n", b"\r\n"):
                        passed += 1
                        if blocks is not None and passed >= blocks:
                            return self._cut()
                if framing == "chunked":
                    self.wfile.write(b"0\r\n\r\n")

            def _write(self, data: bytes) -> None:
                if framing == "chunked":
                    data = f"{len(data):x}\r\n".encode() + data + b"\r\n"
                self.wfile.write(data)
                self.wfile.flush()

            def _cut(self) -> None:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                with lock:
                    proxy.cuts += 1
                proxy.cut_done.set()

            do_GET = do_POST = _pass

        super().__init__(Handler)


class Receiver(_Server):
    """A webhook receiver: answers 204 and hands each delivery (headers, raw body) to ``deliveries``."""

    def __init__(self) -> None:
        self.deliveries: queue.Queue[Recorded] = queue.Queue()
        deliveries = self.deliveries

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                deliveries.put(_read_request(self))
                self.send_response(204)
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True

        super().__init__(Handler)


def deciding(reviewer: Any, verdict: str, **fields: Any) -> Callable[[str, str, int, bytes], tuple[str, str, int, bytes]]:
    """A Proxy ``alter`` step that has ``reviewer`` decide each case as soon as the server made it, before the agent
    hears of it: a person who decides at once, without a thread racing the test. Passes the answer on unchanged."""

    def decide(method: str, path: str, status: int, body: bytes) -> tuple[str, str, int, bytes]:
        if method == "POST" and path.endswith("/v1/cases") and status == 201:
            import json

            case = json.loads(body)
            if case["status"] == "pending":  # not one the policy decided already
                reviewer.decide(case["id"], verdict, **fields)
        return method, path, status, body

    return decide


def then(*steps: Callable[..., Any]) -> Callable[[str, str, int, bytes], bytes]:
    """Chains ``deciding`` (and other steps that pass the answer on) with a last step that returns the body."""

    def alter(method: str, path: str, status: int, body: bytes) -> bytes:
        args: Any = (method, path, status, body)
        for step in steps[:-1]:
            args = step(*args)
        return steps[-1](*args)  # type: ignore[no-any-return]

    return alter


def unchanged(method: str, path: str, status: int, body: bytes) -> bytes:
    return body
