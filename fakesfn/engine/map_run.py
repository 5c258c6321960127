"""Map Runs: the record a Distributed Map keeps while its child executions run.

A Map Run is what ``DescribeMapRun``, ``ListMapRuns`` and ``UpdateMapRun`` read
and change. The engine creates one per Distributed Map state entry and hands it
to the runtime's :class:`~fakesfn.engine.ports.ExecutionHost` (the service's store
keeps them in a :class:`MapRuns`), so the service layer finds it without the
engine knowing about the service layer.

AWS counts progress twice: per child execution (``executionCounts``) and per
item (``itemCounts``); they differ only when an ``ItemBatcher`` puts several
items into one child execution.

A Map Run that failed or was aborted can be redriven (AWS: "Redriving Map Runs"):
redriving its parent continues the same record (same ARN, ``redriveCount`` and
``redriveDate`` move on) and reruns only the unsuccessful children, which is why
the record keeps its units (each child's input and execution).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from fakesfn.engine.redrive import not_redrivable_reason

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Iterable

    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.result_writer import Unit

RUNNING: Final = "RUNNING"
SUCCEEDED: Final = "SUCCEEDED"
FAILED: Final = "FAILED"
ABORTED: Final = "ABORTED"

MAX_MAP_RUN_REDRIVES: Final = 1000
"""AWS: "the hard limit of 1000 redrives of a given Map Run" (then ``States.Runtime``)."""

UNSUCCESSFUL: Final = frozenset({"FAILED", "TIMED_OUT", "ABORTED"})
"""The child statuses a Map Run redrive reruns."""

PENDING: Final = "PENDING"
"""A unit whose child execution was never started."""

_STATUS_FIELDS: Final = {
    PENDING: "pending",
    "RUNNING": "running",
    "SUCCEEDED": "succeeded",
    "FAILED": "failed",
    "TIMED_OUT": "timed_out",
    "ABORTED": "aborted",
    "PENDING_REDRIVE": "pending_redrive",
}


@dataclass(eq=False, slots=True)
class Counts:
    """One of a Map Run's two tallies (child executions, or items)."""

    pending: int = 0
    running: int = 0
    succeeded: int = 0
    failed: int = 0
    timed_out: int = 0
    aborted: int = 0
    total: int = 0
    results_written: int = 0
    pending_redrive: int = 0

    def start(self, amount: int, *, redriven: bool = False) -> None:
        """``amount`` units left pending (or pending redrive) for running."""
        if redriven:
            self.pending_redrive -= amount
        else:
            self.pending -= amount
        self.running += amount

    def finish(self, status: str, amount: int) -> None:
        """``amount`` running units ended with a child execution's terminal ``status``."""
        self.running -= amount
        self._add(status, amount)

    def recount(self, statuses: Iterable[tuple[str, int]]) -> None:
        """Every tally but ``total`` and ``resultsWritten`` from (status, amount) pairs."""
        for name in _STATUS_FIELDS.values():
            setattr(self, name, 0)
        for status, amount in statuses:
            self._add(status, amount)

    def release(self, status: str, amount: int) -> None:
        """``amount`` units that waited to be redriven go back to their ``status``.

        AWS: "When a Map Run has completed its execution or is aborted, the count of
        child workflow executions in the Pending redrive state is reset to 0."
        """
        self.pending_redrive -= amount
        self._add(status, amount)

    def _add(self, status: str, amount: int) -> None:
        name = _STATUS_FIELDS[status]
        setattr(self, name, getattr(self, name) + amount)

    def wire(self, failures_not_redrivable: int) -> dict[str, int]:
        """The ``MapRunExecutionCounts`` / ``MapRunItemCounts`` shape."""
        return {
            "pending": self.pending,
            "running": self.running,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "timedOut": self.timed_out,
            "aborted": self.aborted,
            "total": self.total,
            "resultsWritten": self.results_written,
            "failuresNotRedrivable": failures_not_redrivable,
            "pendingRedrive": self.pending_redrive,
        }


