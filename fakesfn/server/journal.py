"""The state file: a checksummed journal of everything that changed the served world.

A running execution is live generator state and cannot be pickled, but the fake
is deterministic: the same seed and the same calls rebuild byte-identical state
(ARNs, task tokens, histories, the clock). So the server appends every call that
may have changed the world, and every clock control, to this file, and a restart
replays the file into a fresh backend. The durability rule it serves is written
out in ``docs/server.md`` ("Keeping state across restarts").

Each line is one record: the CRC-32 of its JSON text (8 hex digits), a space, the
JSON text. Line 1 is the header naming the seed::

    1c291ca3 {"kind":"fakesfn-journal","version":2,"seed":0}
    5e0c2f1d {"kind":"call","operation":"StartExecution","params":{...},
              "region":"us-east-1","account_id":"123456789012","status":200}
    0a1b2c3d {"kind":"advance","seconds":60}
    9f8e7d6c {"kind":"settle","max_seconds":null}

Why these choices:

* **Checksums**: a flipped byte must never replay as a different world. A line
  whose checksum fails stops the start with :class:`JournalError`.
* **A torn last line** (no newline: the process died inside ``write``) belongs to
  a call whose reply was never sent, since replies wait for the fsync; it is cut
  off, and :attr:`Journal.notices` says so.
* **Group commit**: records are written in the order the world changed (under the
  server's lock), but the fsync happens outside it: one fsync covers every record
  written before it, so concurrent clients share fsyncs instead of queueing for
  one each (:meth:`Journal.wait_durable`).
* **Fail-stop**: when the file cannot be written or synced, the journal stops
  (:attr:`Journal.failure`): the server refuses further calls rather than
  acknowledge writes a restart would lose.
* **A lock** (``flock``) held for the server's life: a second server on the same
  file is refused at start instead of interleaving records.

A replayed call must answer with the status it answered first (a recorded 500,
a fault inside the fake, must fail again the same way); anything else means the
fake's behaviour changed under the file (another fakesfn version), and the
replay stops with :class:`JournalError` rather than serve a different world.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import zlib
from typing import TYPE_CHECKING, Any, Final, NoReturn

from fakesfn.clock import LATEST

if sys.platform != "win32":
    import fcntl

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from fakesfn.backend import Backend

_HEADER_KIND: Final = "fakesfn-journal"
VERSION: Final = 2
_CRC_DIGITS: Final = 8
_sync = getattr(os, "fdatasync", os.fsync)
"""fdatasync where there is one: an append's data and size, without the inode times."""


class JournalError(Exception):
    """The state file cannot be used: not a journal, locked, corrupt, or it replays differently."""


class JournalFailure(Exception):
    """The state file could not be written or synced: the world can no longer be kept."""


def _header(seed: int) -> dict[str, Any]:
    return {"kind": _HEADER_KIND, "version": VERSION, "seed": seed}


def encode_record(entry: Mapping[str, Any]) -> bytes:
    """One journal line: checksum, space, JSON text, newline."""
    # ASCII escapes: a lone surrogate ("\ud800" is valid JSON input) has no UTF-8 form.
    text = json.dumps(entry, separators=(",", ":"), allow_nan=False).encode("ascii")
    return b"%08x %s\n" % (zlib.crc32(text), text)


