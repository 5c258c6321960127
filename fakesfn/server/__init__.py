"""``fakesfn serve``: the fake over HTTP, for the AWS CLI and every other SDK.

The server speaks the AWS JSON 1.0 protocol Step Functions speaks: ``POST /``
with ``X-Amz-Target: AWSStepFunctions.<Operation>`` and a JSON body. Point any
SDK at it (``--endpoint-url http://127.0.0.1:8083``, ``endpoint_url=...``) with
any credentials: signatures are not checked. The region is read from the
SigV4 ``Authorization`` header's credential scope (us-east-1 when unsigned); the
account is one server-wide setting (123456789012 unless told otherwise). What
AWS's front end refuses, the server refuses the same way (:mod:`.front`).

Virtual time never moves by itself. Control it on the side endpoint, which is
not part of the AWS API:

* ``GET /_fakesfn/clock``: ``{"now": ISO, "next_due": ISO or null}``;
* ``POST /_fakesfn/advance`` with ``{"seconds": 60}``: move time, running what
  falls due on the way; replies with the clock;
* ``POST /_fakesfn/settle`` with ``{"max_seconds": null}`` (or a number, or no
  body): run until only an outside actor (a worker, a task token) can move the
  world, or until ``max_seconds`` passed; replies with the clock plus
  ``"advanced"`` (seconds);
* ``POST /_fakesfn/reset``: a fresh, empty world with the same seed.

With a state file (``--state FILE``) every call that may change the world and
every clock control is appended to a checksummed journal, durable before the
reply leaves; a restart replays it into a fresh backend with the same seed, and
determinism rebuilds the same ARNs, task tokens and histories: see
:mod:`fakesfn.server.journal` and the durability rule in docs/server.md.

The fake has no authentication: it binds to 127.0.0.1 unless told otherwise,
and warns when told otherwise.
"""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING, Any

from fakesfn.server.httpd import RunningServer, bind, is_loopback, start_server
from fakesfn.server.journal import JournalError
from fakesfn.server.loop import Limits
from fakesfn.wire import DEFAULT_ACCOUNT_ID

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType

    from fakesfn.backend import Backend

__all__ = ["Limits", "RunningServer", "main", "start_server", "exposure_warning"]

EXIT_OK = 0
EXIT_CANNOT_START = 2


def exposure_warning(host: str) -> str | None:
    """The warning to print before binding ``host``, or None for a loopback address."""
    if is_loopback(host):
        return None
    return (
        f"fakesfn: warning: serving on {host}, reachable from other machines: the fake has no "
        "authentication, so anyone who can connect can read and change its state machines"
    )


def _interrupt(signum: int, frame: FrameType | None) -> Any:
    raise KeyboardInterrupt


def main(
    host: str,
    port: int,
    state_file: str | None,
    seed: int,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    configure: Callable[[Backend], None] | None = None,
) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM); the ``fakesfn serve`` command.

    Args:
        host: the address to bind (a non-loopback one prints a warning).
        port: the port to bind (0 picks a free one; the banner shows it).
        state_file: the journal that makes restarts lose nothing, or None.
        seed: the seed of a new world (an existing state file keeps its own).
        account_id: the account every request acts as.
        configure: prepares the backend (``--handlers``) before the state file replays.

    Returns:
        0 after a clean stop; 2 when the server cannot start (address in use,
        unusable state file), with the reason on one line of stderr.
    """
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    try:
        running = bind(
            host=host,
            port=port,
            state_file=state_file,
            seed=seed,
            account_id=account_id,
            log=sys.stderr,
            configure=configure,
        )
    except JournalError as error:
        print(f"fakesfn: error: {error}", file=sys.stderr)
        return EXIT_CANNOT_START
    except OSError as error:
        print(f"fakesfn: error: cannot serve on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return EXIT_CANNOT_START
    _banner(running, state_file, seed)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        running.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        running.stop()
    return EXIT_OK


def _banner(running: RunningServer, state_file: str | None, seed: int) -> None:
    world_seed = running.backend.seed
    print(f"fakesfn: serving Step Functions at {running.url} (seed {world_seed})", flush=True)
    if state_file is not None:
        print(f"fakesfn: state file {state_file}", flush=True)
        if world_seed != seed:
            print(
                f"fakesfn: the state file was recorded with seed {world_seed}; using it, not {seed}",
                flush=True,
            )
    print(
        f"fakesfn: virtual clock at {running.url}/_fakesfn/clock (advance, settle, reset); Ctrl-C stops",
        flush=True,
    )
