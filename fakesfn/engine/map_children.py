"""A Map Run's child executions: started in index order, watched against the failure threshold.

Each child is an ordinary execution of the Map's item processor, run on the same
runtime as its parent, so its waits interleave with everything else on the
virtual clock. Children are started (and redriven) by the runtime's
:class:`~fakesfn.engine.ports.ExecutionHost`, which keeps them so that
``DescribeExecution``, ``GetExecutionHistory`` and ``ListExecutions(mapRunArn=...)``
find them.

A redriven Map Run reruns its unsuccessful children: STANDARD ones through the
engine's redrive (same execution, from the state that failed), EXPRESS ones by
starting them again under the same ARN.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from fakesfn import arns
from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.engine import execution as executions
from fakesfn.engine.execution import PENDING_REDRIVE
from fakesfn.engine.history import History
from fakesfn.engine.map_run import UNSUCCESSFUL, redrivable_child, threshold_exceeded
from fakesfn.engine.signals import Signal
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.asl.nodes import MapState
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.map_run import MapRun
    from fakesfn.engine.ports import ExecutionHost
    from fakesfn.engine.result_writer import Unit

DEFAULT_CONCURRENCY: Final = 10_000
"""AWS: without MaxConcurrency, up to 10,000 child executions run in parallel."""

THRESHOLD_EXCEEDED: Final = "The specified tolerated failure threshold was exceeded"
"""Cause of ``States.ExceedToleratedFailureThreshold`` (house wording: not in the recordings)."""


class ChildRunner:
    """Starts the children within the concurrency limit and watches the failure threshold.

    On a Map Run redrive the units already carry their executions: succeeded ones are
    kept, unsuccessful ones wait to be rerun (``PENDING_REDRIVE``) unless they can no
    longer be redriven, in which case they count as failures from the start.
    """

    def __init__(self, run: StateRun[MapState], state: MapState, map_run: MapRun) -> None:
        assert map_run.units is not None
        self.run = run
        self.state = state
        self.map_run = map_run
        self.template = child_template(run, state, map_run)
        self.queue: list[Unit] = []
        self.next_index = 0
        # Running units by index, in start order (a dict: a child ending is removed at once).
        self.running: dict[int, Unit] = {}
        self.remaining = 0
        self.failed_items = 0
        self.finished = False
        self.joined = Signal()
        # Units waiting to be redriven, with the status each child had before.
        self.held: dict[int, str] = {}
        now = run.runtime.clock.time()
        for unit in map_run.units:
            self._sort(unit, now)
        map_run.recount(self.held)

    def _sort(self, unit: Unit, now: float) -> None:
        """Queue, watch, keep or count one unit as this attempt starts."""
        child = unit.execution
        if child is None:
            self._enqueue(unit)
        elif child.status == "RUNNING":
            # Redriven on its own (RedriveExecution on the child) and still running.
            self.remaining += 1
            self.running[unit.index] = unit
            child.when_done(functools.partial(self._done, unit))
        elif child.status not in UNSUCCESSFUL:
            return
        elif redrivable_child(child, now):
            self.held[unit.index] = child.status
            if child.machine_type == "STANDARD":
                # AWS: children waiting for the redriven Map Run's concurrency are
                # listed as PENDING_REDRIVE (ListExecutions statusFilter with mapRunArn).
                child.status = PENDING_REDRIVE
            self._enqueue(unit)
        else:
            # AWS: a child that can't be redriven "won't be attempted again. The last
            # error or output of the execution is permanent", and counts as failed.
            self.failed_items += unit.size

    def _enqueue(self, unit: Unit) -> None:
        self.queue.append(unit)
        self.remaining += 1

    def start(self) -> Signal:
        """A signal resolved with ``None`` when every child ended, or with the threshold error.

        The error is delivered as the value, not raised: the Map Run writes its results
        (PENDING ones included) before the state fails with it.
        """
        self.joined.on_cancel.append(self.stop_children)
        self.map_run.on_update = self._updated
        self._proceed()
        return self.joined

    def _proceed(self) -> None:
        """End the run (threshold passed, or every child done) or start more children."""
        if self._exceeded():
            self._end(_threshold_error())
        elif self.remaining == 0:
            self._end(None)
        else:
            self._fill()

    def _limit(self) -> int:
        return self.map_run.max_concurrency or DEFAULT_CONCURRENCY

    def _fill(self) -> None:
        while not self.finished and len(self.running) < self._limit() and self.next_index < len(self.queue):
            unit = self.queue[self.next_index]
            self.next_index += 1
            self.running[unit.index] = unit
            redriven = self.held.pop(unit.index, None) is not None
            self.map_run.executions.start(1, redriven=redriven)
            self.map_run.items.start(unit.size, redriven=redriven)
            child = self._launch(unit)
            unit.execution = child
            child.when_done(functools.partial(self._done, unit))

    def _launch(self, unit: Unit) -> ExecutionRecord:
        """A new child, a STANDARD child redriven, or an EXPRESS child started again.

        AWS: unsuccessful STANDARD children "are redriven using the RedriveExecution
        API action ... from the last state in ItemProcessor that resulted in their
        unsuccessful execution"; EXPRESS ones "are started using the StartExecution
        API action. The first state in ItemProcessor is run first", and "use the same
        execution ARN as the original execution attempt".
        """
        previous = unit.execution
        if previous is None or previous.machine_type == "EXPRESS":
            return launch_child(self.run, self.state, self.map_run, unit, previous, self.template)
        host(self.run).redrive_execution(previous)
        return previous

    def _done(self, unit: Unit, _signal: Signal) -> None:
        child = unit.execution
        assert child is not None
        del self.running[unit.index]
        self.map_run.executions.finish(child.status, 1)
        self.map_run.items.finish(child.status, unit.size)
        self.remaining -= 1
        if self.finished:
            return
        if child.status in UNSUCCESSFUL:
            self.failed_items += unit.size
        self._proceed()

    def _exceeded(self) -> bool:
        """AWS: the Map Run fails once failed items exceed the count or the percentage.

        Without either threshold no failure is tolerated; with only one, only that one applies.
        """
        failed = self.failed_items
        if failed == 0:
            return False
        percentage = self.map_run.tolerated_failure_percentage
        count = self.map_run.tolerated_failure_count
        if percentage is None and count is None:
            return True
        return threshold_exceeded(failed, self.map_run.items.total, count, percentage)

    def _updated(self) -> None:
        """UpdateMapRun: a new concurrency starts more children; a new threshold may end the run."""
        if self.finished:
            return
        if self._exceeded():
            self._end(_threshold_error())
        else:
            self._fill()

    def _end(self, failure: StatesError | None) -> None:
        if failure is not None:
            self.stop_children()
        self.finished = True
        self.map_run.on_update = None
        self.run.runtime.fire(self.joined, failure)

    def stop_children(self) -> None:
        """Abort every running child (the Map Run failed, or the parent stopped)."""
        self.finished = True
        self._release_held()
        runtime = self.run.runtime
        for unit in list(self.running.values()):
            if unit.execution is not None:
                executions.stop(runtime, unit.execution, None, None)

    def _release_held(self) -> None:
        """Children never rerun keep the outcome they had (and may be redriven later)."""
        assert self.map_run.units is not None
        for unit in self.map_run.units:
            status = self.held.pop(unit.index, None)
            if status is None or unit.execution is None:
                continue
            unit.execution.status = status
            self.map_run.executions.release(status, 1)
            self.map_run.items.release(status, unit.size)


def _threshold_error() -> StatesError:
    return StatesError(ErrorName.EXCEED_TOLERATED_FAILURE_THRESHOLD.value, THRESHOLD_EXCEEDED)


@dataclass(frozen=True, slots=True)
class ChildTemplate:
    """What every child execution of one Map Run shares, worked out once per run.

    A Map Run may start 100,000 children: their definition text, machine name, role
    and ARN prefix are the same strings for all of them (shared, not copied).
    """

    state_machine_arn: str
    state_machine_name: str
    definition_text: str
    role_arn: str
    machine_type: str
    arn_prefix: str
    """The child ARNs' common start: ``...:execution:<machine>/<label>:`` (``express`` for EXPRESS)."""