def decode_record(line: bytes) -> dict[str, Any] | None:
    """The entry of one complete line (newline stripped), or None when it is damaged."""
    if len(line) <= _CRC_DIGITS + 1 or line[_CRC_DIGITS : _CRC_DIGITS + 1] != b" ":
        return None
    text = line[_CRC_DIGITS + 1 :]
    try:
        if int(line[:_CRC_DIGITS], 16) != zlib.crc32(text):
            return None
        entry = json.loads(text, parse_constant=_no_constant)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class Journal:
    """An append-only, checksummed, locked JSON-lines file of the world's changes.

    Use :meth:`open`. :meth:`append` runs under the server's lock (it fixes the
    order); :meth:`wait_durable` runs outside it, before the reply is sent.
    """

    def __init__(self, path: str, fd: int, seed: int, entries: list[dict[str, Any]], size: int) -> None:
        self.path = path
        self.seed = seed
        self.entries = entries
        """What the file held when it was opened (to replay), header excluded."""
        self.notices: list[str] = []
        """Things the start should tell the user (a torn last line cut off)."""
        self.failure: str | None = None
        """Why the file can no longer be written, once it cannot (then every append refuses)."""
        self._fd = fd
        self._size = size
        """The file's length: where the next record goes (and where a failed write is cut back to)."""
        self._written = 0
        """Bytes appended since the file was opened, never reset: what durability marks count."""
        self._synced = 0
        self._sync_lock = threading.Lock()

    @classmethod
    def open(cls, path: str, seed: int) -> Journal:
        """Lock and read (or create, recording ``seed``) the journal at ``path``.

        An existing journal keeps the seed it was recorded with: its entries only
        replay to the same world under that seed. A file that is not a journal is
        refused untouched.

        Raises:
            JournalError: the file is in use by another server, unreadable, not a
                journal, or damaged.
        """
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as error:
            raise JournalError(f"cannot open {path}: {error.strerror or error}") from None
        try:
            _lock(fd, path)
            data = _read_all(fd)
            journal = cls._from_bytes(path, fd, seed, data)
        except BaseException:
            os.close(fd)
            raise
        return journal

    @classmethod
    def _from_bytes(cls, path: str, fd: int, seed: int, data: bytes) -> Journal:
        if not data:
            header = encode_record(_header(seed))
            _write_all(fd, header)
            _sync(fd)
            return cls(path, fd, seed, [], len(header))
        complete = data.rfind(b"\n") + 1
        if not complete:
            raise JournalError(f"{path} is not a fakesfn state file")
        seed = _check_header(path, data[: data.find(b"\n")])
        tail = data[complete:]
        if tail and decode_record(tail[:-1]) is not None:
            # A whole record followed by one byte that should have been its newline: the
            # file was damaged after that record was written, not torn while writing it.
            complete = len(data)
        entries = _entries(path, data[:complete])
        journal = cls(path, fd, seed, entries[1:], complete)
        if complete < len(data):
            os.ftruncate(fd, complete)
            _sync(fd)
            journal.notices.append(
                f"{path}: cut off an incomplete last record ({len(data) - complete} bytes): the server "
                "stopped while writing it, before that call was answered"
            )
        return journal

    def append(self, entry: Mapping[str, Any]) -> int:
        """Write one record (not yet synced); returns the mark to pass to :meth:`wait_durable`.

        Raises:
            JournalFailure: the file could not be written (now or before).
        """
        if self.failure is not None:
            raise JournalFailure(self.failure)
        record = encode_record(entry)
        try:
            _write_all(self._fd, record)
        except OSError as error:
            with contextlib.suppress(OSError):  # leave no partial record behind
                os.ftruncate(self._fd, self._size)
            self._fail("write", error)
        self._size += len(record)
        self._written += len(record)
        return self._written

    @property
    def mark(self) -> int:
        """Everything written so far: a reply must not leave before this is durable."""
        return self._written

    def wait_durable(self, mark: int) -> None:
        """Return once every record up to ``mark`` is on disk (one fsync serves many callers).

        Raises:
            JournalFailure: the fsync failed (now or before).
        """
        while self._synced < mark:
            with self._sync_lock:
                if self.failure is not None:
                    raise JournalFailure(self.failure)
                if self._synced >= mark:
                    return
                target = self._written  # every byte up to here has been written
                try:
                    _sync(self._fd)
                except OSError as error:
                    self._fail("sync", error)
                self._synced = max(self._synced, target)  # a reset may have moved it on meanwhile

    def restart(self, seed: int) -> None:
        """Forget every entry: the world was reset to a fresh backend with ``seed``."""
        header = encode_record(_header(seed))
        try:
            os.ftruncate(self._fd, 0)
            _write_all(self._fd, header)
            _sync(self._fd)
        except OSError as error:
            self._fail("reset", error)
        self._size = len(header)
        self._written += len(header)
        self._synced = self._written  # what was erased needs no sync; the header was synced
        self.seed = seed
        self.entries = []

    def close(self) -> None:
        """Release the lock and close the file (every acknowledged record is already on disk)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _fail(self, what: str, error: OSError) -> NoReturn:
        self.failure = (
            f"cannot {what} the state file {self.path} ({error.strerror or error}): the server "
            "stopped accepting calls so that no acknowledged call can be lost; restart it"
        )
        raise JournalFailure(self.failure) from None


def _check_header(path: str, line: bytes) -> int:
    """The seed the header records, or the reason the file cannot be this server's journal."""
    first = decode_record(line) or _unchecked(line)
    if first is None or first.get("kind") != _HEADER_KIND:
        if b'"kind":"fakesfn-journal"' in line[:64]:
            raise JournalError(f"{path}:1: damaged header (its checksum or format does not match)")
        raise JournalError(f"{path} is not a fakesfn state file")
    if first.get("version") != VERSION or not _is_int(first.get("seed")):
        raise JournalError(
            f"{path} was written by another fakesfn version (state file version "
            f"{first.get('version')!r}, this one reads {VERSION}): start with a new state file"
        )
    return int(first["seed"])


