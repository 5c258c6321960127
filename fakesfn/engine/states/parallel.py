"""The Parallel state: run every branch on the same input, collect their outputs in order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.context import Env, states_binding
from fakesfn.asl.nodes import JSONATA, ParallelState
from fakesfn.engine.io import process_input
from fakesfn.engine.join import join_all, outcomes
from fakesfn.engine.redrive import Finished, Resume
from fakesfn.engine.runtime import FiberAborted
from fakesfn.engine.states.common import finish

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.outcome import Outcome
    from fakesfn.engine.runtime import Fiber
    from fakesfn.engine.signals import Signal


def run_parallel(run: StateRun[ParallelState], raw_input: Any) -> Generator[Signal, Any, Outcome]:
    """Branches start in definition order; the first failure aborts the rest.

    AWS links each branch's first event to ``ParallelStateStarted``; once all are
    done the state continues after the newest event of any branch.
    """
    state = run.state
    env = run.env
    if state.query_language == JSONATA:
        binding = states_binding(env, raw_input)
        effective = (
            state.arguments.evaluate(binding, env, "Arguments") if state.arguments is not None else raw_input
        )
    else:
        effective = process_input(state, raw_input, env)
    fiber = run.fiber
    runtime = run.runtime
    started = fiber.emit("ParallelStateStarted")
    prior, fiber.resume_in, fiber.resume_out = fiber.resume_in or {}, None, None
    children: dict[int, Fiber] = {}
    results: list[Any] = [None] * len(state.branches)
    for index, branch in enumerate(state.branches):
        done = prior.get(index)
        if isinstance(done, Finished):
            # A redrive keeps the branches that already succeeded.
            results[index] = done.output
            continue
        child = runtime.new_fiber(fiber.execution, started)
        child.role = "branch"
        child_env = Env(dict(env.context), env.variables.child(), env.random)
        resume = done if isinstance(done, Resume) else None
        child.start(run.run_machine(child, branch, effective, child_env, resume=resume))
        children[index] = child
    fiber.children = list(children.values())
    try:
        results = yield join_all(children, results)
    except BaseException:
        fiber.last_event = _failed_cursor(list(children.values()), fiber.execution.history.last_id)
        fiber.resume_out = outcomes(children, prior)
        raise
    finally:
        fiber.children = []
    fiber.last_event = fiber.execution.history.last_id
    fiber.emit_aside("ParallelStateSucceeded")
    return finish(run, raw_input, results)


def _failed_cursor(children: list[Any], default: int) -> int:
    """AWS continues after the failing branch's last event."""
    for child in children:
        error = child.done.error
        if error is not None and not isinstance(error, FiberAborted):
            return int(child.last_event)
    return default
