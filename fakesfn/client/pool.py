"""Fake clients kept for reuse across tests, each test on its own fresh backend.

Building a botocore client costs about 2 ms (its class, endpoint resolver, event
system and HTTP session); answering a call costs about 0.2 ms. A test suite that
builds one client per test pays mostly for clients. The pool builds one client
per (region, account) and, for each test, points its transport at that test's
fresh backend: the world is new, the client object is not.

Reuse must never leak anything from one test into the next, so a client goes
back to the pool only if the test left it exactly as it found it: no event
handler registered or removed (a ``Stubber``, a user's hook: botocore resets the
emitter's lookup cache on every change) and no attribute set or replaced (a
monkeypatched method). Any other client is dropped, and the next test gets a new
one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakesfn.client import attach, new_client

if TYPE_CHECKING:
    from fakesfn.backend import Backend
    from fakesfn.client import FakeClient
    from fakesfn.client.transport import Transport


def _fingerprint(client: Any) -> tuple[Any, ...]:
    """What a test could change on a client, compared by identity."""
    emitter = getattr(client.meta.events, "_emitter", client.meta.events)
    return (
        id(getattr(emitter, "_lookup_cache", None)),
        tuple((name, id(value)) for name, value in vars(client).items()),
    )


@dataclass
class _Pooled:
    client: Any
    transport: Transport
    fingerprint: tuple[Any, ...] = field(default=())


class ClientPool:
    """Fake clients by (region, account), lent to one test at a time."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, str], _Pooled] = {}
        self._lent: dict[int, tuple[tuple[str, str], _Pooled]] = {}

    def lease(self, backend: Backend, region_name: str, account_id: str) -> FakeClient:
        """A client answering from ``backend`` until :meth:`release`."""
        key = (region_name, account_id)
        pooled = self._idle.pop(key, None)
        if pooled is None:
            client = new_client(region_name)
            pooled = _Pooled(client, attach(client, backend, region_name, account_id))
        else:
            pooled.transport.rebind(backend)
        pooled.fingerprint = _fingerprint(pooled.client)
        self._lent[id(pooled.client)] = (key, pooled)
        return pooled.client  # type: ignore[no-any-return]

    def release(self, client: Any) -> None:
        """Take ``client`` back; it is reused only if the test left it untouched."""
        entry = self._lent.pop(id(client), None)
        if entry is None:
            return
        key, pooled = entry
        if _fingerprint(client) == pooled.fingerprint and key not in self._idle:
            self._idle[key] = pooled
