"""HTTP/1.1 requests read from a byte buffer: no sockets, no threads, every limit explicit.

The server reads whatever a connection sends into a buffer and asks
:class:`RequestReader` whether a whole request has arrived. Keeping the parser
apart from the sockets means idle keep-alive connections cost no thread (the event
loop holds them), and every junk input a fuzzer can think of is answered by a pure
function: a :class:`Request`, "not yet", or an :class:`HttpError` with the status
to answer before closing the connection.

Limits (each answered with its own status, never a hang or a traceback):

* the request line and headers together: 64 KiB (431);
* the body: AWS's 1 MB request quota for Step Functions (413, refused before the
  body is read);
* framing: ``Content-Length`` must be digits, ``Transfer-Encoding`` only
  ``chunked``, chunk sizes hex (400 or 501).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

MAX_HEAD_BYTES: Final = 65_536
"""The request line and every header, together."""

MAX_BODY_BYTES: Final = 1_048_576
"""AWS's hard quota on one Step Functions API request ("Maximum request size: 1 MB")."""

MAX_HEADERS: Final = 100

_TOKEN: Final = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION: Final = re.compile(rb"HTTP/1\.[0-9]")
_CHUNK_SIZE: Final = re.compile(rb"[0-9A-Fa-f]{1,8}")


class HttpError(Exception):
    """A request that cannot be read: answer ``status`` with ``message``, then close."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Headers:
    """Request headers: case-insensitive names, repeated headers joined with commas."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._values: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            self._values[key] = f"{self._values[key]}, {value}" if key in self._values else value

    def get(self, name: str, default: None = None) -> str | None:
        """The header's value, or None."""
        return self._values.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values


@dataclass(slots=True)
class Request:
    """One whole request."""

    method: str
    target: str
    version: str
    headers: Headers
    body: bytes = b""
    keep_alive: bool = True

    @property
    def path(self) -> str:
        """The target without its query string."""
        return self.target.split("?", 1)[0].split("#", 1)[0]


@dataclass(slots=True)
class _Head:
    request: Request
    length: int | None
    """The body's length, or None for a chunked body."""


@dataclass(slots=True)
class RequestReader:
    """Reads requests, one after another, from the bytes a connection sent.

    Call :meth:`feed` with what arrived, then :meth:`next` until it returns None.
    """

    buffer: bytearray = field(default_factory=bytearray)
    _head: _Head | None = None
    _chunks: bytearray = field(default_factory=bytearray)
    _offset: int = 0
    """How far into ``buffer`` a chunked body has been read."""
    _in_trailers: bool = False

    def feed(self, data: bytes) -> None:
        """Add bytes received from the connection."""
        self.buffer += data

    @property
    def started(self) -> bool:
        """Whether part of a request has arrived (an idle connection has none)."""
        return bool(self.buffer) or self._head is not None

    def expects_continue(self) -> bool:
        """Whether the client waits for ``100 Continue`` before sending the body it announced."""
        head = self._head
        return (
            head is not None
            and not head.request.body
            and (head.length is None or head.length > len(self.buffer))
            and (head.request.headers.get("Expect") or "").lower() == "100-continue"
        )

    def next(self) -> Request | None:
        """The next whole request, or None until more bytes arrive.

        Raises:
            HttpError: the request cannot be read; the connection must close after the answer.
        """
        if self._head is None:
            self._head = self._read_head()
            if self._head is None:
                return None
        head = self._head
        body = self._read_body(head)
        if body is None:
            return None
        self._head = None
        head.request.body = body
        return head.request

    def _read_head(self) -> _Head | None:
        while self.buffer[:2] == b"\r\n":  # a stray line break between requests is allowed
            del self.buffer[:2]
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD_BYTES:
                raise HttpError(431, "the request's headers are larger than 64 KiB")
            return None
        if end > MAX_HEAD_BYTES:
            raise HttpError(431, "the request's headers are larger than 64 KiB")
        lines = bytes(self.buffer[:end]).split(b"\r\n")
        del self.buffer[: end + 4]
        request = _request_line(lines[0])
        request.headers = Headers(_header_lines(lines[1:]))
        request.keep_alive = _keep_alive(request)
        return _Head(request, _body_length(request.headers))

    def _read_body(self, head: _Head) -> bytes | None:
        if head.length is not None:
            if len(self.buffer) < head.length:
                return None
            body = bytes(self.buffer[: head.length])
            del self.buffer[: head.length]
            return body
        return self._read_chunks()

    def _read_chunks(self) -> bytes | None:
        while True:
            end = self.buffer.find(b"\r\n", self._offset)
            if end < 0:
                if len(self.buffer) - self._offset > 4096:
                    raise HttpError(400, "malformed chunked body")
                return None
            line = bytes(self.buffer[self._offset : end])
            if not line:  # the blank line that ends the trailers
                return self._finish_chunks(end + 2)
            if self._in_trailers:
                self._offset = end + 2
                continue
            size = _chunk_size(line)
            if len(self._chunks) + size > MAX_BODY_BYTES:
                raise HttpError(413, f"HTTP content length exceeded {MAX_BODY_BYTES} bytes.")
            if size == 0:
                self._in_trailers = True
                self._offset = end + 2
                continue
            start, stop = end + 2, end + 2 + size
            if len(self.buffer) < stop + 2:
                return None
            if self.buffer[stop : stop + 2] != b"\r\n":
                raise HttpError(400, "malformed chunked body")
            self._chunks += self.buffer[start:stop]
            del self.buffer[: stop + 2]
            self._offset = 0

    def _finish_chunks(self, end: int) -> bytes:
        del self.buffer[:end]
        body = bytes(self._chunks)
        self._chunks = bytearray()
        self._offset = 0
        self._in_trailers = False
        return body