def _unchecked(line: bytes) -> dict[str, Any] | None:
    """A version-1 header: plain JSON, no checksum (read only to name its version)."""
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) and entry.get("version") == 1 else None


def _lock(fd: int, path: str) -> None:
    if sys.platform == "win32":  # pragma: no cover - no flock: the file is not locked (documented)
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise JournalError(
            f"{path} is in use by another fakesfn server: stop it first, or use another state file"
        ) from None
    except OSError as error:  # pragma: no cover - a file system without locks
        raise JournalError(f"cannot lock {path}: {error.strerror or error}") from None


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _entries(path: str, data: bytes) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    lines = data.split(b"\n")
    if not lines[-1]:
        lines.pop()
    for number, line in enumerate(lines, start=1):
        entry = decode_record(line)
        if entry is None:
            raise JournalError(
                f"{path}:{number}: damaged record (its checksum or format does not match): the file "
                "was changed or corrupted, and replaying it would build a different world. Keep a "
                f"copy; the lines before {number} are intact"
            )
        entries.append(entry)
    return entries


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field(entry: Mapping[str, Any], name: str, kinds: tuple[type, ...]) -> Any:
    value = entry.get(name)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise JournalError(f"malformed {entry.get('kind')} entry: bad or missing {name!r}")
    return value


FAULT: Final = 500
"""The status recorded for a call or control that failed inside the fake."""


def _outcome(action: Callable[[], int]) -> int:
    try:
        return action()
    except Exception:  # noqa: BLE001 - a fault inside the fake is a recorded outcome, replayed as such
        return FAULT


def _check_outcome(entry: Mapping[str, Any], what: str, status: int) -> None:
    recorded = entry.get("status", 200)
    if status != recorded:
        raise JournalError(
            f"replaying {what} answered {status}, not {recorded} as recorded: "
            "this fakesfn version behaves differently; start with a new state file"
        )


def _replay_call(backend: Backend, entry: Mapping[str, Any]) -> None:
    operation = _field(entry, "operation", (str,))
    params = _field(entry, "params", (dict,))
    region = _field(entry, "region", (str,))
    account_id = _field(entry, "account_id", (str,))
    _field(entry, "status", (int,))
    status = _outcome(lambda: backend.handle(operation, params, region=region, account_id=account_id)[0])
    _check_outcome(entry, operation, status)


def _seconds(entry: Mapping[str, Any], name: str, backend: Backend) -> float:
    value = float(_field(entry, name, (int, float)))
    if not 0 <= value <= LATEST - backend.clock.time():
        raise JournalError(f"malformed {entry.get('kind')} entry: {name!r} out of range")
    return value


def _replay_advance(backend: Backend, entry: Mapping[str, Any]) -> None:
    seconds = _seconds(entry, "seconds", backend)

    def advance() -> int:
        backend.advance(seconds)
        return 200

    _check_outcome(entry, "advance", _outcome(advance))


def _replay_settle(backend: Backend, entry: Mapping[str, Any]) -> None:
    limit = None if entry.get("max_seconds") is None else _seconds(entry, "max_seconds", backend)

    def settle() -> int:
        backend.settle(limit)
        return 200

    _check_outcome(entry, "settle", _outcome(settle))


_REPLAY: Final[Mapping[str, Callable[[Backend, Mapping[str, Any]], None]]] = {
    "call": _replay_call,
    "advance": _replay_advance,
    "settle": _replay_settle,
}


def replay(journal: Journal, backend: Backend) -> None:
    """Apply the journal's entries, in order, to a fresh ``backend`` seeded with ``journal.seed``.

    Raises:
        JournalError: an entry is malformed or answers differently; never any other
            exception (a fault inside the fake is an outcome, compared with the record).
    """
    for number, entry in enumerate(journal.entries, start=2):
        action = _REPLAY.get(str(entry.get("kind")))
        try:
            if action is None:
                raise JournalError(f"unknown journal entry kind {entry.get('kind')!r}")
            action(backend, entry)
        except JournalError as error:
            raise JournalError(f"{journal.path}:{number}: {error}") from None
