"""HTTP/1.1 for the asyncio client, over asyncio streams: one connection per request, so a cancelled wait closes its
connection at once instead of leaving a thread blocked on it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable

from ._core import Reply, Settings, lower_headers

_MAX_HEADERS = 100


class ProtocolError(Exception):
    """The answer is not HTTP/1.1 as this client reads it."""


# What a broken try looks like: refused, reset, cut short (IncompleteReadError is an EOFError), timed out
# (TimeoutError is an OSError), or not HTTP.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, ProtocolError)


class Response:
    """An answer whose headers were read; its body is read with :meth:`read` or :meth:`chunks`, then closed."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, status: int, reason: str, headers: dict[str, str], method: str) -> None:
        self._reader = reader
        self._writer = writer
        self.status = status
        self.reason = reason
        self.headers = headers
        self._method = method

    def close(self) -> None:
        self._writer.close()

    async def read(self, timeout: float) -> Reply:
        parts: list[bytes] = []
        async with asyncio.timeout(timeout):
            async for chunk in self._body(None):
                parts.append(chunk)
        return Reply(self.status, self.reason, self.headers, b"".join(parts))

    def chunks(self, idle_timeout: float) -> AsyncIterator[bytes]:
        """The body as it arrives, with no more than ``idle_timeout`` between two reads."""
        return self._body(idle_timeout)

    async def _body(self, idle_timeout: float | None) -> AsyncIterator[bytes]:
        if self._method == "HEAD" or self.status in (204, 304) or 100 <= self.status < 200:
            return
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            while True:
                size_line = await self._read(self._reader.readline(), idle_timeout)
                if not size_line:
                    raise EOFError("The connection closed in the middle of a chunked body.")
                try:
                    size = int(size_line.split(b";", 1)[0].strip(), 16)
                except ValueError as e:
                    raise ProtocolError(f"Bad chunk size {size_line!r}.") from e
                if size == 0:
                    while (await self._read(self._reader.readline(), idle_timeout)) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return
                async for data in self._exactly(size, idle_timeout):
                    yield data
                await self._read(self._reader.readexactly(2), idle_timeout)
        elif "content-length" in self.headers:
            try:
                length = int(self.headers["content-length"])
            except ValueError as e:
                raise ProtocolError(f"Bad Content-Length {self.headers['content-length']!r}.") from e
            async for data in self._exactly(length, idle_timeout):
                yield data
        else:
            while data := await self._read(self._reader.read(65536), idle_timeout):
                yield data

    async def _exactly(self, length: int, idle_timeout: float | None) -> AsyncIterator[bytes]:
        while length > 0:
            data = await self._read(self._reader.read(min(length, 65536)), idle_timeout)
            if not data:
                raise EOFError("The connection closed before the body was complete.")
            length -= len(data)
            yield data

    @staticmethod
    async def _read(operation: Awaitable[bytes], idle_timeout: float | None) -> bytes:
        if idle_timeout is None:
            return await operation
        async with asyncio.timeout(idle_timeout):
            return await operation


class AsyncTransport:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def open(self, method: str, path: str, body: bytes | None, headers: dict[str, str], timeout: float) -> Response:
        """Sends a request and reads the answer's status and headers, all within ``timeout``."""
        s = self._settings
        writer: asyncio.StreamWriter | None = None
        try:
            async with asyncio.timeout(timeout):
                https = s.scheme == "https"
                reader, writer = await asyncio.open_connection(
                    s.host, s.port, ssl=(s.ssl_context or True) if https else None, server_hostname=s.host if https else None
                )
                lines = [f"{method} {s.target(path)} HTTP/1.1"]
                lines += [f"{name}: {value}" for name, value in headers.items()]
                if body is not None:
                    lines.append(f"Content-Length: {len(body)}")
                writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
                await writer.drain()
                while True:
                    status, reason = _status_line(await reader.readline())
                    headers_read = await _headers(reader)
                    if status != 100 and not 102 <= status < 200:
                        return Response(reader, writer, status, reason, headers_read, method)
        except BaseException:
            if writer is not None:
                writer.close()
            raise

    async def request(self, method: str, path: str, body: bytes | None, headers: dict[str, str], timeout: float) -> Reply:
        """One try, read whole, within ``timeout`` for the headers and again for the body."""
        response = await self.open(method, path, body, headers, timeout)
        try:
            return await response.read(timeout)
        finally:
            response.close()


def _status_line(line: bytes) -> tuple[int, str]:
    if not line:
        raise EOFError("The server closed the connection without answering.")
    parts = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ProtocolError(f"Not an HTTP status line: {line[:100]!r}.")
    return int(parts[1]), parts[2] if len(parts) > 2 else ""


async def _headers(reader: asyncio.StreamReader) -> dict[str, str]:
    items: list[tuple[str, str]] = []
    while True:
        line = await reader.readline()
        if not line:
            raise EOFError("The connection closed in the middle of the headers.")
        if line in (b"\r\n", b"\n"):
            return lower_headers(items)
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon:
            raise ProtocolError(f"Not a header line: {line[:100]!r}.")
        items.append((name.strip(), value.strip()))
        if len(items) > _MAX_HEADERS:
            raise ProtocolError("Too many headers.")
