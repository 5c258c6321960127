"""The Fail state: end the (sub-)machine with an error and a cause."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.context import states_binding
from fakesfn.asl.errors import StateFieldError, StatesError

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.asl.nodes import FailState
    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.outcome import Outcome
    from fakesfn.engine.signals import Signal


def run_fail(run: StateRun[FailState], raw_input: Any) -> Generator[Signal, Any, Outcome]:
    """Raise the state's error; ErrorPath/CausePath read the raw input."""
    state = run.state
    error = _field(run, raw_input, state.error, state.error_path, state.error_expression, "ErrorPath")
    cause = _field(run, raw_input, state.cause, state.cause_path, state.cause_expression, "CausePath")
    raise StatesError(error if error is not None else "", cause)
    yield  # type: ignore[unreachable]  # pragma: no cover - makes this a generator


def _field(
    run: StateRun[FailState], raw_input: Any, literal: str | None, path: Any, expression: Any, name: str
) -> str | None:
    if literal is not None:
        return literal
    if expression is not None:
        return str(expression.evaluate_as(states_binding(run.env, raw_input), run.env, name[:-4], "string"))
    if path is not None:
        value = path.evaluate(raw_input, run.env)
    else:
        return None
    if not isinstance(value, str):
        raise StateFieldError(f"The {name} field must resolve to a string, but resolved to: {value!r}")
    return value
