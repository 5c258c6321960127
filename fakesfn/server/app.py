"""What the server answers, independent of sockets: requests in, replies out.

Two surfaces share one backend:

* the AWS API: ``POST /`` with ``X-Amz-Target: AWSStepFunctions.<Operation>``
  and a JSON 1.0 body, answered exactly as the in-process transport answers it
  (same status, body and ``x-amzn-RequestId``);
* the virtual-clock controls under ``/_fakesfn/`` (see :mod:`fakesfn.server`).

Every request runs under one lock, and with a state file the mutation is
journaled before the reply is returned, so the journal's order is the order the
world changed in.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

from fakesfn import wire
from fakesfn.backend import Backend
from fakesfn.clock import LATEST
from fakesfn.random import SeededRandom
from fakesfn.server import front
from fakesfn.server.journal import FAULT, JournalFailure
from fakesfn.server.shapes import UnknownOperationException, checked_params, operation_names
from fakesfn.service.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from fakesfn.server.journal import Journal

CONTROL_PREFIX: Final = "/_fakesfn/"

READ_ONLY: Final = frozenset(
    {
        "DescribeActivity",
        "DescribeExecution",
        "DescribeMapRun",
        "DescribeStateMachine",
        "DescribeStateMachineAlias",
        "DescribeStateMachineForExecution",
        "GetExecutionHistory",
        "ListActivities",
        "ListMapRuns",
        "ListStateMachineAliases",
        "ListStateMachineVersions",
        "ListStateMachines",
        "ListTagsForResource",
        "ValidateStateMachineDefinition",
    }
)
"""Operations that change nothing, so the journal skips them.

Everything else is journaled, including ``GetActivityTask`` (it hands a task
out), ``TestState`` (it draws from the seeded RNG) and ``ListExecutions``
(listing by a weighted alias ARN draws a routing number from the seeded RNG,
which shifts every later draw).
"""

_POLLS: Final = frozenset({"GetActivityTask"})
"""Operations whose empty answer (``{}``: nothing was waiting) changed nothing."""

_OWN_REQUEST_IDS: Final = 0x5E_2FE2
"""The server's own refusals draw request ids from a stream of their own."""


class Headers(Protocol):
    """The part of a request's headers the server reads (case-insensitive lookup)."""

    def get(self, name: str, default: None = None) -> str | None:
        """The header's value, or None."""


