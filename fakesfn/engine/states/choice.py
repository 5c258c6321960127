"""The Choice state: the first matching rule names the next state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.context import states_binding
from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.asl.nodes import JSONATA, ChoiceJsonata, ChoiceState
from fakesfn.engine.io import select
from fakesfn.engine.outcome import Outcome

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.signals import Signal


def run_choice(run: StateRun[ChoiceState], raw_input: Any) -> Generator[Signal, Any, Outcome]:
    """AWS: rules are tried in order; no match and no Default is ``States.NoChoiceMatched``."""
    state = run.state
    if state.query_language == JSONATA:
        return _jsonata(run, state, raw_input)
    env = run.env
    effective = select(state.input_path, raw_input, env)
    target, assign = _first_match(run, state, effective)
    output = select(state.output_path, effective, env)
    assigned = assign.evaluate(effective, env) if assign is not None else None
    return Outcome(target, output, assigned)
    yield  # type: ignore[unreachable]  # pragma: no cover - makes this a generator


def _first_match(run: StateRun[ChoiceState], state: ChoiceState, value: Any) -> tuple[str, Any]:
    for index, rule in enumerate(state.choices):
        if rule.evaluate(value, run.env):  # type: ignore[union-attr]
            if run.runtime.observer is not None:
                _taken(run, index)
            return rule.next or "", getattr(rule, "assign", None) or state.assign
    if state.default is None:
        raise StatesError(ErrorName.NO_CHOICE_MATCHED.value, _no_match_cause(run))
    if run.runtime.observer is not None:
        _taken(run, None)
    return state.default, state.assign


def _taken(run: StateRun[ChoiceState], rule: int | None) -> None:
    """Tell the runtime's observer, if any, which rule (``None``: Default) the state took."""
    observer = run.runtime.observer
    if observer is not None:
        observer.choice_taken(run.execution, run.machine, run.state, rule)


def _no_match_cause(run: StateRun[ChoiceState]) -> str:
    return f"No Matches! at state '{run.state.name}' (entered at event id #{run.entered_event_id})"


def _jsonata(run: StateRun[ChoiceState], state: ChoiceState, raw_input: Any) -> Outcome:
    env = run.env
    binding = states_binding(env, raw_input)
    for index, rule in enumerate(state.choices):
        assert isinstance(rule, ChoiceJsonata)
        # AWS: a Condition must evaluate to a boolean; any other result fails the state.
        if rule.condition.evaluate_as(binding, env, "Condition", "boolean") is True:
            _taken(run, index)
            return _jsonata_outcome(
                run, rule.next, rule.output or state.output, rule.assign or state.assign, binding, raw_input
            )
    if state.default is None:
        raise StatesError(ErrorName.NO_CHOICE_MATCHED.value, _no_match_cause(run))
    _taken(run, None)
    return _jsonata_outcome(run, state.default, state.output, state.assign, binding, raw_input)


def _jsonata_outcome(
    run: StateRun[ChoiceState], target: str, output: Any, assign: Any, binding: dict[str, Any], raw_input: Any
) -> Outcome:
    env = run.env
    value = output.evaluate(binding, env, "Output") if output is not None else raw_input
    assigned = assign.evaluate(binding, env, "Assign") if assign is not None else None
    return Outcome(target, value, assigned)
