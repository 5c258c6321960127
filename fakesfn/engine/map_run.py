"""Map Runs: the record a Distributed Map keeps while its child executions run.

A Map Run is what ``DescribeMapRun``, ``ListMapRuns`` and ``UpdateMapRun`` read
and change. The engine creates one per Distributed Map state entry and keeps it
in the backend's runtime (``runtime.hooks``), so the service layer can find it
without the engine knowing about the service layer.

AWS counts progress twice: per child execution (``executionCounts``) and per
item (``itemCounts``); they differ only when an ``ItemBatcher`` puts several
items into one child execution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable

    from fakesfn.engine.runtime import Runtime

RUNNING: Final = "RUNNING"
SUCCEEDED: Final = "SUCCEEDED"
FAILED: Final = "FAILED"
ABORTED: Final = "ABORTED"

MAP_RUNS_HOOK: Final = "map_runs"
"""Key of the backend's :class:`MapRuns` in ``runtime.hooks``."""

_CHILD_STATUS_FIELDS: Final = {
    "SUCCEEDED": "succeeded",
    "FAILED": "failed",
    "TIMED_OUT": "timed_out",
    "ABORTED": "aborted",
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

    def start(self, amount: int) -> None:
        """``amount`` units left pending for running."""
        self.pending -= amount
        self.running += amount

    def finish(self, status: str, amount: int) -> None:
        """``amount`` running units ended with a child execution's terminal ``status``."""
        self.running -= amount
        name = _CHILD_STATUS_FIELDS[status]
        setattr(self, name, getattr(self, name) + amount)

    def wire(self) -> dict[str, int]:
        """The ``MapRunExecutionCounts`` / ``MapRunItemCounts`` shape.

        ``failuresNotRedrivable`` and ``pendingRedrive`` count redrive work; a run
        that was never redriven has none of either.
        """
        return {
            "pending": self.pending,
            "running": self.running,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "timedOut": self.timed_out,
            "aborted": self.aborted,
            "total": self.total,
            "resultsWritten": self.results_written,
            "failuresNotRedrivable": 0,
            "pendingRedrive": 0,
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

    @property
    def run_id(self) -> str:
        """The UUID that ends the ARN (AWS names the ResultWriter folder after it)."""
        return self.arn.rsplit(":", 1)[1]

    def stop(self, status: str, when: float) -> None:
        """The run ended with ``status`` at ``when``."""
        self.status = status
        self.stop_date = when
        self.on_update = None

    def update(self, changes: dict[str, Any]) -> None:
        """Apply ``UpdateMapRun``: new concurrency and thresholds take effect at once."""
        for name, value in changes.items():
            setattr(self, name, value)
        if self.status == RUNNING and self.on_update is not None:
            self.on_update()

    def describe(self) -> dict[str, Any]:
        """The ``DescribeMapRun`` reply (timestamps as epoch seconds)."""
        reply: dict[str, Any] = {
            "mapRunArn": self.arn,
            "executionArn": self.execution_arn,
            "status": self.status,
            "startDate": self.start_date,
            "maxConcurrency": self.max_concurrency,
            "toleratedFailurePercentage": self.tolerated_failure_percentage or 0.0,
            "toleratedFailureCount": self.tolerated_failure_count or 0,
            "itemCounts": self.items.wire(),
            "executionCounts": self.executions.wire(),
            "redriveCount": 0,
        }
        # Measured on AWS by floci (PR #2694): a RUNNING run has no stopDate key.
        if self.stop_date is not None:
            reply["stopDate"] = self.stop_date
        return reply

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


def map_runs_of(runtime: Runtime) -> MapRuns:
    """The backend's Map Runs (created on first use)."""
    runs: MapRuns | None = runtime.hooks.get(MAP_RUNS_HOOK)
    if runs is None:
        runs = runtime.hooks[MAP_RUNS_HOOK] = MapRuns()
    return runs
