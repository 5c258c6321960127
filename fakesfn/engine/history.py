"""The event history of one execution, recorded as AWS records it.

Events are stored in their wire shape (``timestamp`` as epoch seconds, ``type``,
``id``, ``previousEventId``, one ``<kind>EventDetails`` object). Each fiber (the
execution, a Parallel branch, a Map iteration) keeps its own cursor: the id of
its latest event, which becomes the ``previousEventId`` of its next one; that
is how AWS links events of concurrent branches.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError

if TYPE_CHECKING:
    from fakesfn.clock import VirtualClock

MAX_EVENTS: Final = 25_000
"""AWS: an execution's history is limited to 25,000 events."""

MAX_PAYLOAD_BYTES: Final = 256 * 1024
"""AWS: inputs, outputs and results are limited to 256 KiB."""

_NOT_TRUNCATED: Final = {"truncated": False}


class HistoryLimitExceeded(BaseException):
    """The next event would be the execution's 25,000th: AWS fails it instead.

    A BaseException so no state code, Retry or Catch can intercept it: AWS
    records ``ExecutionFailed`` (States.Runtime, "The execution reached the
    maximum number of history events (25000).") as event 25,000 itself.
    """


class History:
    """An append-only list of events with AWS's ids and timestamps."""

    __slots__ = ("events", "_clock", "limit")

    def __init__(self, clock: VirtualClock, limit: int = MAX_EVENTS) -> None:
        self.events: list[dict[str, Any]] = []
        self._clock = clock
        self.limit = limit

    @property
    def last_id(self) -> int:
        """The id of the newest event (0 when empty)."""
        return len(self.events)

    def add(self, event_type: str, previous: int, details_key: str | None = None, details: Any = None) -> int:
        """Append an event and return its id."""
        event_id = len(self.events) + 1
        if event_id >= self.limit:
            raise HistoryLimitExceeded()
        event: dict[str, Any] = {
            "timestamp": self._clock.time(),
            "type": event_type,
            "id": event_id,
            "previousEventId": previous,
        }
        if details_key is not None:
            event[details_key] = details
        self.events.append(event)
        return event_id

    def add_final(self, event_type: str, previous: int, details_key: str, details: Any) -> int:
        """Append the execution's terminal event, which may be the limit-th one."""
        limit, self.limit = self.limit, self.limit + 1
        try:
            return self.add(event_type, previous, details_key, details)
        finally:
            self.limit = limit

    def would_overflow(self, extra: int = 1) -> bool:
        """Whether ``extra`` more events would pass the limit."""
        return len(self.events) + extra > self.limit


_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)

dump = _ENCODER.encode
"""A JSON value as AWS serialises payloads in history and API replies (compact).

One shared encoder: ``json.dumps`` with non-default options builds a new encoder on
every call, which showed up on the interpreter's hot path.
"""


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _double(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} does not fit a double")
    return value


def load(text: str) -> Any:
    """A JSON text as AWS reads payloads: ``NaN``, ``Infinity`` and numbers beyond a double are not JSON.

    Raises:
        ValueError: the text is not JSON.
        RecursionError: it nests deeper than Python's parser goes.
    """
    return json.loads(text, parse_constant=_not_json, parse_float=_double)


def payload_details(key: str, text: str) -> dict[str, Any]:
    """``{key: text, keyDetails: {truncated: false}}``, the shape of every payload field."""
    return {key: text, f"{key}Details": _NOT_TRUNCATED}


def check_payload_size(text: str, name: str) -> None:
    """AWS: a result or state output over 256 KiB is ``States.DataLimitExceeded``.

    ``name`` is the state (or the task's resource) AWS names in the cause.
    """
    if payload_size(text) > MAX_PAYLOAD_BYTES:
        raise StatesError(
            ErrorName.DATA_LIMIT_EXCEEDED.value,
            f"The state/task '{name}' returned a result with a size exceeding the maximum number of bytes "
            "service limit.",
        )


def payload_size(text: str) -> int:
    """Size in UTF-8 bytes (cheap for ASCII text); a lone surrogate counts its 3 bytes."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))
