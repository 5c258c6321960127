"""The state file: a journal of everything that changed the served world.

A running execution is live generator state and cannot be pickled, but the fake
is deterministic: the same seed and the same calls rebuild byte-identical state
(ARNs, task tokens, histories, the clock). So the server appends every mutating
API call and every clock control to a JSON-lines file, flushed and fsync'd
before the reply leaves, and a restart replays the file into a fresh backend.

Line 1 is a header naming the seed; each further line is one entry::

    {"kind": "fakesfn-journal", "version": 1, "seed": 0}
    {"kind": "call", "operation": "StartExecution", "params": {...},
     "region": "us-east-1", "account_id": "123456789012", "status": 200}
    {"kind": "advance", "seconds": 60}
    {"kind": "settle", "max_seconds": null}

A replayed call must answer with the status it answered first; anything else
means the fake's behaviour changed under the file (another fakesfn version), and
the replay stops with :class:`JournalError` rather than serve a different world.
"""

from __future__ import annotations

import json
import os
from typing import IO, TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from fakesfn.backend import Backend

_HEADER_KIND: Final = "fakesfn-journal"
_VERSION: Final = 1


class JournalError(Exception):
    """The state file cannot be used: not a journal, corrupt, or it replays differently."""


def _header(seed: int) -> dict[str, Any]:
    return {"kind": _HEADER_KIND, "version": _VERSION, "seed": seed}


def _line(entry: Mapping[str, Any]) -> bytes:
    # ASCII escapes: a lone surrogate ("\ud800" is valid JSON input) has no UTF-8 form.
    return json.dumps(entry, separators=(",", ":")).encode("ascii") + b"\n"


class Journal:
    """An append-only, fsync'd JSON-lines file of the world's mutations."""

    def __init__(self, path: str, handle: IO[bytes], seed: int, entries: Sequence[dict[str, Any]]) -> None:
        self.path = path
        self.seed = seed
        self.entries = entries
        """What the file held when it was opened (to replay), header excluded."""
        self._handle = handle

    @classmethod
    def open(cls, path: str, seed: int) -> Journal:
        """Open (or create, recording ``seed``) the journal at ``path``.

        An existing journal keeps the seed it was recorded with: its entries only
        replay to the same world under that seed. A torn last line (the process
        died mid-write, so that call was never answered) is cut off. A file that
        is not a journal is refused untouched.
        """
        lines, good_length, size = _read(path)
        if size and not _is_header(lines[0] if lines else None):
            raise JournalError(f"{path} is not a fakesfn state file (version {_VERSION})")
        handle = open(path, "ab")  # noqa: SIM115 - held open for the server's life, closed in close()
        if not lines:
            handle.write(_line(_header(seed)))
            _sync(handle)
            return cls(path, handle, seed, [])
        if size != good_length:
            handle.truncate(good_length)
            _sync(handle)
        return cls(path, handle, int(lines[0]["seed"]), lines[1:])

    def append(self, entry: Mapping[str, Any]) -> None:
        """Write one entry and make it durable before the caller answers the request."""
        self._handle.write(_line(entry))
        _sync(self._handle)

    def restart(self, seed: int) -> None:
        """Forget every entry: the world was reset to a fresh backend with ``seed``."""
        self._handle.truncate(0)
        self._handle.write(_line(_header(seed)))
        _sync(self._handle)
        self.seed = seed
        self.entries = []

    def close(self) -> None:
        """Close the file (every entry is already on disk)."""
        self._handle.close()


def _sync(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _is_header(line: Mapping[str, Any] | None) -> bool:
    return (
        line is not None
        and line.get("kind") == _HEADER_KIND
        and line.get("version") == _VERSION
        and isinstance(line.get("seed"), int)
    )


def _read(path: str) -> tuple[list[dict[str, Any]], int, int]:
    """The parsed complete lines of ``path``, their byte length and the file's size."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return [], 0, 0
    entries: list[dict[str, Any]] = []
    offset = 0
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        if not raw.endswith(b"\n"):
            break  # torn final write: the request it belonged to was never answered
        try:
            entry = json.loads(raw)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            raise JournalError(f"{path}:{number}: not a journal entry (is this a fakesfn state file?)")
        entries.append(entry)
        offset += len(raw)
    return entries, offset, len(data)


def _field(entry: Mapping[str, Any], name: str, kinds: tuple[type, ...]) -> Any:
    value = entry.get(name)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise JournalError(f"malformed {entry.get('kind')} entry: bad or missing {name!r}")
    return value


def _replay_call(backend: Backend, entry: Mapping[str, Any]) -> None:
    operation = _field(entry, "operation", (str,))
    params = _field(entry, "params", (dict,))
    region = _field(entry, "region", (str,))
    account_id = _field(entry, "account_id", (str,))
    recorded = _field(entry, "status", (int,))
    status, _, _ = backend.handle(operation, params, region=region, account_id=account_id)
    if status != recorded:
        raise JournalError(
            f"replaying {operation} answered {status}, not {recorded} as recorded: "
            "this fakesfn version behaves differently; start with a new state file"
        )


def _replay_advance(backend: Backend, entry: Mapping[str, Any]) -> None:
    backend.advance(float(_field(entry, "seconds", (int, float))))


def _replay_settle(backend: Backend, entry: Mapping[str, Any]) -> None:
    limit = _field(entry, "max_seconds", (int, float, type(None)))
    backend.settle(None if limit is None else float(limit))


_REPLAY: Final[Mapping[str, Callable[[Backend, Mapping[str, Any]], None]]] = {
    "call": _replay_call,
    "advance": _replay_advance,
    "settle": _replay_settle,
}


def replay(journal: Journal, backend: Backend) -> None:
    """Apply the journal's entries, in order, to a fresh ``backend`` seeded with ``journal.seed``."""
    for number, entry in enumerate(journal.entries, start=2):
        action = _REPLAY.get(str(entry.get("kind")))
        try:
            if action is None:
                raise JournalError(f"unknown journal entry kind {entry.get('kind')!r}")
            action(backend, entry)
        except JournalError as error:
            raise JournalError(f"{journal.path}:{number}: {error}") from None
