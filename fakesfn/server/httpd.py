"""The HTTP side: a socket, a connection loop, and the :class:`~fakesfn.server.app.App` behind them.

This is the one place in fakesfn with threads: an HTTP server must answer
several clients at once (a worker polls while a test describes). The world
itself is still single-threaded: :class:`App` runs every request under one lock.
How connections are held, and their limits, is :mod:`fakesfn.server.loop`.

Connections are HTTP/1.1 keep-alive, as SDKs expect. Stopping the server shuts
down the open connections too and waits for the workers, so nothing outlives
:meth:`RunningServer.stop`.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from typing import IO, TYPE_CHECKING, Final

from fakesfn.backend import Backend
from fakesfn.server.app import App
from fakesfn.server.journal import Journal, JournalError, replay
from fakesfn.server.loop import ConnectionLoop, Limits
from fakesfn.wire import DEFAULT_ACCOUNT_ID

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import TracebackType

_WILDCARD_LOCAL: Final[Mapping[str, str]] = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=128)


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

    def __init__(self, server: ConnectionLoop, thread: threading.Thread | None) -> None:
        self._server = server
        self._thread = thread
        self._address = server.listener.getsockname()

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
        return str(self._address[0])

    @property
    def port(self) -> int:
        """The port the server is bound to (the one picked when asked for port 0)."""
        return int(self._address[1])

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
        self._server.serve_forever()

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
    limits: Limits | None = None,
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
        return RunningServer(ConnectionLoop(_listen(host, port), app, log, limits or Limits()), None)
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
    limits: Limits | None = None,
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
        configure: registers handlers on the backend before the state file replays
            (and again after every reset).
        limits: workers, connection cap and socket timeouts (see :class:`Limits`).

    Returns:
        The running server; ``.url`` is the endpoint, ``.stop()`` ends it.
    """
    return bind(
        backend,
        host,
        port,
        state_file,
        seed=seed,
        account_id=account_id,
        log=log,
        configure=configure,
        limits=limits,
    ).start()