@dataclass(eq=False, slots=True)
class MapRun:
    """One Map Run and everything the Map Run API reports about it.

    Attributes:
        arn: ``arn:...:mapRun:<machine>/<label>:<id>``.
        execution_arn: the execution whose Map state started it.
        state_machine_arn: the labelled machine ARN its children run as
            (``arn:...:stateMachine:<machine>/<label>``).
        label: the Map state's ``Label`` (or the generated one).
        start_date / stop_date: epoch seconds.
        max_concurrency: 0 means no limit was set.
        tolerated_failure_percentage / tolerated_failure_count: the thresholds in force
            (``None``: not set; DescribeMapRun shows 0).
        executions / items: progress tallies.
        on_update: called after ``UpdateMapRun`` changed a running run.
        units: each child's input and execution, once the items were read
            (``None`` while they were not: a redrive then reads them again).
        redrive_count / redrive_date: how often and when (epoch seconds) it was last redriven.
    """

    arn: str
    execution_arn: str
    state_machine_arn: str
    label: str
    start_date: float
    max_concurrency: int
    tolerated_failure_percentage: float | None
    tolerated_failure_count: int | None
    status: str = RUNNING
    stop_date: float | None = None
    executions: Counts = field(default_factory=Counts)
    items: Counts = field(default_factory=Counts)
    on_update: Callable[[], None] | None = None
    units: list[Unit] | None = None
    redrive_count: int = 0
    redrive_date: float | None = None

    @property
    def run_id(self) -> str:
        """The UUID that ends the ARN (AWS names the ResultWriter folder after it)."""
        return self.arn.rsplit(":", 1)[1]

    def stop(self, status: str, when: float) -> None:
        """The run ended with ``status`` at ``when``."""
        self.status = status
        self.stop_date = when
        self.on_update = None

    def begin(self, units: list[Unit]) -> None:
        """The items were read: every unit is pending."""
        self.units = units
        self.executions.total = len(units)
        self.items.total = sum(unit.size for unit in units)
        self.recount(())

    def recount(self, held: Container[int]) -> None:
        """Tallies from what the children are now; ``held``: units waiting to be redriven.

        A redrive starts from the children's current statuses, so a child that was
        redriven on its own meanwhile is counted as what it is now.
        """
        statuses = [
            ("PENDING_REDRIVE" if unit.index in held else unit.status, unit.size) for unit in self.units or ()
        ]
        self.executions.recount((status, 1) for status, _ in statuses)
        self.items.recount(statuses)

    def redrive(self, when: float) -> None:
        """AWS: the Map Run is redriven, not replaced: it runs again under the same ARN."""
        self.status = RUNNING
        self.stop_date = None
        self.redrive_count += 1
        self.redrive_date = when

    def update(self, changes: dict[str, Any]) -> None:
        """Apply ``UpdateMapRun``: new concurrency and thresholds take effect at once."""
        for name, value in changes.items():
            setattr(self, name, value)
        if self.status == RUNNING and self.on_update is not None:
            self.on_update()

    def describe(self, now: float) -> dict[str, Any]:
        """The ``DescribeMapRun`` reply at ``now`` (timestamps as epoch seconds)."""
        not_executions, not_items = self._failures_not_redrivable(now)
        reply: dict[str, Any] = {
            "mapRunArn": self.arn,
            "executionArn": self.execution_arn,
            "status": self.status,
            "startDate": self.start_date,
            "maxConcurrency": self.max_concurrency,
            "toleratedFailurePercentage": self.tolerated_failure_percentage or 0.0,
            "toleratedFailureCount": self.tolerated_failure_count or 0,
            "itemCounts": self.items.wire(not_items),
            "executionCounts": self.executions.wire(not_executions),
            "redriveCount": self.redrive_count,
        }
        if self.redrive_date is not None:
            reply["redriveDate"] = self.redrive_date
        # Measured on AWS by floci (PR #2694): a RUNNING run has no stopDate key.
        if self.stop_date is not None:
            reply["stopDate"] = self.stop_date
        return reply

    def _failures_not_redrivable(self, now: float) -> tuple[int, int]:
        """AWS: FAILED, ABORTED or TIMED_OUT children "with a redriveStatus of NOT_REDRIVABLE".

        Counted when asked: a STANDARD child stops being redrivable as time passes
        (its own 14-day redrivable period).
        """
        executions = items = 0
        for unit in self.units or ():
            child = unit.execution
            if child is not None and child.status in UNSUCCESSFUL and not redrivable_child(child, now):
                executions += 1
                items += unit.size
        return executions, items

    def list_item(self) -> dict[str, Any]:
        """The ``MapRunListItem`` of ``ListMapRuns``."""
        item: dict[str, Any] = {
            "executionArn": self.execution_arn,
            "mapRunArn": self.arn,
            "stateMachineArn": self.state_machine_arn,
            "startDate": self.start_date,
        }
        if self.stop_date is not None:
            item["stopDate"] = self.stop_date
        return item


class MapRuns:
    """Every Map Run of one backend, by ARN, in the order they started."""

    def __init__(self) -> None:
        self.by_arn: dict[str, MapRun] = {}

    def add(self, run: MapRun) -> None:
        """Keep ``run``."""
        self.by_arn[run.arn] = run

    def get(self, arn: str) -> MapRun | None:
        """The Map Run ``arn`` names."""
        return self.by_arn.get(arn)

    def of_execution(self, execution_arn: str) -> list[MapRun]:
        """The Map Runs an execution started, oldest first."""
        return [run for run in self.by_arn.values() if run.execution_arn == execution_arn]


def threshold_exceeded(failed: int, total: int, count: int | None, percentage: float | None) -> bool:
    """AWS: failed items exceed the tolerated count, or the tolerated percentage of ``total``.

    Callers decide what a Map with neither threshold means: a run tolerates no failure,
    TestState reports no threshold to exceed.
    """
    if count is not None and failed > count:
        return True
    return percentage is not None and total > 0 and failed * 100 > percentage * total


def redrivable_child(child: ExecutionRecord, now: float) -> bool:
    """Whether a Map Run redrive can rerun ``child`` (an unsuccessful child execution).

    AWS ("Child workflow execution redrive behavior"): EXPRESS children "can always be
    redriven" (they are started again); a STANDARD child only while RedriveExecution
    would accept it ("when an execution exceeds 25,000 history events, or its
    redrivable period of 14 days has expired", it is not attempted again).
    """
    return child.machine_type == "EXPRESS" or not_redrivable_reason(child, now) is None
