"""Starting and redriving executions: where an execution's root fiber begins to walk its machine.

Both record their first event (``ExecutionStarted``, ``ExecutionRedriven``), arm the
execution's deadline and start a root fiber on :func:`~fakesfn.engine.interpreter.run_machine`.
They sit above the interpreter; how an execution *ends* needs no interpreter and lives
in :mod:`fakesfn.engine.execution`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.context import Env, Variables
from fakesfn.engine.execution import RUNNING, arm_timeout, finish_on
from fakesfn.engine.interpreter import run_machine
from fakesfn.engine.signals import Signal
from fakesfn.payload import payload_details

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.runtime import Fiber, Runtime


def start(runtime: Runtime, execution: ExecutionRecord) -> None:
    """Record ``ExecutionStarted`` and set the root fiber running (at the runtime's next turn)."""
    execution.stepping = execution.stepping or runtime.stepping_new
    if execution.stepping:
        # Stepping shows each transition's events: even an Express execution keeps them.
        execution.history.keep_events()
    execution.history.add(
        "ExecutionStarted",
        0,
        "executionStartedEventDetails",
        {**payload_details("input", execution.input_text), "roleArn": execution.role_arn},
    )
    fiber = runtime.new_fiber(execution, 0)
    execution.fiber = fiber
    if execution.map_run_arn is not None:
        # A Map Run child's input text is the fake's own serialisation of its input:
        # the first state's recorded input as it is (a user's text may be spaced otherwise).
        fiber.last_output = (execution.input, execution.input_text)
    finish_on(runtime, execution, fiber)
    arm_timeout(runtime, execution)
    fiber.start(_root(runtime, execution, fiber))


def _root(runtime: Runtime, execution: ExecutionRecord, fiber: Fiber) -> Generator[Signal, Any, Any]:
    """The root fiber's body, from StartAt; the Context object is made when it first runs.

    A Map Run starts up to 10,000 children at one instant, and each waits for its turn:
    holding only this unstarted generator meanwhile, not its environment as well.
    """
    env = Env(execution.base_context(), Variables(), runtime.random)
    return (yield from run_machine(runtime, fiber, execution.machine, execution.input, env))


def redrive(runtime: Runtime, execution: ExecutionRecord) -> None:
    """Record ``ExecutionRedriven`` and continue the execution from its resume point."""
    resume = execution.resume
    assert resume is not None, "only a redrivable execution is redriven"
    execution.redrive_count += 1
    execution.redrive_date = runtime.clock.time()
    execution.status = RUNNING
    execution.stop_date = None
    execution.error = execution.cause = execution.output_text = None
    execution.resume = None
    # The redriven attempt completes again: whoever waits on it (a Map Run) waits anew.
    execution.completion = Signal()
    event = execution.history.add(
        "ExecutionRedriven",
        execution.history.last_id,
        "executionRedrivenEventDetails",
        {"redriveCount": execution.redrive_count},
    )
    fiber = runtime.new_fiber(execution, event)
    execution.fiber = fiber
    finish_on(runtime, execution, fiber)
    arm_timeout(runtime, execution)
    fiber.start(run_machine(runtime, fiber, execution.machine, resume.input, resume.env, resume=resume))
