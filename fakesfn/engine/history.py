"""The event history of one execution, recorded as AWS records it.

Events are stored in their wire shape (``timestamp`` as epoch seconds, ``type``,
``id``, ``previousEventId``, one ``<kind>EventDetails`` object). Each fiber (the
execution, a Parallel branch, a Map iteration) keeps its own cursor: the id of
its latest event, which becomes the ``previousEventId`` of its next one; that
is how AWS links events of concurrent branches.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, overload

from fakesfn.payload import NOT_TRUNCATED

if TYPE_CHECKING:
    from fakesfn.clock import VirtualClock

MAX_EVENTS: Final = 25_000
"""AWS: an execution's history is limited to 25,000 events."""

EXPRESS_EVENTS_PER_INSTANT: Final = 1_000_000
"""How many events an EXPRESS execution may record without virtual time moving.

AWS keeps no history for Express executions and sets no event limit; what ends
one that loops without waiting is its five-minute lifetime, because every state
transition takes real time. Here transitions take no virtual time, so such a loop
would never reach its deadline. The fake's rule (house, deterministic, never the
wall clock): an Express execution that records more than this many events at one
virtual instant is *busy*; it stops and ends at its deadline, as AWS ends it.

The bound must stay above what real work records at one instant: an inline Map
over 5,000 items with a ten-state iterator records about 110,000 events, and AWS
finishes it in seconds (the bound was 100,000 at first). A million leaves room for
ten times that. Express events are counted, not kept, so a busy loop holds no
memory while it counts; reaching the bound costs a second or two of CPU.
"""


class HistoryLimitExceeded(BaseException):
    """The history takes no more events: the execution ends, whatever its fibers were doing.

    A BaseException so no state code, Retry or Catch can intercept it. Either the
    next event would be a Standard execution's 25,000th (``busy`` is false: AWS
    records ``ExecutionFailed``, States.Runtime, "The execution reached the maximum
    number of history events (25000).", as event 25,000 itself), or an Express
    execution is busy at one virtual instant (``busy``: see
    :data:`EXPRESS_EVENTS_PER_INSTANT`).
    """

    def __init__(self, busy: bool = False) -> None:
        super().__init__()
        self.busy = busy


_UNKEPT: Final[list[tuple[Any, ...]]] = []
"""The rows of every history that only counts its events: always empty (nothing appends to it)."""


