"""Connections: one event loop holds them, a fixed pool of workers answers their requests.

Why not a thread per connection (the stdlib's ``ThreadingHTTPServer``): an SDK keeps
idle keep-alive connections open, and a thread per socket lets anyone who opens
sockets make the process start threads without bound. Here:

* an idle connection costs a file descriptor and a buffer, no thread: the event
  loop (one thread, ``selectors``) reads what arrives and parses it
  (:mod:`fakesfn.server.http11`) until a whole request is there;
* a whole request goes to one of a fixed number of worker threads, which answer it
  (the world itself runs under the app's lock) and hand the connection back;
* at most ``max_connections`` are open: a new one past that closes the connection
  idle the longest, or is answered ``503`` when none is idle;
* an idle connection closes after ``idle_timeout`` seconds, a request that does not
  arrive whole within ``request_timeout`` closes its connection, and a reply that
  cannot be written within ``request_timeout`` too.

The timeouts read the monotonic clock: they are about sockets, not about the
fake's world, whose time stays virtual.
"""

from __future__ import annotations

import contextlib
import http
import json
import queue
import selectors
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Final

from fakesfn.server.app import Reply
from fakesfn.server.http11 import MAX_BODY_BYTES, HttpError, Request, RequestReader

if TYPE_CHECKING:
    from fakesfn.server.app import App

WORKERS: Final = 8
MAX_CONNECTIONS: Final = 256
IDLE_TIMEOUT: Final = 60.0
REQUEST_TIMEOUT: Final = 30.0
_DRAIN_BYTES: Final = 16 * MAX_BODY_BYTES
"""How much of a refused request is read and dropped, so the client can read the refusal."""
_DRAIN_SECONDS: Final = 5.0
_TICK: Final = 0.5
_INTERNAL_FAILURE: Final = (
    b'{"__type":"InternalFailure","message":"fakesfn internal error (see the server log)"}'
)


@dataclass(eq=False)
class _Connection:
    sock: socket.socket
    reader: RequestReader = field(default_factory=RequestReader)
    last: float = field(default_factory=time.monotonic)
    started: float | None = None
    """When the request being read began to arrive."""
    draining_until: float | None = None
    """Set once a refusal was sent: read and drop until then, then close."""
    drained: int = 0
    continued: bool = False


@dataclass(frozen=True)
class Limits:
    """How many workers answer, how many connections may be open, and the socket timeouts."""

    workers: int = WORKERS
    max_connections: int = MAX_CONNECTIONS
    idle_timeout: float = IDLE_TIMEOUT
    request_timeout: float = REQUEST_TIMEOUT


