"""The Wait state: pause on the virtual clock, then pass the input on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.context import states_binding
from fakesfn.asl.errors import ErrorName, StateFieldError
from fakesfn.asl.nodes import JSONATA, WaitState
from fakesfn.asl.paths import MISSING
from fakesfn.engine.io import select
from fakesfn.engine.outcome import Outcome
from fakesfn.engine.states.common import jsonata_passthrough
from fakesfn.engine.timestamps import parse_timestamp

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.signals import Signal

MAX_WAIT_SECONDS: Final = 2**31 - 1
"""The longest delay a running Wait accepts, about 68 years.

AWS's schema caps a literal ``Seconds`` at 99999999 (checked at create time); at
run time the limit is a signed 32-bit second count (recorded: a TimestampPath
24,855 days ahead waits, 24,856 days ahead fails with "Wait state delay is too
long.", test_timestamp_too_far_in_future_boundary_24855/24856)."""

_TOO_LONG: Final = "Wait state delay is too long."
_QUERY_EVALUATION_ERROR: Final = ErrorName.QUERY_EVALUATION_ERROR.value


def run_wait(run: StateRun[WaitState], raw_input: Any) -> Generator[Signal, Any, Outcome]:
    """Compute the delay from the one timing field, sleep, then output the input.

    AWS schedules the wait in a step after ``WaitStateEntered``: a JSONata evaluation
    that fails from here on is recorded after that event (``run.evaluation_link``).
    """
    run.evaluation_link = run.entered_event_id
    state = run.state
    env = run.env
    now = run.runtime.clock.time()
    if state.query_language == JSONATA:
        due = now + _jsonata_delay(run, state, raw_input, now)
        yield run.runtime.sleep_until(due)
        return jsonata_passthrough(run, raw_input)
    effective = select(state.input_path, raw_input, env)
    due = now + _jsonpath_delay(state, effective, env, now)
    yield run.runtime.sleep_until(due)
    output = select(state.output_path, effective, env)
    assigned = state.assign.evaluate(effective, env) if state.assign is not None else None
    return Outcome(state.next, output, assigned)


def _jsonpath_delay(state: WaitState, value: Any, env: Any, now: float) -> float:
    if state.seconds is not None:
        return _checked_seconds(state.seconds)
    if state.timestamp is not None:
        return _until(parse_timestamp(state.timestamp), now)
    if state.seconds_path is not None:
        seconds = state.seconds_path.find(value, env)
        if isinstance(seconds, float):
            # Recorded (test_base_wait_seconds_path[1.5] and [-1.5]).
            raise StateFieldError(
                "The SecondsPath parameter cannot be parsed as a long value: "
                f"{state.seconds_path.text} == {seconds!r}"
            )
        if seconds is MISSING or isinstance(seconds, bool) or not isinstance(seconds, int):
            raise StateFieldError(
                f"The SecondsPath parameter does not reference an input value: {state.seconds_path.text}"
            )
        if seconds < 0:
            raise StateFieldError(
                "The SecondsPath parameter references a negative value: "
                f"{state.seconds_path.text} == {seconds}"
            )
        return _checked_seconds(seconds)
    assert state.timestamp_path is not None
    text = state.timestamp_path.find(value, env)
    if text is MISSING:
        # Worded as SecondsPath's recorded message; never the sentinel's repr (an address).
        raise StateFieldError(
            f"The TimestampPath parameter does not reference an input value: {state.timestamp_path.text}"
        )
    parsed = parse_timestamp(text) if isinstance(text, str) else None
    if parsed is None:
        shown = text if isinstance(text, str) else text
        raise StateFieldError(
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
            f"format string: {state.timestamp_path.text} == {shown}"
        )
    return _until(parsed, now)


def _jsonata_delay(run: StateRun[WaitState], state: WaitState, raw_input: Any, now: float) -> float:
    binding = states_binding(run.env, raw_input)
    if state.seconds is not None:
        return _checked_seconds(state.seconds)
    if state.seconds_expression is not None:
        seconds = state.seconds_expression.evaluate_as(binding, run.env, "Seconds", "integer")
        if isinstance(seconds, bool) or not isinstance(seconds, int):
            # A literal that is not a number (an expression's type is checked above).
            raise StateFieldError(
                "The JSONata expression specified for the field 'Seconds' "
                f"returned an unexpected result type: {seconds!r}",
                _QUERY_EVALUATION_ERROR,
                "Seconds",
            )
        if seconds < 0:
            # House wording: AWS requires a non-negative number of seconds.
            raise StateFieldError(
                "The JSONata expression specified for the field 'Seconds' "
                f"returned a negative value: {seconds}",
                _QUERY_EVALUATION_ERROR,
                "Seconds",
            )
        return _checked_seconds(seconds)
    assert state.timestamp_expression is not None
    text = state.timestamp_expression.evaluate_as(binding, run.env, "Timestamp", "string")
    parsed = parse_timestamp(text) if isinstance(text, str) else None
    if parsed is None:
        # Recorded (LocalStack's test_wait_timestamp_jsonata[NO_T], [INVALID_DATE]...).
        raise StateFieldError(
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "
            f"{text}",
            _QUERY_EVALUATION_ERROR,
            "Timestamp",
        )
    return _until(parsed, now)


def _checked_seconds(seconds: int) -> float:
    if seconds > MAX_WAIT_SECONDS:
        raise StateFieldError(_TOO_LONG)
    return float(seconds)


def _until(due: float | None, now: float) -> float:
    assert due is not None
    delay = max(0.0, due - now)
    if delay > MAX_WAIT_SECONDS:
        raise StateFieldError(_TOO_LONG)
    return delay
