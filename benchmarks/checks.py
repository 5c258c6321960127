"""Verification: does a run's reply and history look like what AWS would produce?

Every check raises :class:`~benchmarks.harness.Mismatch` with a short reason; a
benchmark figure is only worth printing for a run that did the right thing.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmarks.harness import Counts, Mismatch

if TYPE_CHECKING:
    from collections.abc import Callable

    from benchmarks.drivers import Driver

HISTORY_LIMIT_CAUSE = "The execution reached the maximum number of history events (25000)."
"""AWS's cause when an execution's history reaches 25,000 events (error ``States.Runtime``)."""

_NO_OUTPUT = object()


@dataclass(frozen=True)
class Expect:
    """What one execution must end with.

    ``output`` is compared as parsed JSON (engines may space their JSON differently),
    or, when callable, called with the parsed output to say whether it is right;
    ``extra`` runs further checks on the history, given the driver (for its clock kind);
    ``tail_only`` reads just the newest event (its id is the event count), for histories
    too long to read back on every run.
    """

    transitions: int | None
    events: int | None
    status: str = "SUCCEEDED"
    output: Any = _NO_OUTPUT
    error: str | None = None
    cause: str | None = None
    extra: Callable[[Driver, list[dict[str, Any]]], None] | None = None
    tail_only: bool = False


def check_reply(reply: dict[str, Any], expect: Expect) -> None:
    """Status, output, error and cause of a describe/start-sync reply."""
    status = reply.get("status")
    if status != expect.status:
        detail = f" ({reply.get('error')}: {str(reply.get('cause'))[:160]})" if status == "FAILED" else ""
        raise Mismatch(f"status {status}{detail}, expected {expect.status}")
    if expect.output is not _NO_OUTPUT:
        text = reply.get("output")
        wanted = expect.output
        if text is None or not (wanted(json.loads(text)) if callable(wanted) else json.loads(text) == wanted):
            raise Mismatch(f"output {str(text)[:120]!r} differs from the expected output")
    for key in ("error", "cause"):
        wanted = getattr(expect, key)
        if wanted is not None and reply.get(key) != wanted:
            raise Mismatch(f"{key} {reply.get(key)!r}, expected {wanted!r}")


def check_history(driver: Driver, events: list[dict[str, Any]], expect: Expect) -> Counts:
    """The history's shape: ids, links, first and last event, counts, plus ``expect.extra``."""
    if expect.events is not None and len(events) != expect.events:
        raise Mismatch(f"{len(events)} history events, expected {expect.events}")
    for position, event in enumerate(events, start=1):
        if event["id"] != position or not 0 <= event["previousEventId"] < position:
            raise Mismatch(
                f"event #{position} has id {event['id']}, previousEventId {event['previousEventId']}"
            )
    terminal = "Execution" + expect.status.title().replace("_", "")
    if not events or events[0]["type"] != "ExecutionStarted" or events[-1]["type"] != terminal:
        ends = (events[0]["type"], events[-1]["type"]) if events else ()
        raise Mismatch(f"history runs {ends}, expected ExecutionStarted ... {terminal}")
    entered = sum(1 for event in events if event["type"].endswith("StateEntered"))
    if expect.transitions is not None and entered != expect.transitions:
        raise Mismatch(f"{entered} states entered, expected {expect.transitions}")
    if expect.extra is not None:
        expect.extra(driver, events)
    return Counts(transitions=entered, events=len(events))


def check_last_event(event: dict[str, Any], expect: Expect) -> Counts:
    """The newest event: the terminal one, numbered ``expect.events``, with the expected error and cause."""
    terminal = "Execution" + expect.status.title().replace("_", "")
    details: dict[str, Any] = next((v for k, v in event.items() if k.endswith("EventDetails")), {})
    if event["type"] != terminal or (expect.events is not None and event["id"] != expect.events):
        raise Mismatch(
            f"the last event is #{event['id']} {event['type']}, expected #{expect.events} {terminal}"
        )
    for key in ("error", "cause"):
        wanted = getattr(expect, key)
        if wanted is not None and details.get(key) != wanted:
            raise Mismatch(f"the last event's {key} is {details.get(key)!r}, expected {wanted!r}")
    return Counts(events=event["id"])


def check_gaps(driver: Driver, times: list[Any], gaps: list[float], what: str) -> None:
    """Seconds between consecutive ``times`` (datetimes) must be ``gaps``.

    Exact on a virtual clock; within a second on an engine that really waits.
    """
    tolerance = 0.0 if driver.virtual_time else 1.0
    actual = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times)]
    if len(actual) != len(gaps) or any(abs(a - g) > tolerance for a, g in zip(actual, gaps, strict=True)):
        raise Mismatch(f"{what} {actual} s apart, expected {gaps} s")


def timestamps_of(events: list[dict[str, Any]], event_type: str) -> list[Any]:
    """Timestamps of every event of one type."""
    return [event["timestamp"] for event in events if event["type"] == event_type]