class ConnectionLoop:
    """Accepts connections on ``listener`` and answers their requests with ``app``."""

    def __init__(self, listener: socket.socket, app: App, log: IO[str] | None, limits: Limits) -> None:
        self.listener = listener
        self.app = app
        self.log = log
        self.limits = limits
        self.internal_errors: list[Exception] = []
        self._selector = selectors.DefaultSelector()
        self._wake_out, self._wake_in = socket.socketpair()
        self._jobs: queue.SimpleQueue[tuple[_Connection, Request | HttpError] | None] = queue.SimpleQueue()
        self._returned: queue.SimpleQueue[_Connection] = queue.SimpleQueue()
        self._open: set[_Connection] = set()
        self._open_lock = threading.Lock()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._closed = False
        listener.setblocking(False)
        self._wake_out.setblocking(False)
        self._selector.register(listener, selectors.EVENT_READ)
        self._selector.register(self._wake_in, selectors.EVENT_READ)
        self._workers = [
            threading.Thread(target=self._work, name=f"fakesfn-worker-{n}", daemon=True)
            for n in range(limits.workers)
        ]
        for worker in self._workers:
            worker.start()

    # the event loop -----------------------------------------------------------------

    def serve_forever(self) -> None:
        """Accept and read until :meth:`shutdown` (or an exception, such as Ctrl-C)."""
        self._stopped.clear()
        try:
            while not self._stopping.is_set():
                for key, _ in self._selector.select(_TICK):
                    if key.fileobj is self.listener:
                        self._accept()
                    elif key.fileobj is self._wake_in:
                        with contextlib.suppress(OSError):
                            self._wake_in.recv(4096)
                    else:
                        self._readable(key.data)
                self._take_back()
                self._sweep(time.monotonic())
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Make :meth:`serve_forever` return, and wait until it has."""
        self._stopping.set()
        self._wake()
        self._stopped.wait()

    def close(self) -> None:
        """Close the listener and every connection; wait for the workers. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._stopping.set()
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(self.listener)
        self.listener.close()
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):  # ends a worker's blocked write at once
                connection.sock.shutdown(socket.SHUT_RDWR)
        for _ in self._workers:
            self._jobs.put(None)
        for worker in self._workers:
            worker.join()
        for connection in connections:
            self._close(connection)
        self._selector.close()
        self._wake_in.close()
        self._wake_out.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full (a wake is pending anyway) or closed
            self._wake_out.send(b"x")

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors, or the client gave up: try again later
                return
            sock.setblocking(False)
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if len(self._open) >= self.limits.max_connections and not self._evict_idle():
                _refuse_busy(sock, self.limits.max_connections)
                continue
            connection = _Connection(sock)
            with self._open_lock:
                self._open.add(connection)
            self._selector.register(sock, selectors.EVENT_READ, connection)

    def _evict_idle(self) -> bool:
        idle = [c for c in self._waiting() if not c.reader.started and c.draining_until is None]
        if not idle:
            return False
        self._close(min(idle, key=lambda c: c.last))
        return True

    def _waiting(self) -> list[_Connection]:
        """The connections the loop holds (not being answered by a worker)."""
        return [key.data for key in self._selector.get_map().values() if isinstance(key.data, _Connection)]

    def _readable(self, connection: _Connection) -> None:
        try:
            data = connection.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(connection)
            return
        now = time.monotonic()
        connection.last = now
        if connection.draining_until is not None:
            connection.drained += len(data)
            if connection.drained > _DRAIN_BYTES:
                self._close(connection)
            return
        if connection.started is None:
            connection.started = now
        connection.reader.feed(data)
        try:
            request = connection.reader.next()
        except HttpError as error:
            self._dispatch(connection, error)
            return
        if request is not None:
            self._dispatch(connection, request)
        elif connection.reader.expects_continue() and not connection.continued:
            connection.continued = True
            with contextlib.suppress(OSError):
                connection.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _dispatch(self, connection: _Connection, item: Request | HttpError) -> None:
        self._selector.unregister(connection.sock)
        self._jobs.put((connection, item))

    def _take_back(self) -> None:
        while True:
            try:
                connection = self._returned.get_nowait()
            except queue.Empty:
                return
            if self._stopping.is_set():
                self._close(connection)
            else:
                self._selector.register(connection.sock, selectors.EVENT_READ, connection)

    def _sweep(self, now: float) -> None:
        limits = self.limits
        for connection in self._waiting():
            if connection.draining_until is not None:
                expired = now > connection.draining_until
            elif connection.started is not None:
                expired = now - connection.started > limits.request_timeout
            else:
                expired = now - connection.last > limits.idle_timeout
            if expired:
                self._close(connection)

    def _close(self, connection: _Connection) -> None:
        with contextlib.suppress(KeyError, ValueError, RuntimeError):
            self._selector.unregister(connection.sock)
        with self._open_lock:
            self._open.discard(connection)
        with contextlib.suppress(OSError):
            connection.sock.close()

    # the workers --------------------------------------------------------------------

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            connection, item = job
            try:
                self._answer_all(connection, item)
            except OSError:  # the client hung up, or a reply could not be written in time
                self._close(connection)

    def _answer_all(self, connection: _Connection, item: Request | HttpError | None) -> None:
        connection.sock.settimeout(self.limits.request_timeout)
        while item is not None:
            if isinstance(item, HttpError):
                self._send(connection, _error_reply(item), close=True)
                self._log(f"{item.status} ({item.message})")
                self._drain(connection)
                return
            reply = self._reply(item)
            self._send(connection, reply, close=not item.keep_alive, head=item.method == "HEAD")
            self._log_request(item, reply.status)
            if not item.keep_alive:
                self._close(connection)
                return
            try:
                item = connection.reader.next()
            except HttpError as error:
                item = error
        connection.sock.setblocking(False)
        connection.started = time.monotonic() if connection.reader.started else None
        connection.last = time.monotonic()
        connection.continued = False
        self._returned.put(connection)
        self._wake()

    def _reply(self, request: Request) -> Reply:
        try:
            return self.app.respond(request.method, request.path, request.headers, request.body)
        except Exception as error:  # noqa: BLE001 - a fake bug: answer 500, print it, keep it for tests
            self.internal_errors.append(error)
            traceback.print_exc(file=self.log or sys.stderr)
            return Reply(500, _INTERNAL_FAILURE, (("Content-Type", "application/x-amz-json-1.0"),))

    def _drain(self, connection: _Connection) -> None:
        """After a refusal: stop writing, read and drop for a while, then close."""
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_WR)
        connection.sock.setblocking(False)
        connection.draining_until = time.monotonic() + _DRAIN_SECONDS
        self._returned.put(connection)
        self._wake()

    @staticmethod
    def _send(connection: _Connection, reply: Reply, *, close: bool, head: bool = False) -> None:
        connection.sock.sendall(encode_reply(reply, close=close, head=head))

    def _log_request(self, request: Request, status: int) -> None:
        if self.log is None:
            return
        target = request.headers.get("X-Amz-Target") or ""
        what = f"{request.method} {request.path}"
        if request.path == "/" and target:
            what = target.rsplit(".", 1)[-1]
        self._log(f"{what} {status}")

    def _log(self, line: str) -> None:
        if self.log is not None:
            print(line, file=self.log, flush=True)


def encode_reply(reply: Reply, *, close: bool = False, head: bool = False) -> bytes:
    """The bytes of one HTTP/1.1 reply, headers and body in one write.

    No ``Date`` header: the fake never reads the wall clock. ``head``: the answer to
    a HEAD request, whose headers describe a body that is not sent.
    """
    try:
        reason = http.HTTPStatus(reply.status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {reply.status} {reason}"]
    lines += [f"{name}: {value}" for name, value in reply.headers]
    lines.append(f"Content-Length: {len(reply.body)}")
    if close:
        lines.append("Connection: close")
    text = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return text if head else text + reply.body


def _error_reply(error: HttpError) -> Reply:
    body = json.dumps({"message": error.message}).encode("utf-8")
    return Reply(error.status, body, (("Content-Type", "application/json"),))


def _refuse_busy(sock: socket.socket, limit: int) -> None:
    body = json.dumps(
        {"__type": "ServiceUnavailable", "message": f"fakesfn: {limit} connections are open already"}
    ).encode("utf-8")
    with contextlib.suppress(OSError):
        sock.send(encode_reply(Reply(503, body, (("Content-Type", "application/json"),)), close=True))
    with contextlib.suppress(OSError):
        sock.close()
