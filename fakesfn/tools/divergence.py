"""Compare two execution histories thread by thread, and say where they part.

AWS runs Parallel branches and Map iterations concurrently, so two runs of the
same execution interleave their events differently; the fake's order is its own.
Events are therefore compared within each thread of control (see
:mod:`fakesfn.tools.visits`), in order, and the first difference of each thread
is reported with its position in both histories.

What is compared: the event type and every ``*EventDetails`` field (JSON strings
decoded; payloads only where the recording has them, as an export without
execution data has none), except fields that name resources of one particular run (role, map run,
alias/version ARNs) and values under keys ending in ``token`` (task tokens are
random). Task ``*Started`` events are skipped and a task's ``TimedOut``,
``StartFailed``, ``SubmitFailed`` and ``ScheduleFailed`` compare as ``Failed``: a
replayed task's failure is fed from the recording, with the same error and cause.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from fakesfn.tools.recording import decode, details
from fakesfn.tools.visits import ThreadKey, scan

IGNORED_FIELDS: Final = frozenset(
    {"roleArn", "mapRunArn", "stateMachineAliasArn", "stateMachineVersionArn", "taskCredentials"}
)
_JSON_FIELDS: Final = frozenset({"input", "output", "parameters"})
_PAYLOAD_FIELDS: Final = frozenset(
    {
        "input",
        "inputDetails",
        "output",
        "outputDetails",
        "parameters",
        "assignedVariables",
        "assignedVariablesDetails",
    }
)
_TASK_FAMILIES: Final = ("Task", "LambdaFunction", "Activity")
_FAILURE_SPELLINGS: Final = ("TimedOut", "StartFailed", "SubmitFailed", "ScheduleFailed")
TOKEN_MASK: Final = "<token>"


@dataclass(frozen=True, slots=True)
class EventView:
    """One event as compared: its position (the event id), type, state name and data.

    Attributes:
        position: the event's id in its own history.
        type: the event type as recorded.
        name: the state (or Map) name its details carry, if any.
        thread: the thread of control it belongs to.
        fields: the compared details fields, decoded.
    """

    position: int
    type: str
    name: str | None
    thread: ThreadKey
    fields: Mapping[str, Any]

    def title(self) -> str:
        """``TaskStateEntered 'Charge'`` (or just the type)."""
        return f"{self.type} '{self.name}'" if self.name is not None else self.type


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where one thread of the replay stopped matching the recording.

    Attributes:
        thread: the thread of control.
        reason: ``type`` (a different event: the path differs), ``data`` (same
            event, different fields), ``missing`` (the replay stopped short) or
            ``extra`` (the replay went further).
        expected: the recorded event, ``None`` for ``extra``.
        actual: the replayed event, ``None`` for ``missing``.
        fields: the names of the differing fields (for ``data``).
    """

    thread: ThreadKey
    reason: str
    expected: EventView | None
    actual: EventView | None
    fields: tuple[str, ...] = ()

    def sort_key(self) -> tuple[float, float]:
        """Order by position in the recording, then in the replay."""
        expected = self.expected.position if self.expected is not None else math.inf
        actual = self.actual.position if self.actual is not None else math.inf
        return expected, actual

    def describe(self) -> str:
        """A few lines for people: where, and expected versus actual."""
        where = f" in {' > '.join(self.thread)}" if self.thread else ""
        if self.expected is None:
            assert self.actual is not None
            return f"replay event {self.actual.position}{where}: unexpected {self.actual.title()}"
        head = f"recorded event {self.expected.position}{where}"
        if self.actual is None:
            return f"{head}: expected {self.expected.title()}, the replay has no such event"
        head += f" (replay event {self.actual.position})"
        if self.reason == "type":
            return f"{head}: expected {self.expected.title()}, got {self.actual.title()}"
        lines = [f"{head}: {self.expected.title()} differs"]
        for name in self.fields:
            lines.append(f"  {name}: expected {_show(self.expected.fields.get(name))}")
            lines.append(f"  {' ' * len(name)}       got {_show(self.actual.fields.get(name))}")
        return "\n".join(lines)


def _show(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return text if len(text) <= 200 else text[:199] + "…"


def mask_tokens(value: Any) -> Any:
    """``value`` with every string under a key ending in ``token`` replaced by a mask."""
    if isinstance(value, Mapping):
        return {
            key: TOKEN_MASK if isinstance(item, str) and key.lower().endswith("token") else mask_tokens(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_tokens(item) for item in value]
    return value


def comparable_type(event_type: str) -> str | None:
    """The type compared for ``event_type``; ``None`` for events not compared."""
    family = next((name for name in _TASK_FAMILIES if event_type.startswith(name)), None)
    if family is None or event_type.startswith("TaskState"):
        return event_type
    rest = event_type[len(family) :]
    if rest == "Started":
        return None
    return family + "Failed" if rest in _FAILURE_SPELLINGS else event_type


def _fields(event: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in details(event).items():
        if key in IGNORED_FIELDS:
            continue
        if key in _JSON_FIELDS:
            value = decode(value)
        elif key == "assignedVariables" and isinstance(value, Mapping):
            value = {name: decode(text) for name, text in value.items()}
        fields[key] = mask_tokens(value)
    return fields


def views(events: Sequence[Mapping[str, Any]]) -> dict[ThreadKey, list[EventView]]:
    """The compared events of a history, grouped by thread (threads in first-seen order)."""
    threads = scan(events).threads
    grouped: dict[ThreadKey, list[EventView]] = {}
    for event in events:
        kind = comparable_type(event["type"])
        if kind is None:
            continue
        name = details(event).get("name")
        thread = threads.get(event["id"], ())
        view = EventView(
            event["id"], event["type"], name if isinstance(name, str) else None, thread, _fields(event)
        )
        grouped.setdefault(thread, []).append(view)
    return grouped


def _differ(expected: EventView, actual: EventView) -> Divergence | None:
    if comparable_type(expected.type) != comparable_type(actual.type) or expected.name != actual.name:
        return Divergence(expected.thread, "type", expected, actual)
    # A history exported with includeExecutionData=false has no payloads: compare what it has.
    keys = sorted(set(expected.fields) | (set(actual.fields) - _PAYLOAD_FIELDS))
    differing = tuple(key for key in keys if expected.fields.get(key) != actual.fields.get(key))
    return Divergence(expected.thread, "data", expected, actual, differing) if differing else None


def compare(
    recorded: Sequence[Mapping[str, Any]], replayed: Sequence[Mapping[str, Any]], *, complete: bool = True
) -> list[Divergence]:
    """Every thread's first difference, ordered by position in the recording.

    Args:
        recorded: the recorded events (API shape, id order).
        replayed: the replayed events.
        complete: whether the recording reached the execution's end; when it did
            not, events the replay has beyond the recording are not differences.
    """
    expected_threads, actual_threads = views(recorded), views(replayed)
    found: list[Divergence] = []
    for thread in [*expected_threads, *(key for key in actual_threads if key not in expected_threads)]:
        expected, actual = expected_threads.get(thread, []), actual_threads.get(thread, [])
        divergence = next(filter(None, (_differ(e, a) for e, a in zip(expected, actual, strict=False))), None)
        if divergence is None and len(expected) > len(actual):
            divergence = Divergence(thread, "missing", expected[len(actual)], None)
        elif divergence is None and len(actual) > len(expected) and complete:
            divergence = Divergence(thread, "extra", None, actual[len(expected)])
        if divergence is not None:
            found.append(divergence)
    return sorted(found, key=Divergence.sort_key)