class History:
    """An append-only list of events with AWS's ids and timestamps.

    Events are kept as flat tuples of strings and numbers, and become the dicts
    AWS's API returns only when read. A long history of dicts costs the garbage
    collector a traversal of every one of them on each full collection (measured:
    most of the wall time of a 25,000-event execution); tuples of atomic values
    are untracked by the collector altogether.

    An EXPRESS execution's history is only *counted*: AWS keeps none ("Execution
    history is not captured by Step Functions"; GetExecutionHistory refuses Express
    executions), so nothing can read its events, yet their ids still number the
    execution's events (errors quote "entered at the event id #N") and bound a busy
    loop. Stepping through an execution shows its events, so a stepped Express
    execution keeps them (:meth:`keep_events`).
    """

    __slots__ = ("_rows", "_clock", "limit", "per_instant", "_instant", "_instant_first", "_count", "_keep")

    def __init__(
        self,
        clock: VirtualClock,
        limit: int = MAX_EVENTS,
        per_instant: int | None = None,
        *,
        keep: bool = True,
    ) -> None:
        # Only counted: no list of its own (a Map Run may keep 100,000 such histories).
        self._rows: list[tuple[Any, ...]] = [] if keep else _UNKEPT
        self._clock = clock
        self.limit = limit
        self.per_instant = per_instant
        self._instant = -1.0
        self._instant_first = 0
        self._count = 0
        self._keep = keep

    @classmethod
    def of_type(cls, clock: VirtualClock, machine_type: str) -> History:
        """A new history with the limits of a ``STANDARD`` or ``EXPRESS`` execution.

        AWS keeps no history for Express executions, so their 25,000-event limit does
        not apply and their events are counted, not kept; the busy rule of
        :data:`EXPRESS_EVENTS_PER_INSTANT` applies.
        """
        if machine_type == "EXPRESS":
            return cls(clock, limit=sys.maxsize, per_instant=EXPRESS_EVENTS_PER_INSTANT, keep=False)
        return cls(clock)

    @property
    def kept(self) -> bool:
        """Whether events are kept (readable), not just counted."""
        return self._keep

    def keep_events(self) -> None:
        """Keep the events recorded from now on (an execution being stepped shows them)."""
        if not self._keep:
            self._keep = True
            self._rows = []

    @property
    def kept_count(self) -> int:
        """How many events are kept (all of them, unless only counted)."""
        return len(self._rows)

    @property
    def last_id(self) -> int:
        """The id of the newest event (0 when empty)."""
        return self._count

    def __len__(self) -> int:
        return self._count

    def add(self, event_type: str, previous: int, details_key: str | None = None, details: Any = None) -> int:
        """Append an event and return its id.

        Raises:
            HistoryLimitExceeded: the history is full, or (Express) busy at this instant.
        """
        event_id = self._count + 1
        if event_id >= self.limit:
            raise HistoryLimitExceeded()
        now = self._clock.time()
        if self.per_instant is not None:
            if now != self._instant:
                self._instant, self._instant_first = now, event_id
            elif event_id - self._instant_first >= self.per_instant:
                raise HistoryLimitExceeded(busy=True)
        self._count = event_id
        if self._keep:
            frozen = None if details_key is None else _freeze(details)
            self._rows.append((now, event_type, event_id, previous, details_key, frozen))
        return event_id

    def event(self, index: int) -> dict[str, Any]:
        """The kept event at position ``index`` (event number ``index + 1`` when all are kept), wire shape."""
        timestamp, event_type, event_id, previous, key, frozen = self._rows[index]
        event: dict[str, Any] = {
            "timestamp": timestamp,
            "type": event_type,
            "id": event_id,
            "previousEventId": previous,
        }
        if key is not None:
            event[key] = _thaw(frozen)
        return event

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every kept event in its wire shape (built on each read: prefer :meth:`view`)."""
        return [self.event(i) for i in range(len(self._rows))]

    def since(self, count: int) -> list[dict[str, Any]]:
        """The kept events numbered after ``count`` (``count`` is an earlier ``last_id``)."""
        rows = self._rows
        start = len(rows)
        while start > 0 and rows[start - 1][2] > count:
            start -= 1
        return [self.event(i) for i in range(start, len(rows))]

    def view(self, *, reverse: bool = False) -> EventView:
        """A read-only sequence of the kept events (oldest first, or newest first)."""
        return EventView(self, reverse)

    def add_final(self, event_type: str, previous: int, details_key: str, details: Any) -> int:
        """Append the execution's terminal event, which may be the limit-th one (or a busy one)."""
        limit, per_instant = self.limit, self.per_instant
        self.limit, self.per_instant = limit + 1, None
        try:
            return self.add(event_type, previous, details_key, details)
        finally:
            self.limit, self.per_instant = limit, per_instant

    def would_overflow(self, extra: int = 1) -> bool:
        """Whether ``extra`` more events would pass the limit."""
        return self._count + extra > self.limit


class EventView(Sequence[dict[str, Any]]):
    """Events materialised only as they are read (a page of GetExecutionHistory)."""

    __slots__ = ("_history", "_reverse")

    def __init__(self, history: History, reverse: bool) -> None:
        self._history = history
        self._reverse = reverse

    def __len__(self) -> int:
        return self._history.kept_count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        size = self._history.kept_count
        if isinstance(index, slice):
            return [self._at(i, size) for i in range(*index.indices(size))]
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        return self._at(index, size)

    def _at(self, index: int, size: int) -> dict[str, Any]:
        return self._history.event(size - 1 - index if self._reverse else index)


_DICT: Final = "\x00dict"
_LIST: Final = "\x00list"


_FROZEN_NOT_TRUNCATED: Final = (_DICT, (("truncated", False),))


def _freeze(value: Any) -> Any:
    """A JSON value as nested tuples of atomic values (which the GC need not track)."""
    if value is NOT_TRUNCATED:
        return _FROZEN_NOT_TRUNCATED
    kind = type(value)
    if kind is dict:
        return (_DICT, tuple([(key, _freeze(item)) for key, item in value.items()]))
    if kind is list:
        return (_LIST, tuple([_freeze(item) for item in value]))
    return value


def _thaw(value: Any) -> Any:
    if type(value) is not tuple:
        return value
    tag, items = value
    if tag == _DICT:
        return {key: _thaw(item) for key, item in items}
    return [_thaw(item) for item in items]