def child_template(run: StateRun[MapState], state: MapState, map_run: MapRun) -> ChildTemplate:
    """The shared part of ``map_run``'s children."""
    processor = state.processor
    assert processor is not None
    machine_type = "EXPRESS" if state.execution_type == "EXPRESS" else "STANDARD"
    machine_arn = map_run.state_machine_arn
    return ChildTemplate(
        state_machine_arn=machine_arn,
        state_machine_name=arns.parse_state_machine_arn(machine_arn, allow_qualifier=True).labelled_name,
        definition_text=dump(processor.raw),
        role_arn=run.execution.role_arn,
        machine_type=machine_type,
        arn_prefix=arns.execution_arn_prefix(machine_arn, express=machine_type == "EXPRESS"),
    )


def launch_child(
    run: StateRun[MapState],
    state: MapState,
    map_run: MapRun,
    unit: Unit,
    previous: ExecutionRecord | None = None,
    template: ChildTemplate | None = None,
) -> ExecutionRecord:
    """Create, register and start one child execution of the item processor.

    The child carries what ListExecutions/DescribeStateMachineForExecution report for
    Map Run children: ``map_run_label`` and ``map_run_item_count`` (the items it processes).
    ``previous``: the EXPRESS child this one starts again, whose name and ARN it keeps.
    """
    runtime = run.runtime
    processor = state.processor
    assert processor is not None
    shared = template or child_template(run, state, map_run)
    if previous is not None:
        name, arn = previous.name, previous.arn
    else:
        name = runtime.random.uuid()
        arn = shared.arn_prefix + name
        if shared.machine_type == "EXPRESS":
            arn = f"{arn}:{runtime.random.uuid()}"
    value = unit.input
    child = executions.ExecutionRecord(
        arn=arn,
        name=name,
        state_machine_arn=shared.state_machine_arn,
        state_machine_name=shared.state_machine_name,
        machine=processor,
        definition_text=shared.definition_text,
        role_arn=shared.role_arn,
        machine_type=shared.machine_type,
        input_text=dump(value),
        input=value,
        start_date=runtime.clock.time(),
        history=History.of_type(runtime.clock, shared.machine_type),
        map_run_arn=map_run.arn,
        map_run_label=map_run.label,
        map_run_item_count=unit.size,
    )
    # AWS lists every child with ListExecutions(mapRunArn=...), and describes even
    # EXPRESS ones: "aren't supported by DescribeExecution unless a Map Run
    # dispatched them" (botocore's model documentation). The host keeps them all.
    host(run).start_execution(child)
    return child


def host(run: StateRun[MapState]) -> ExecutionHost:
    """The runtime's execution host, which starts and keeps a Map Run's children."""
    found = run.runtime.host
    if found is None:
        raise StatesError(
            ErrorName.RUNTIME.value, "fakesfn: this runtime has no execution host to run a Map Run's children"
        )
    return found