def _request_line(line: bytes) -> Request:
    parts = line.split(b" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1] or not _VERSION.fullmatch(parts[2]):
        raise HttpError(400, "malformed request line")
    try:
        target = parts[1].decode("ascii")
    except UnicodeDecodeError:
        raise HttpError(400, "malformed request line") from None
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        raise HttpError(400, "malformed request line")
    return Request(parts[0].decode("ascii"), target, parts[2].decode("ascii"), Headers([]))


def _header_lines(lines: list[bytes]) -> list[tuple[str, str]]:
    if len(lines) > MAX_HEADERS:
        raise HttpError(431, f"more than {MAX_HEADERS} headers")
    pairs: list[tuple[str, str]] = []
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            raise HttpError(400, "malformed header line")
        text = value.strip(b" \t")
        if any(byte < 0x20 and byte != 0x09 or byte == 0x7F for byte in text):
            raise HttpError(400, "malformed header value")
        pairs.append((name.decode("ascii"), text.decode("latin-1")))
    return pairs


def _keep_alive(request: Request) -> bool:
    tokens = {t.strip().lower() for t in (request.headers.get("Connection") or "").split(",")}
    if request.version == "HTTP/1.0":
        return "keep-alive" in tokens
    return "close" not in tokens


def _body_length(headers: Headers) -> int | None:
    coding = headers.get("Transfer-Encoding")
    if coding is not None:
        if coding.strip().lower() != "chunked":
            raise HttpError(501, f"unsupported Transfer-Encoding {coding!r}")
        return None
    raw = headers.get("Content-Length")
    if raw is None:
        return 0
    values = {v.strip() for v in raw.split(",")}
    if len(values) != 1:
        raise HttpError(400, "conflicting Content-Length headers")
    value = values.pop()
    if not value.isascii() or not value.isdigit():
        raise HttpError(400, f"malformed Content-Length {value[:40]!r}")
    if len(value) > 18 or int(value) > MAX_BODY_BYTES:
        raise HttpError(413, f"HTTP content length exceeded {MAX_BODY_BYTES} bytes.")
    return int(value)


def _chunk_size(line: bytes) -> int:
    size = line.split(b";", 1)[0].strip(b" \t")
    if not _CHUNK_SIZE.fullmatch(size):
        raise HttpError(400, "malformed chunk size")
    return int(size, 16)
