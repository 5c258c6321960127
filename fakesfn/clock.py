"""Virtual time: the only clock the fake reads.

Nothing in fakesfn calls ``time.time()`` or sleeps. Every timestamp comes from a
:class:`VirtualClock`, which stands still until the user (or the backend on the
user's behalf) moves it. Work that must happen later (a Wait, a retry backoff, a
heartbeat timeout) is a timer in the clock's queue; moving the clock fires due
timers in ``(due, seq)`` order, each with the clock set to exactly its due time, so
histories show the exact gaps AWS would show.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import math
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_START: Final = _dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc)
"""Where virtual time starts unless told otherwise: fixed, so runs are repeatable."""

_EPOCH: Final = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)

LATEST: Final = (_dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=_dt.timezone.utc) - _EPOCH).total_seconds()
"""The last instant a datetime can show: virtual time stops there."""


def to_epoch(when: _dt.datetime) -> float:
    """Seconds since the epoch of an aware datetime; a naive one means UTC (never local time).

    A test's instants must not depend on the machine's time zone, so a naive
    ``datetime`` is read as UTC everywhere (``start_time``, ``move_to``), as
    time-machine and AWS's own timestamps do.
    """
    if not isinstance(when, _dt.datetime):
        raise TypeError(f"expected a datetime, got {type(when).__name__}")
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return (when - _EPOCH).total_seconds()


def duration_seconds(by: float | _dt.timedelta) -> float:
    """A forward duration in seconds, from a number of seconds or a :class:`~datetime.timedelta`.

    Raises:
        TypeError: ``by`` is neither (a ``bool`` is refused: ``advance(True)`` is a slip).
        ValueError: ``by`` is negative or not finite: virtual time only moves forward.
    """
    value: object = by  # callers are not all type-checked: check at run time too
    if isinstance(value, _dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        raise TypeError(f"advance() takes seconds (a number) or a timedelta, got {type(by).__name__}")
    if not math.isfinite(seconds):
        raise ValueError(f"cannot advance virtual time by {by!r}: not a finite duration")
    if seconds < 0:
        raise ValueError(
            f"cannot move virtual time backwards (advance by {by!r}): it only moves forward, "
            "as AWS's clock does; start a new backend (or reset()) to go back to its start"
        )
    return seconds


def iso(seconds: float) -> str:
    """An epoch second count as an ISO-8601 UTC instant, for messages."""
    return from_epoch(seconds).isoformat().replace("+00:00", "Z")


def from_epoch(seconds: float) -> _dt.datetime:
    """The aware UTC datetime of an epoch second count."""
    return _EPOCH + _dt.timedelta(seconds=seconds)


class Timer:
    """A handle on a scheduled callback; :meth:`cancel` makes it a no-op.

    A *backstop* timer (an execution's maximum lifetime) only matters if nothing
    else happens first: :meth:`VirtualClock.has_foreground` ignores it, so
    "run until nothing can move" does not jump a year ahead to fire it.
    """

    __slots__ = ("due", "seq", "callback", "cancelled", "backstop", "_clock")

    def __init__(
        self, due: float, seq: int, callback: Callable[[], None], clock: VirtualClock, backstop: bool = False
    ) -> None:
        self.due = due
        self.seq = seq
        self.callback = callback
        self.cancelled = False
        self.backstop = backstop
        self._clock: VirtualClock | None = clock

    def cancel(self) -> None:
        """Stop this timer from firing. Cancelling twice, or after it fired, is harmless.

        The callback is let go at once: a cancelled timer waits in the queue until the
        clock drops it, and must not keep alive what its callback refers to (an
        execution, say, for a deadline that no longer matters).
        """
        if self.cancelled:
            return
        self.cancelled = True
        self.callback = _nothing
        clock, self._clock = self._clock, None
        if clock is not None:
            clock._forget(self)

    def __lt__(self, other: Timer) -> bool:
        return (self.due, self.seq) < (other.due, other.seq)


def _nothing() -> None:
    """What a cancelled or fired timer calls: nothing."""


_COMPACT_AFTER: Final = 1024
"""Cancelled timers the queue may hold before it is rebuilt without them (when they are half of it)."""


class VirtualClock:
    """A clock that only moves when asked, with a queue of timers.

    Time is kept as float epoch seconds internally (cheap to compare and add on the
    interpreter's hot path); :meth:`now` gives the aware datetime users expect.
    """

    def __init__(self, start: _dt.datetime | None = None) -> None:
        self._now = to_epoch(start or DEFAULT_START)
        # Heap entries are (due, seq, timer): ordered by C tuple comparison, never by the timer.
        self._timers: list[tuple[float, int, Timer]] = []
        self._seq = 0
        self._foreground = 0
        self._cancelled = 0

    def now(self) -> _dt.datetime:
        """The current virtual instant (aware, UTC)."""
        return from_epoch(self._now)

    def time(self) -> float:
        """The current virtual instant as epoch seconds."""
        return self._now

    def call_at(self, due: float, callback: Callable[[], None], *, backstop: bool = False) -> Timer:
        """Run ``callback`` when the clock reaches ``due`` (epoch seconds).

        A due time in the past fires at the next :meth:`advance`/:meth:`run_due`
        without moving the clock backwards.
        """
        self._seq += 1
        due = max(due, self._now)
        timer = Timer(due, self._seq, callback, self, backstop)
        if not backstop:
            self._foreground += 1
        heapq.heappush(self._timers, (due, self._seq, timer))
        return timer

    def call_later(self, delay: float, callback: Callable[[], None], *, backstop: bool = False) -> Timer:
        """Run ``callback`` ``delay`` virtual seconds from now."""
        return self.call_at(self._now + max(delay, 0.0), callback, backstop=backstop)

    def has_foreground(self) -> bool:
        """Whether any live timer other than a backstop is scheduled."""
        return self._foreground > 0

    def next_due(self) -> float | None:
        """When the earliest live timer falls due (epoch seconds), or None."""
        self._drop_cancelled()
        return self._timers[0][0] if self._timers else None

    def pending(self) -> int:
        """How many live timers wait in the queue."""
        return len(self._timers) - self._cancelled

    def run_due(self) -> int:
        """Fire every timer due at or before now, in order; return how many fired."""
        return self._fire_until(self._now)

    def advance(self, seconds: float | _dt.timedelta) -> int:
        """Move time forward by ``seconds`` (or a timedelta), firing due timers at their own instants."""
        target = self._now + duration_seconds(seconds)
        if target > LATEST:
            raise ValueError("virtual time cannot move past 9999-12-31T23:59:59Z")
        fired = self._fire_until(target)
        self._now = max(self._now, target)
        return fired

    def move_to(self, when: _dt.datetime) -> int:
        """Move time forward to ``when`` (naive means UTC), firing due timers.

        Raises:
            ValueError: ``when`` is before now: virtual time never moves backwards.
        """
        target = to_epoch(when)
        if target < self._now:
            raise ValueError(
                f"cannot move virtual time backwards to {iso(target)}: the clock is already at "
                f"{iso(self._now)}; start a new backend (or reset()) to go back to its start"
            )
        return self.advance(target - self._now)

    def _fire_until(self, target: float) -> int:
        fired = 0
        timers = self._timers
        while timers:
            due, _seq, head = timers[0]
            if head.cancelled:
                heapq.heappop(timers)
                self._cancelled -= 1
                continue
            if due > target:
                break
            heapq.heappop(timers)
            if due > self._now:
                self._now = due
            # Fired: no longer queued, so cancelling it later changes no count.
            callback = head.callback
            head.cancelled, head.callback, head._clock = True, _nothing, None
            if not head.backstop:
                self._foreground -= 1
            callback()
            fired += 1
        return fired

    def _forget(self, timer: Timer) -> None:
        """A queued timer was cancelled: count it, and rebuild the queue once such timers abound.

        Cancelled timers are normally dropped when they reach the head of the queue, but
        deadlines far ahead (an Express execution's five minutes, cancelled as soon as it
        ends) would pile up for as long as the clock stands still: 100,000 short
        executions at one instant would leave 100,000 dead entries.
        """
        if not timer.backstop:
            self._foreground -= 1
        self._cancelled += 1
        if self._cancelled > _COMPACT_AFTER and 2 * self._cancelled > len(self._timers):
            # In place: a firing loop may hold the list while a callback cancels timers.
            self._timers[:] = [entry for entry in self._timers if not entry[2].cancelled]
            heapq.heapify(self._timers)
            self._cancelled = 0

    def _drop_cancelled(self) -> None:
        timers = self._timers
        while timers and timers[0][2].cancelled:
            heapq.heappop(timers)
            self._cancelled -= 1
