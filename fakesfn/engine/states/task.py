"""The Task state: run the resource's integration between input and output processing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.context import states_binding
from fakesfn.asl.errors import ErrorName, StateFieldError, StatesError
from fakesfn.asl.nodes import JSONATA, TaskState
from fakesfn.asl.paths import MISSING, Path
from fakesfn.asl.resources import parse_resource
from fakesfn.engine.io import invalid_path, process_input, select
from fakesfn.engine.states.common import finish
from fakesfn.engine.tasks import TaskCall, prepare_task_context
from fakesfn.payload import dump

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.outcome import Outcome
    from fakesfn.engine.signals import Signal


def run_task_state(run: StateRun[TaskState], raw_input: Any) -> Generator[Signal, Any, Outcome]:
    """Effective input -> integration -> result processing."""
    state = run.state
    env = run.env
    resource = parse_resource(state.resource)
    assert resource is not None, "the parser refuses unknown resources"
    prepare_task_context(run, resource)
    if state.query_language == JSONATA:
        binding = states_binding(env, raw_input)
        parameters = (
            state.arguments.evaluate(binding, env, "Arguments") if state.arguments is not None else raw_input
        )
        timeout = _jsonata_seconds(state.timeout_expression, binding, env, "TimeoutSeconds")
        heartbeat = _jsonata_seconds(state.heartbeat_expression, binding, env, "HeartbeatSeconds")
    else:
        selected = select(state.input_path, raw_input, env)
        timeout = _seconds(state.timeout_seconds, state.timeout_seconds_path, selected, env)
        heartbeat = _seconds(state.heartbeat_seconds, state.heartbeat_seconds_path, selected, env)
        parameters = process_input(state, raw_input, env)
    runner = run.runtime.tasks
    if runner is None:
        raise StatesError(
            ErrorName.RUNTIME.value, f"fakesfn: this runtime runs no tasks ('{state.resource}')"
        )
    result = yield from runner.run_task(TaskCall(run, resource, parameters, timeout, heartbeat))
    return finish(run, raw_input, result)


def _seconds(literal: int | None, path: Path | None, value: Any, env: Any) -> int | None:
    if literal is not None:
        return literal
    if path is None:
        return None
    found = path.find(value, env)
    if found is MISSING:
        raise invalid_path(path, value, env)
    if isinstance(found, bool) or not isinstance(found, int) or found <= 0:
        raise StateFieldError(f"The value of the field '{path.text}' must be a positive integer: {found}")
    return found


def _jsonata_seconds(expression: Any, binding: dict[str, Any], env: Any, field: str) -> int | None:
    if expression is None:
        return None
    value = expression.evaluate_as(binding, env, field, "integer")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise StateFieldError(
            f"The JSONata expression specified for the field '{field}' must evaluate to a positive integer, "
            f"but was: {dump(value)}",
            ErrorName.QUERY_EVALUATION_ERROR.value,
            field,
        )
    return value
