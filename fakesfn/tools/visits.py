"""What happened to each state, read from history events alone.

Works on any history in the API shape, from fakesfn or from real AWS, because it
relies only on what AWS documents: every event's ``previousEventId`` points at
the previous event of the same thread of control (the execution, a Parallel
branch, a Map iteration), and ``*StateEntered``/``*StateExited`` carry the
state's name. A *visit* is one entry into a state; events in between belong to
the visit open in their thread. A *thread key* names a thread the same way in
any run (``("Fan#0", "BranchA")``, ``("Loop#0", "2")`` for iteration 2), so two
histories can be compared thread by thread even when AWS interleaved concurrent
branches differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from fakesfn.tools.recording import details

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

ThreadKey = tuple[str, ...]
"""Names one thread of control: the containers and branches/iterations above it."""

CONTAINERS: Final = ("Parallel", "Map")
_CONTAINER_PREFIXES: Final = {
    "ParallelState": "Parallel",
    "MapState": "Map",
    "MapIteration": "Map",
    "MapRun": "Map",
}
_NOT_FAILURES: Final = ("Execution", "MapIteration", "MapRun")
_TERMINALS: Final = frozenset(
    {"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"}
)


def is_failure(event_type: str) -> bool:
    """A failed attempt of a state (a task failure or timeout, a Parallel/Map failure)."""
    return event_type.endswith(("Failed", "TimedOut")) and not event_type.startswith(_NOT_FAILURES)


def is_attempt_start(event_type: str) -> bool:
    """The start of an attempt: a retry shows up as a start after a failure."""
    return event_type.endswith(("Scheduled", "Started")) and not event_type.startswith(_NOT_FAILURES)


@dataclass(slots=True, eq=False)
class Visit:
    """One entry into a state and the events that belong to it.

    Attributes:
        name: the state's name.
        kind: its type, from the event (``Task``, ``Map``...).
        parent: the Parallel/Map visit it runs inside, if any.
        thread: the thread it runs in.
        key: ``thread`` plus ``name#n``: this visit, the n-th of ``name`` in the thread.
        events: its events in order, from ``*StateEntered`` to ``*StateExited``.
    """

    name: str
    kind: str
    parent: Visit | None
    thread: ThreadKey
    key: ThreadKey
    events: list[Mapping[str, Any]] = field(default_factory=list)
    exited: bool = False

    @property
    def types(self) -> list[str]:
        """The types of its events."""
        return [event["type"] for event in self.events]

    @property
    def retries(self) -> int:
        """How many times an attempt started again after a failure (Retry at work)."""
        count, failed = 0, False
        for kind in self.types:
            if is_failure(kind):
                failed = True
            elif failed and is_attempt_start(kind):
                count, failed = count + 1, False
        return count

    @property
    def ends_in_failure(self) -> bool:
        """Whether the last attempt failed (nothing started after the last failure)."""
        for kind in reversed(self.types):
            if is_failure(kind):
                return True
            if is_attempt_start(kind):
                return False
        return False

    @property
    def aborted(self) -> bool:
        """Whether AWS recorded the visit as aborted (a sibling failed, the execution stopped)."""
        return any(kind.endswith("StateAborted") for kind in self.types)

    def closed(self) -> bool:
        """Whether this visit, or a container around it, has finished."""
        visit: Visit | None = self
        while visit is not None:
            if visit.exited or visit.aborted:
                return True
            visit = visit.parent
        return False


@dataclass(frozen=True, slots=True)
class Scan:
    """A history read into visits.

    Attributes:
        visits: every visit, in the order the states were entered.
        threads: event id -> the key of the thread it belongs to.
        outcome: the execution's terminal event type, or ``None`` while it runs.
        stopped_at: the visit whose failure failed the execution, if AWS linked one.
    """

    visits: tuple[Visit, ...]
    threads: Mapping[int, ThreadKey]
    outcome: str | None
    stopped_at: Visit | None = None


class _Scanner:
    """One pass over the events; ``context`` maps an event id to the visit open after it."""

    def __init__(self) -> None:
        self.visits: list[Visit] = []
        self.context: dict[int, Visit | None] = {}
        self.threads: dict[int, ThreadKey] = {}
        self.counts: dict[tuple[ThreadKey, str], int] = {}
        self.outcome: str | None = None
        self.stopped_at: Visit | None = None
        self.event_types: dict[int, str] = {}
        self.indexes: dict[int, int] = {}

    def feed(self, event: Mapping[str, Any]) -> None:
        kind: str = event["type"]
        previous = self.context.get(event.get("previousEventId", 0))
        visit: Visit | None
        if kind.endswith("StateEntered"):
            visit = self._enter(event, kind[: -len("StateEntered")], previous)
        elif kind.endswith("StateExited"):
            visit = self._exit(event, previous)
        elif kind.startswith(tuple(_CONTAINER_PREFIXES)):
            visit = self._container_event(event, kind, previous)
        elif kind.startswith("Execution"):
            self._end(kind, previous)
            visit = None
        else:
            visit = previous if previous is not None and not previous.exited else self._named(event)
            if visit is not None:
                visit.events.append(event)
        holder = visit if visit is not None else previous
        self.context[event["id"]] = holder
        if event["id"] not in self.threads:
            self.threads[event["id"]] = holder.thread if holder is not None else ()

    def _end(self, kind: str, previous: Visit | None) -> None:
        if kind not in _TERMINALS:
            return
        self.outcome = kind
        # AWS links ExecutionFailed to the last event of the state that failed it.
        if kind == "ExecutionFailed" and previous is not None and not previous.exited:
            self.stopped_at = previous

    def _named(self, event: Mapping[str, Any]) -> Visit | None:
        """The open visit an unlinked event names (AWS writes EvaluationFailed with no previous event)."""
        name = details(event).get("state")
        return next((v for v in reversed(self.visits) if v.name == name and not v.exited), None)

    def _enter(self, event: Mapping[str, Any], kind: str, previous: Visit | None) -> Visit:
        name = str(details(event).get("name", ""))
        parent: Visit | None
        thread: ThreadKey
        if previous is None:
            parent, thread = None, ()
        elif previous.kind in CONTAINERS and not previous.exited:
            parent = previous
            source = self.event_types.get(event.get("previousEventId", 0), "")
            index = self.indexes.get(event.get("previousEventId", 0))
            branch = str(index) if source == "MapIterationStarted" and index is not None else name
            thread = (*previous.key, branch)
        else:
            parent, thread = previous.parent, previous.thread
        count = self.counts.get((thread, name), 0)
        self.counts[(thread, name)] = count + 1
        visit = Visit(name, kind, parent, thread, (*thread, f"{name}#{count}"), [event])
        self.visits.append(visit)
        return visit

    def _exit(self, event: Mapping[str, Any], previous: Visit | None) -> Visit | None:
        name = details(event).get("name")
        visit = previous
        while visit is not None and (visit.name != name or visit.exited):
            visit = visit.parent
        if visit is None:
            visit = next((v for v in reversed(self.visits) if v.name == name and not v.exited), None)
        if visit is not None:
            visit.events.append(event)
            visit.exited = True
        return visit

    def _container_event(self, event: Mapping[str, Any], kind: str, previous: Visit | None) -> Visit | None:
        family = next(family for prefix, family in _CONTAINER_PREFIXES.items() if kind.startswith(prefix))
        owner = previous
        while owner is not None and (owner.kind != family or owner.exited):
            owner = owner.parent
        if owner is None:
            return None
        owner.events.append(event)
        index = details(event).get("index")
        if kind.startswith("MapIteration") and isinstance(index, int):
            self.indexes[event["id"]] = index
            self.threads[event["id"]] = (*owner.key, str(index))
        self.event_types[event["id"]] = kind
        return owner

    def scan(self, events: Iterable[Mapping[str, Any]]) -> Scan:
        for event in events:
            self.feed(event)
        return Scan(tuple(self.visits), self.threads, self.outcome, self.stopped_at)


def scan(events: Iterable[Mapping[str, Any]]) -> Scan:
    """Read ``events`` (in id order, API shape) into visits and thread keys."""
    return _Scanner().scan(events)