@dataclass(frozen=True, slots=True)
class Reply:
    """One HTTP reply: status, headers and body."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class ControlError(Exception):
    """A virtual-clock control request the server refuses (HTTP 400)."""


def _seconds(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ControlError(f"'{name}' must be a non-negative number of seconds")
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not seconds >= 0:
        raise ControlError(f"'{name}' must be a non-negative number of seconds")
    return seconds


def _payload(body: bytes) -> dict[str, Any]:
    """The JSON object of a control request (an empty body means ``{}``)."""
    if not body.strip():
        return {}
    try:
        payload = front.parse_json(body)
    except ValueError as error:
        raise ControlError(str(error)) from None
    if not isinstance(payload, dict):
        raise ControlError("the request body must be a JSON object")
    return payload


def _json_reply(status: int, payload: Mapping[str, Any], *extra: tuple[str, str]) -> Reply:
    body = json.dumps(payload).encode("utf-8")
    return Reply(status, body, (("Content-Type", "application/json"), *extra))


class App:
    """The served world: a backend, its optional journal, and the lock that orders them.

    Every request changes or reads the world under one lock, so the journal's order
    is the order the world changed in. With a journal, no reply leaves before
    everything the world had done when the request was answered is on disk (the
    fsync itself happens outside the lock, shared by concurrent requests).

    Args:
        backend: the world to serve (already replayed from ``journal``, if any).
        account_id: the account every request acts as (a request carries no account).
        journal: where changes go, or None to keep nothing across restarts.
        configure: prepares a fresh backend after a reset, as it prepared the first.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        account_id: str,
        journal: Journal | None = None,
        configure: Callable[[Backend], None] | None = None,
    ) -> None:
        self.backend = backend
        self.account_id = account_id
        self.journal = journal
        self._configure = configure
        self._lock = threading.RLock()
        self._unsettled = False
        """A call failed inside the fake: the next call may finish its work, so it is journaled."""
        self._request_ids = SeededRandom(backend.seed ^ _OWN_REQUEST_IDS)
        self._routes: Mapping[tuple[str, str], Callable[[Headers, bytes], Reply]] = {
            ("POST", "/"): self._api,
            ("GET", CONTROL_PREFIX + "clock"): self._control(self._clock),
            ("POST", CONTROL_PREFIX + "advance"): self._control(self._advance),
            ("POST", CONTROL_PREFIX + "settle"): self._control(self._settle),
            ("POST", CONTROL_PREFIX + "reset"): self._control(self._reset),
        }

    def respond(self, method: str, path: str, headers: Headers, body: bytes) -> Reply:
        """Answer one request.

        Raises:
            Exception: a fault inside the fake (already journaled): the HTTP layer
                answers 500 and keeps it in ``internal_errors``.
        """
        route = self._routes.get((method, path))
        if route is not None:
            try:
                return route(headers, body)
            except JournalFailure as failure:
                return _json_reply(500, {"__type": "InternalFailure", "message": str(failure)})
        if not path.startswith(CONTROL_PREFIX):
            # AWS's front end serves POST / only: anything else is an unknown operation.
            headers_out = (("x-amzn-RequestId", self._request_ids.uuid()),)
            return Reply(404, front.UNKNOWN_OPERATION_BODY, headers_out)
        allowed = sorted(m for m, p in self._routes if p == path)
        if allowed:
            return _json_reply(
                405, {"message": f"use {', '.join(allowed)} for {path}"}, ("Allow", ", ".join(allowed))
            )
        return _json_reply(404, {"message": f"no such endpoint: {method} {path}"})

    def _api(self, headers: Headers, body: bytes) -> Reply:
        if not front.content_type_ok(headers, body):
            return Reply(404, front.UNKNOWN_OPERATION_BODY, (("x-amzn-RequestId", self._request_ids.uuid()),))
        content_type = front.reply_content_type(headers)
        operation = wire.operation_from_target(headers.get("X-Amz-Target"))
        try:
            params = front.decode_body(body)
            if operation is None:
                raise UnknownOperationException(f"Unknown target {headers.get('X-Amz-Target')!r}")
            region = front.region_of(headers)
            params = checked_params(operation, params)
        except ServiceError as error:
            status, out = wire.encode_error(error)
            return self._api_reply(status, out, self._request_ids.uuid(), content_type)
        with self._lock:
            self._check_journal()
            fault: Exception | None = None
            try:
                status, out, request_id = self.backend.handle(
                    operation, params, region=region, account_id=self.account_id
                )
            except Exception as error:  # noqa: BLE001 - journaled first, then re-raised below
                fault, status, out, request_id = error, FAULT, b"", ""
            if self.journal is not None and (self._unsettled or _changes_world(operation, status, out)):
                self.journal.append(
                    {
                        "kind": "call",
                        "operation": operation,
                        "params": params,
                        "region": region,
                        "account_id": self.account_id,
                        "status": status,
                    }
                )
            self._unsettled = fault is not None
            mark = self._mark()
        self._durable(mark)
        if fault is not None:
            raise fault
        return self._api_reply(status, out, request_id, content_type)

    @staticmethod
    def _api_reply(status: int, body: bytes, request_id: str, content_type: str) -> Reply:
        return Reply(status, body, (("x-amzn-RequestId", request_id), ("Content-Type", content_type)))

    def _control(
        self, action: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> Callable[[Headers, bytes], Reply]:
        def route(headers: Headers, body: bytes) -> Reply:
            try:
                payload = _payload(body)
                with self._lock:
                    self._check_journal()
                    result = action(payload)
                    mark = self._mark()
            except ControlError as error:
                return _json_reply(400, {"message": str(error)})
            self._durable(mark)
            return _json_reply(200, result)

        return route

    def _clock(self, payload: dict[str, Any]) -> dict[str, Any]:
        due = self.backend.next_due()
        return {
            "now": self.backend.clock.now().isoformat(),
            "next_due": None if due is None else due.isoformat(),
        }

    def _advance(self, payload: dict[str, Any]) -> dict[str, Any]:
        seconds = self._seconds(payload.get("seconds"), "seconds")
        self._run_control({"kind": "advance", "seconds": seconds}, lambda: self.backend.advance(seconds))
        return self._clock(payload)

    def _settle(self, payload: dict[str, Any]) -> dict[str, Any]:
        raw = payload.get("max_seconds")
        limit = None if raw is None else self._seconds(raw, "max_seconds")
        start = self.backend.clock.time()
        self._run_control({"kind": "settle", "max_seconds": limit}, lambda: self.backend.settle(limit))
        return {"advanced": self.backend.clock.time() - start, **self._clock(payload)}

    def _run_control(self, entry: dict[str, Any], action: Callable[[], object]) -> None:
        """Move the clock; journal the move even when it failed inside the fake (then re-raise)."""
        try:
            action()
        except Exception:
            self._record({**entry, "status": FAULT})
            self._unsettled = True
            raise
        self._record(entry)
        self._unsettled = False

    def _seconds(self, value: Any, name: str) -> float:
        seconds = _seconds(value, name)
        if seconds > LATEST - self.backend.clock.time():
            raise ControlError(f"'{name}' moves virtual time past 9999-12-31T23:59:59Z")
        return seconds

    def _reset(self, payload: dict[str, Any]) -> dict[str, Any]:
        seed = self.backend.seed
        self.backend = Backend(seed=seed)
        if self._configure is not None:
            self._configure(self.backend)
        if self.journal is not None:
            self.journal.restart(seed)
        self._unsettled = False
        return self._clock(payload)

    def _record(self, entry: dict[str, Any]) -> None:
        if self.journal is not None:
            self.journal.append(entry)

    def _check_journal(self) -> None:
        if self.journal is not None and self.journal.failure is not None:
            raise JournalFailure(self.journal.failure)

    def _mark(self) -> int:
        return 0 if self.journal is None else self.journal.mark

    def _durable(self, mark: int) -> None:
        if self.journal is not None:
            self.journal.wait_durable(mark)


def _changes_world(operation: str, status: int, body: bytes) -> bool:
    """Whether replaying this call is needed to rebuild the world."""
    if operation not in operation_names() or operation in READ_ONLY:
        return False
    return not (operation in _POLLS and status == 200 and body == b"{}")
