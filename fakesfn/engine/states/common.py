"""Pieces shared by several state bodies: finishing a state in either query language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.context import states_binding
from fakesfn.asl.nodes import JSONATA
from fakesfn.engine.io import process_result
from fakesfn.engine.outcome import Outcome

if TYPE_CHECKING:
    from fakesfn.asl.nodes import State
    from fakesfn.engine.interpreter import StateRun


def finish(run: StateRun[State], raw_input: Any, result: Any) -> Outcome:
    """Turn a state's result into its Outcome: output processing and Assign.

    JSONPath: ResultSelector -> (Assign reads the selected result) -> ResultPath
    -> OutputPath. JSONata: Output and Assign both see ``$states.result``;
    without Output the result is the output.
    """
    state = run.state
    env = run.env
    # TestState's inspection (runtime.inspector) sees the result without evaluating anything twice.
    inspect = run.runtime.inspector
    if state.query_language == JSONATA:
        if inspect is not None:
            inspect(run, raw_input, result, result)
        binding = states_binding(env, raw_input, result=result)
        output = state.output.evaluate(binding, env, "Output") if state.output is not None else result
        assigned = state.assign.evaluate(binding, env, "Assign") if state.assign is not None else None
        return Outcome(state.next, output, assigned)
    if inspect is not None:
        inspect(run, raw_input, result, None)  # before ResultSelector, which may fail
    selected, output = process_result(state, raw_input, result, env)
    if inspect is not None:
        inspect(run, raw_input, result, selected)
    assigned = state.assign.evaluate(selected, env) if state.assign is not None else None
    return Outcome(state.next, output, assigned)


def jsonata_passthrough(run: StateRun[State], raw_input: Any) -> Outcome:
    """A JSONata state without a result (Wait, Succeed, Pass): Output/Assign over the input."""
    state = run.state
    env = run.env
    binding = states_binding(env, raw_input)
    output = state.output.evaluate(binding, env, "Output") if state.output is not None else raw_input
    assigned = state.assign.evaluate(binding, env, "Assign") if state.assign is not None else None
    return Outcome(state.next, output, assigned)
