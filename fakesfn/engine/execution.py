"""One execution: its record (what describe/list/history read), its deadline and how it ends.

Runtime state lives here, never on the parsed definition: status, dates,
output, error, the history, and the root fiber that walks the machine. Starting
and redriving an execution walk its machine, so they live in
:mod:`fakesfn.engine.lifecycle`, above the interpreter; ending one (success,
failure, stop, timeout, a full history) needs no interpreter and lives here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import StatesError
from fakesfn.engine.runtime import CallerError, FiberAborted
from fakesfn.engine.signals import Signal, Waiter
from fakesfn.engine.timestamps import format_timestamp
from fakesfn.payload import dump, payload_details

if TYPE_CHECKING:
    from fakesfn.asl.nodes import StateMachine
    from fakesfn.clock import Timer
    from fakesfn.engine.history import History
    from fakesfn.engine.redrive import Resume
    from fakesfn.engine.runtime import Fiber, Runtime

INTERNAL_ERROR_PREFIX: Final = "fakesfn internal error (please report it): "
"""How the cause of an execution failed by a bug of the fake begins."""

RUNNING = "RUNNING"
SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
TIMED_OUT = "TIMED_OUT"
ABORTED = "ABORTED"
PENDING_REDRIVE = "PENDING_REDRIVE"
TERMINAL = frozenset({SUCCEEDED, FAILED, TIMED_OUT, ABORTED})


@dataclass(eq=False, slots=True)
class ExecutionRecord:
    """An execution and everything API calls report about it.

    Slotted: a Distributed Map keeps one per child, 100,000 of them for a large Map Run.
    What only a running execution needs (its fiber, its deadline, its stepping gates)
    is let go when it ends (see :func:`_complete`).
    """

    arn: str
    name: str
    state_machine_arn: str
    machine: StateMachine
    definition_text: str
    role_arn: str
    machine_type: str
    input_text: str
    input: Any
    start_date: float
    history: History
    state_machine_name: str = ""
    version_arn: str | None = None
    alias_arn: str | None = None
    map_run_arn: str | None = None
    map_run_label: str | None = None
    """A Map Run child's label (DescribeStateMachineForExecution's ``label``)."""
    map_run_item_count: int | None = None
    """How many items a Map Run child processes (ListExecutions' ``itemCount``)."""
    trace_header: str | None = None
    status: str = RUNNING
    stop_date: float | None = None
    output_text: str | None = None
    error: str | None = None
    cause: str | None = None
    redrive_count: int = 0
    redrive_date: float | None = None
    parent: str | None = None
    fiber: Fiber | None = None
    completion: Signal | None = field(default_factory=Signal)
    """Resolved with the execution when it ends, and let go then: use :meth:`when_done`."""
    timeout_timer: Timer | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    resume: Resume | None = None
    stepping: bool = False
    gates: list[tuple[Signal, str]] | None = None
    """Stepping mode: the signals the execution's fibers wait on before entering a state (oldest first)."""

    def overflow(self, runtime: Runtime, *, busy: bool = False) -> None:
        """The history takes no more events: end as AWS ends the execution.

        AWS (measured): event 25,000 is the ``ExecutionFailed`` itself, with
        ``States.Runtime`` and "The execution reached the maximum number of history
        events (25000)."; nothing else runs. A ``busy`` Express execution (see
        :data:`~fakesfn.engine.history.EXPRESS_EVENTS_PER_INSTANT`) stops running and
        times out at its deadline, as a loop that never waits does on AWS.
        """
        if self.done:
            return
        if self.fiber is not None:
            self.fiber.abort(quiet=True)
        if busy:
            _deadline_in_foreground(runtime, self)
            return
        self.fiber = None
        _complete(
            runtime,
            self,
            FAILED,
            error="States.Runtime",
            cause=f"The execution reached the maximum number of history events ({self.history.limit}).",
        )

    def crash(self, runtime: Runtime, error: BaseException) -> None:
        """An exception that is no execution failure ended a fiber: fail instead of staying RUNNING.

        A bug of the fake, or a :class:`~fakesfn.engine.runtime.CallerError` (which
        then escapes the API call). No AWS behaviour corresponds; the cause names the
        Python exception so that the bug can be reported.
        """
        if self.done:
            return
        if self.fiber is not None:
            self.fiber.abort(quiet=True)
        _complete(
            runtime,
            self,
            FAILED,
            error="States.Runtime",
            cause=f"{INTERNAL_ERROR_PREFIX}{type(error).__name__}: {str(error)[:500]}",
        )

    def when_done(self, waiter: Waiter) -> None:
        """Call ``waiter`` with a signal resolved with this execution once it ends (at once if it has).

        An ended execution holds no signal of its own (a Map Run keeps 100,000 ended
        children): a late waiter gets a fresh, resolved one.
        """
        signal = self.completion
        if signal is None:
            signal = Signal()
            signal.resolve(self)
        signal.add_waiter(waiter)

    def add_gate(self, gate: Signal, state_name: str) -> None:
        """Stepping mode: a fiber waits on ``gate`` before entering ``state_name``."""
        if self.gates is None:
            self.gates = []
        self.gates.append((gate, state_name))

    @property
    def done(self) -> bool:
        """Whether the execution has reached a terminal status."""
        return self.status in TERMINAL

    def context_execution(self) -> dict[str, Any]:
        """The ``Execution`` part of the Context object."""
        return {
            "Id": self.arn,
            "Input": self.input,
            "StartTime": format_timestamp(self.start_date),
            "Name": self.name,
            "RoleArn": self.role_arn,
            "RedriveCount": self.redrive_count,
        }

    def base_context(self) -> dict[str, Any]:
        """The Context object before any state is entered."""
        return {
            "Execution": self.context_execution(),
            "StateMachine": {"Id": self.state_machine_arn, "Name": self.state_machine_name},
        }


def finish_on(runtime: Runtime, execution: ExecutionRecord, fiber: Fiber) -> None:
    """End ``execution`` when its root ``fiber`` ends."""
    fiber.done.add_waiter(functools.partial(_finish, runtime, execution))


MAX_STANDARD_SECONDS: Final = 365 * 24 * 3600
"""AWS: a Standard execution runs at most one year, then fails with States.Timeout."""

MAX_EXPRESS_SECONDS: Final = 5 * 60
"""AWS: an Express execution runs at most five minutes."""


def arm_timeout(runtime: Runtime, execution: ExecutionRecord) -> None:
    """Start the execution's deadline on the virtual clock.

    The machine's own TimeoutSeconds if it has one within AWS's maximum duration;
    otherwise the maximum duration itself, as a backstop timer that bounds every
    execution (no timer can push virtual time past it) without making ``settle()``
    jump a year ahead.
    """
    limit = MAX_EXPRESS_SECONDS if execution.machine_type == "EXPRESS" else MAX_STANDARD_SECONDS
    declared = execution.machine.timeout_seconds
    backstop = not declared or declared > limit
    seconds = float(limit if backstop or declared is None else declared)
    execution.timeout_timer = runtime.call_later(
        seconds, functools.partial(time_out, runtime, execution), backstop=backstop
    )


def _finish(runtime: Runtime, execution: ExecutionRecord, signal: Signal) -> None:
    if execution.done:
        return
    error = signal.error
    if error is None:
        _complete(runtime, execution, SUCCEEDED, output=signal.value)
    elif isinstance(error, StatesError):
        execution.resume = execution.fiber.resume if execution.fiber is not None else None
        _complete(runtime, execution, FAILED, error=error.error, cause=error.cause)
    elif isinstance(error, FiberAborted):
        return
    else:
        execution.crash(runtime, error)
        if isinstance(error, CallerError):
            raise error


def _complete(
    runtime: Runtime,
    execution: ExecutionRecord,
    status: str,
    *,
    output: Any = None,
    error: str | None = None,
    cause: str | None = None,
) -> None:
    fiber = execution.fiber
    previous = fiber.last_event if fiber is not None else execution.history.last_id
    if status == ABORTED:
        # A stop comes from outside the execution: AWS records ExecutionAborted after no event
        # (recorded: test_stop_execution, stopped in a Wait: previousEventId 0).
        previous = 0
    execution.status = status
    execution.stop_date = runtime.clock.time()
    if execution.timeout_timer is not None:
        execution.timeout_timer.cancel()
    _release(execution)
    if status == SUCCEEDED:
        # The root fiber's last state output is usually the execution's: serialised once.
        cached = fiber.last_output if fiber is not None else None
        text = cached[1] if cached is not None and cached[0] is output else dump(output)
        execution.output_text = text
        execution.history.add_final(
            "ExecutionSucceeded", previous, "executionSucceededEventDetails", payload_details("output", text)
        )
    else:
        error = error or None
        execution.error, execution.cause = error, cause
        details: dict[str, Any] = {}
        if error is not None:
            details["error"] = error
        if cause is not None:
            details["cause"] = cause
        event_type, key = _TERMINAL_EVENTS[status]
        execution.history.add_final(event_type, previous, key, details)
    completion, execution.completion = execution.completion, None
    if completion is not None:
        completion.resolve(execution)


def _release(execution: ExecutionRecord) -> None:
    """Let go of what only a running execution needs, so an ended one costs little to keep.

    The fiber (and through it the generator frames and the last state output), the
    deadline timer and the stepping gates. A redrive builds new ones; its starting
    point is ``execution.resume``, which is kept.
    """
    execution.fiber = None
    execution.timeout_timer = None
    execution.gates = None


_TERMINAL_EVENTS = {
    FAILED: ("ExecutionFailed", "executionFailedEventDetails"),
    TIMED_OUT: ("ExecutionTimedOut", "executionTimedOutEventDetails"),
    ABORTED: ("ExecutionAborted", "executionAbortedEventDetails"),
}


def _deadline_in_foreground(runtime: Runtime, execution: ExecutionRecord) -> None:
    """Make the execution's deadline a timer ``settle()`` waits for (it is all that is left)."""
    timer = execution.timeout_timer
    if timer is None or not timer.backstop:
        return
    timer.cancel()
    execution.timeout_timer = runtime.call_later(
        timer.due - runtime.clock.time(), lambda: time_out(runtime, execution)
    )


def stop(runtime: Runtime, execution: ExecutionRecord, error: str | None, cause: str | None) -> None:
    """Abort a running execution (``stop_execution``): unwind its fibers, record the end."""
    if execution.done:
        return
    if execution.fiber is not None:
        execution.fiber.abort(quiet=True)
        execution.resume = execution.fiber.resume
    _complete(runtime, execution, ABORTED, error=error, cause=cause)


def time_out(runtime: Runtime, execution: ExecutionRecord) -> None:
    """The machine's ``TimeoutSeconds`` elapsed: unwind and record ``ExecutionTimedOut``."""
    if execution.done:
        return
    if execution.fiber is not None:
        execution.fiber.abort(quiet=True)
        execution.resume = execution.fiber.resume
    _complete(runtime, execution, TIMED_OUT, error="States.Timeout")
    runtime.run()
