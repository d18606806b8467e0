"""Blocking HTTP for the sync client, over http.client: one connection per request."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator

from ._core import Reply, Settings, lower_headers

# What a broken try looks like: a connection refused, reset or cut short, a try that ran out of time (socket.timeout
# is TimeoutError, an OSError), or an answer that is not HTTP.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (OSError, http.client.HTTPException)


class Stream:
    """An open event stream's body; read chunk by chunk, closed by the caller."""

    def __init__(self, connection: http.client.HTTPConnection, response: http.client.HTTPResponse) -> None:
        self._connection = connection
        self._response = response

    def chunks(self) -> Iterator[bytes]:
        while True:
            chunk = self._response.read1(65536)
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        self._response.close()
        self._connection.close()


class SyncTransport:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        s = self._settings
        if s.scheme == "https":
            return http.client.HTTPSConnection(s.host, s.port, timeout=timeout, context=s.ssl_context)
        return http.client.HTTPConnection(s.host, s.port, timeout=timeout)

    def _send(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> tuple[http.client.HTTPConnection, socket.socket | None, http.client.HTTPResponse]:
        connection = self._connect(timeout)
        try:
            # skip_host: the Host header comes with the others, so that a base URL's port is named the same way here
            # and in the async client.
            connection.putrequest(method, self._settings.target(path), skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            # Kept before getresponse: with "Connection: close" the connection hands its socket to the response and
            # forgets it, and a stream still needs it to change the read timeout.
            sock = connection.sock
            return connection, sock, connection.getresponse()
        except BaseException:
            connection.close()
            raise

    def request(self, method: str, path: str, body: bytes | None, headers: dict[str, str], timeout: float) -> Reply:
        """One try, read whole. ``timeout`` bounds each blocking step (connecting, each read), not the sum."""
        connection, _, response = self._send(method, path, body, headers, timeout)
        try:
            content = response.read()
            return Reply(response.status, response.reason, lower_headers(response.getheaders()), content)
        finally:
            response.close()
            connection.close()

    def open_stream(self, path: str, headers: dict[str, str], timeout: float) -> tuple[Reply, Stream | None]:
        """Connects to an event stream: the headers within ``timeout``, then the body with no more than
        ``stream_idle_timeout`` between two reads (the server sends a keep-alive after 15 quiet seconds), so that a
        connection that died without a word is noticed. A 200 comes back with its open stream; anything else read
        whole, with None."""
        connection, sock, response = self._send("GET", path, None, headers, timeout)
        try:
            answer = Reply(response.status, response.reason, lower_headers(response.getheaders()), b"")
            if response.status != 200:
                answer = Reply(answer.status, answer.reason, answer.headers, response.read())
                response.close()
                connection.close()
                return answer, None
            if sock is not None:
                sock.settimeout(self._settings.stream_idle_timeout)
            return answer, Stream(connection, response)
        except BaseException:
            response.close()
            connection.close()
            raise
