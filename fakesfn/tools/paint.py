"""Each state's status in an execution, as the AWS console colours it.

Read from history events only (see :mod:`fakesfn.tools.visits`), so a history
exported from real AWS paints the same way. A state visited several times (a
loop, Map iterations) shows its most telling visit: running, then failed, caught,
cancelled, succeeded, in that order; its retries add up over all visits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.tools.visits import Visit, scan

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


class Status(str, enum.Enum):
    """What happened to a state, in the AWS console's terms."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CAUGHT = "caught"
    RUNNING = "running"
    CANCELLED = "cancelled"
    NOT_REACHED = "not_reached"


_PRECEDENCE: Final = (Status.RUNNING, Status.FAILED, Status.CAUGHT, Status.CANCELLED, Status.SUCCEEDED)


@dataclass(frozen=True, slots=True)
class StateSummary:
    """What happened to one state over an execution.

    Attributes:
        status: the status its colour shows.
        retries: how many failed attempts were retried, over all visits.
        visits: how many times it was entered.
    """

    status: Status
    retries: int = 0
    visits: int = 0


NOT_REACHED: Final = StateSummary(Status.NOT_REACHED)


def _visit_status(visit: Visit, outcome: str | None, stopped_at: Visit | None) -> Status:
    failed_last = visit.ends_in_failure
    if visit.exited:
        # AWS: a caught error leaves the state through its Catch, so the failure is
        # the last thing that happened before *StateExited.
        return Status.CAUGHT if failed_last else Status.SUCCEEDED
    finished = outcome is not None or visit.closed()
    if visit.kind == "Fail" or visit is stopped_at or (failed_last and finished):
        return Status.FAILED
    if not finished:
        return Status.RUNNING
    return Status.FAILED if outcome == "ExecutionTimedOut" else Status.CANCELLED


def state_runs(events: Iterable[Mapping[str, Any]]) -> dict[str, StateSummary]:
    """State name -> what happened to it, for every state the history entered."""
    result = scan(events)
    grouped: dict[str, list[Visit]] = {}
    for visit in result.visits:
        grouped.setdefault(visit.name, []).append(visit)
    runs: dict[str, StateSummary] = {}
    for name, visits in grouped.items():
        statuses = {_visit_status(visit, result.outcome, result.stopped_at) for visit in visits}
        status = next(candidate for candidate in _PRECEDENCE if candidate in statuses)
        retries = sum(visit.retries for visit in visits)
        runs[name] = StateSummary(status, retries, len(visits))
    return runs


@dataclass(frozen=True, slots=True)
class Colours:
    """How one status is drawn: fill, outline and text colours."""

    fill: str
    stroke: str
    text: str


PALETTE: Final[Mapping[Status, Colours]] = {
    Status.SUCCEEDED: Colours("#dff0d8", "#2e7d32", "#1b3d1b"),
    Status.FAILED: Colours("#f8d7da", "#c62828", "#5f1111"),
    Status.CAUGHT: Colours("#ffe0b2", "#ef6c00", "#5d2a00"),
    Status.RUNNING: Colours("#d6e9ff", "#1565c0", "#0d2f5a"),
    Status.CANCELLED: Colours("#e0e0e0", "#616161", "#303030"),
    Status.NOT_REACHED: Colours("#f5f5f5", "#bdbdbd", "#9e9e9e"),
}
"""Close to the AWS console: green, red, orange (caught), blue (in progress), greys."""

RETRIED_STROKE: Final = "#f9a825"
"""Retried states get a thick yellow outline (and a badge in their label)."""


def badge(run: StateSummary | None) -> str:
    """The label suffix of a retried state: `` (1 retry)``, `` (3 retries)``."""
    if run is None or run.retries == 0:
        return ""
    return f" ({run.retries} {'retry' if run.retries == 1 else 'retries'})"
