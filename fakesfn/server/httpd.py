"""The HTTP side: a stdlib threading server in front of :class:`~fakesfn.server.app.App`.

This is the one place in fakesfn with threads: an HTTP server must answer
several clients at once (a worker polls while a test describes). The world
itself is still single-threaded: :class:`App` runs every request under one lock.

Connections are HTTP/1.1 keep-alive, as SDKs expect. Stopping the server shuts
down the open connections too and waits for their threads, so nothing outlives
:meth:`RunningServer.stop`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from fakesfn.backend import Backend
from fakesfn.client import DEFAULT_ACCOUNT_ID
from fakesfn.server.app import App, Reply
from fakesfn.server.journal import Journal, JournalError, replay

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import TracebackType

_WILDCARD_LOCAL: Final[Mapping[str, str]] = {"0.0.0.0": "127.0.0.1", "::": "::1"}
_POLL_SECONDS = 0.05
"""How often the accept loop looks for a stop request (bounds how long stop() takes)."""


MAX_REQUEST_BYTES: Final = 1_048_576
"""AWS's hard quota on one Step Functions API request ("Maximum request size: 1 MB")."""


_DISCARD_BYTES: Final = 16 * MAX_REQUEST_BYTES
"""How much of a refused body is read (and dropped) before the connection closes."""


class _BadFraming(Exception):
    """The request's body length cannot be read (bad ``Content-Length`` or chunk size)."""


class _TooLarge(Exception):
    """The request is larger than AWS accepts: refused before it is read or journaled."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's dispatch name
        self._serve("POST")

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's dispatch name
        self._serve("GET")

    def _serve(self, method: str) -> None:
        path = urlsplit(self.path).path
        try:
            reply = self.server.app.respond(method, path, self.headers, self._body())
        except _BadFraming:
            self.close_connection = True
            reply = Reply(400, b'{"message":"malformed Content-Length or chunked body"}')
        except _TooLarge:
            # What AWS's front end answers (botocore shows it as error code "413").
            self.close_connection = True
            reply = Reply(413, b'{"message":"HTTP content length exceeded %d bytes."}' % MAX_REQUEST_BYTES)
        except Exception as error:  # noqa: BLE001 - a fake bug: answer 500, print it, keep it for tests
            self.server.internal_errors.append(error)
            traceback.print_exc(file=self.server.log or sys.stderr)
            reply = Reply(
                500,
                b'{"__type":"InternalFailure","message":"fakesfn internal error (see the server log)"}',
                (("Content-Type", "application/x-amz-json-1.0"),),
            )
        self._log(method, path, reply)
        # send_response_only: no Date header, since the fake never reads the wall clock.
        self.send_response_only(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _body(self) -> bytes:
        try:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                return self._chunked_body()
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _BadFraming from None
        if length < 0:
            raise _BadFraming
        if length > MAX_REQUEST_BYTES:
            self._discard(length)
            raise _TooLarge
        return self.rfile.read(length) if length > 0 else b""

    def _discard(self, length: int) -> None:
        """Read and drop a refused body (up to a bound), so the client can read the refusal."""
        left = min(length, _DISCARD_BYTES)
        while left > 0 and (chunk := self.rfile.read(min(left, 65536))):
            left -= len(chunk)

    def _chunked_body(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline(64).split(b";", 1)[0].strip(), 16)
            total += size
            if size < 0:
                raise _BadFraming
            if total > MAX_REQUEST_BYTES:
                raise _TooLarge
            if size == 0:
                while self.rfile.readline().strip():
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _log(self, method: str, path: str, reply: Reply) -> None:
        log = self.server.log
        if log is None:
            return
        target = self.headers.get("X-Amz-Target") or ""
        what = target.rsplit(".", 1)[-1] if path == "/" and target else f"{method} {path}"
        print(f"{what} {reply.status}", file=log, flush=True)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        """Silence the stdlib's access log: :meth:`_log` writes a shorter one."""


