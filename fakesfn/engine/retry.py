"""Retry, then Catch: what happens when a state's body fails.

AWS: the first Retrier whose ErrorEquals matches decides; if it still has
attempts, the state's body runs again after IntervalSeconds x BackoffRate^n
(capped by MaxDelaySeconds, optionally fully jittered from the seeded RNG).
Once retries are exhausted, or none matched, the first matching Catcher turns
the error into the state's output and names the next state. Otherwise the
error fails the fiber.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.context import states_binding
from fakesfn.asl.errors import StateFieldError, StatesError, error_matches
from fakesfn.asl.nodes import JSONATA
from fakesfn.engine.io import apply_result_path
from fakesfn.engine.outcome import Outcome

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.asl.nodes import Catcher, Retrier, State
    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.signals import Signal


class Retrying:
    """Marker: the body must run again (the backoff has already been waited)."""


RETRYING = Retrying()


def _own_runtime_error(run: StateRun[State], error: StatesError) -> bool:
    """Whether the state's own field evaluation raised ``States.Runtime``.

    AWS records no ``<Type>StateFailed`` then (recorded:
    test_map_state_tolerated_failure_percentage_path_*).
    """
    return error.error == "States.Runtime" and error.raised_by_field


_LONGEST_DELAY: Final = 10.0**10
"""Beyond any execution's lifetime: a longer backoff can only end in its timeout."""


def backoff_seconds(retrier: Retrier, attempt: int, random: Any) -> float:
    """The wait before retry number ``attempt`` (0-based), per AWS's formula."""
    try:
        delay = retrier.interval_seconds * (retrier.backoff_rate**attempt)
    except OverflowError:
        delay = _LONGEST_DELAY
    delay = min(delay, _LONGEST_DELAY)
    if retrier.max_delay_seconds is not None:
        delay = min(delay, retrier.max_delay_seconds)
    if retrier.jitter_strategy == "FULL":
        delay = random.uniform(0, delay)
    return float(delay)


def handle_failure(
    run: StateRun[State], raw_input: Any, error: StatesError
) -> Generator[Signal, Any, Retrying | Outcome]:
    """Retry the state, or catch the error into an Outcome, or re-raise it."""
    state = run.state
    observer = run.runtime.observer
    retry = _retry(run, error)
    if retry is not None:
        index, delay = retry
        if observer is not None:
            observer.retried(run.execution, run.machine, state, index)
        yield run.runtime.sleep(delay)
        return RETRYING
    if state.RECORDS_FAILED and not _own_runtime_error(run, error):
        run.fiber.emit(f"{state.type}StateFailed")
    for index, catcher in enumerate(state.catch):
        if error_matches(catcher.error_equals, error):
            if observer is not None:
                observer.caught(run.execution, run.machine, state, index)
            return _caught(run, raw_input, error, catcher)
    raise error


def _retry(run: StateRun[State], error: StatesError) -> tuple[int, float] | None:
    """The first matching Retrier's index and backoff when it has attempts left (counted), else ``None``.

    AWS: only the first Retrier whose ErrorEquals matches decides, even when its
    attempts are used up.
    """
    for index, retrier in enumerate(run.state.retry):
        if not error_matches(retrier.error_equals, error):
            continue
        used = run.attempts.get(index, 0)
        if used >= retrier.max_attempts:
            return None
        run.attempts[index] = used + 1
        run.retry_count += 1
        return index, backoff_seconds(retrier, used, run.runtime.random)
    return None


def _caught(run: StateRun[State], raw_input: Any, error: StatesError, catcher: Catcher) -> Outcome:
    error_output: dict[str, Any] = error.error_output()
    env = run.env
    try:
        if run.state.query_language == JSONATA:
            binding = states_binding(env, raw_input, errorOutput=error_output)
            output = (
                catcher.output.evaluate(binding, env, "Output")
                if catcher.output is not None
                else error_output
            )
            assigned = catcher.assign.evaluate(binding, env, "Assign") if catcher.assign is not None else None
        else:
            output = apply_result_path(catcher.result_path, raw_input, error_output)
            assigned = catcher.assign.evaluate(error_output, env) if catcher.assign is not None else None
    except StateFieldError as field_error:
        raise run.field_error(field_error) from None
    return Outcome(catcher.next, output, assigned)