class _Server(ThreadingHTTPServer):
    """A threading server that tracks its connections so :meth:`close` can end them."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], app: App, log: IO[str] | None) -> None:
        self.app = app
        self.log = log
        self.internal_errors: list[Exception] = []
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-reply is no error of ours."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def close(self) -> None:
        """Stop accepting, end idle keep-alive connections, wait for their threads."""
        with self._connections_lock:
            open_connections = list(self._connections)
        for connection in open_connections:
            with contextlib.suppress(OSError):  # the client may have closed it already
                connection.shutdown(socket.SHUT_RDWR)
        self.server_close()


class _Server6(_Server):
    address_family = socket.AF_INET6


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RunningServer:
    """A server answering on a background thread; stop it with :meth:`stop` (or ``with``)."""

    def __init__(self, server: _Server, thread: threading.Thread | None) -> None:
        self._server = server
        self._thread = thread

    @property
    def app(self) -> App:
        """What answers the requests."""
        return self._server.app

    @property
    def backend(self) -> Backend:
        """The world being served (a reset replaces it; read it again after one)."""
        return self._server.app.backend

    @property
    def internal_errors(self) -> list[Exception]:
        """Exceptions the fake raised while answering (each was a 500): bugs to report."""
        return self._server.internal_errors

    @property
    def host(self) -> str:
        """The address the server is bound to."""
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        """The port the server is bound to (the one picked when asked for port 0)."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The endpoint URL to give an SDK (``endpoint_url=``/``--endpoint-url``).

        A wildcard bind (``0.0.0.0``, ``::``) is reached through loopback locally.
        """
        host = _WILDCARD_LOCAL.get(self.host, self.host)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Answer requests on the calling thread until :meth:`stop` or an interrupt."""
        self._server.serve_forever(poll_interval=_POLL_SECONDS)

    def start(self) -> RunningServer:
        """Answer requests on a background thread; returns ``self``."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever, name=f"fakesfn-server-{self.port}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering, close connections and the state file; safe to call twice."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.close()
        if self.app.journal is not None:
            self.app.journal.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def bind(
    backend: Backend | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    state_file: str | None = None,
    *,
    seed: int = 0,
    account_id: str = DEFAULT_ACCOUNT_ID,
    log: IO[str] | None = None,
    configure: Callable[[Backend], None] | None = None,
) -> RunningServer:
    """Build the world (replaying ``state_file``) and bind the socket, without serving yet.

    ``configure`` prepares the backend (registers Lambda and HTTP handlers) before the
    journal replays, so a restart reruns the same handlers.

    Raises:
        JournalError: the state file is not a journal, or does not replay.
        OSError: the address cannot be bound.
    """
    journal = None if state_file is None else Journal.open(state_file, backend.seed if backend else seed)
    try:
        if backend is None:
            backend = Backend(seed=seed if journal is None else journal.seed)
        elif journal is not None and journal.seed != backend.seed:
            raise JournalError(f"{state_file} was recorded with seed {journal.seed}, not {backend.seed}")
        if configure is not None:
            configure(backend)
        if journal is not None:
            replay(journal, backend)
            journal.entries = []
            for notice in journal.notices:
                print(f"fakesfn: {notice}", file=log or sys.stderr, flush=True)
        app = App(backend, account_id=account_id, journal=journal, configure=configure)
        server_class = _Server6 if ":" in host else _Server
        return RunningServer(server_class((host, port), app, log), None)
    except BaseException:
        if journal is not None:
            journal.close()
        raise


def start_server(
    backend: Backend | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    state_file: str | None = None,
    *,
    seed: int = 0,
    account_id: str = DEFAULT_ACCOUNT_ID,
    log: IO[str] | None = None,
    configure: Callable[[Backend], None] | None = None,
) -> RunningServer:
    """Serve a backend over HTTP on a background thread (for tests and notebooks).

    Args:
        backend: the world to serve; a new one (with ``seed``) when None. With a
            state file, pass a fresh backend: the journal replays into it.
        host: the address to bind; loopback unless you mean to expose it.
        port: the port; 0 picks a free one (read it back from ``.port``/``.url``).
        state_file: a journal file that makes restarts lose nothing; an
            existing one is replayed first and keeps the seed it was made with.
        seed: the new backend's seed (ignored with ``backend`` or an existing
            state file).
        account_id: the account every request acts as.
        log: where to write one line per request (None: silent).
        configure: registers handlers on the backend before the state file replays.

    Returns:
        The running server; ``.url`` is the endpoint, ``.stop()`` ends it.
    """
    return bind(
        backend, host, port, state_file, seed=seed, account_id=account_id, log=log, configure=configure
    ).start()
