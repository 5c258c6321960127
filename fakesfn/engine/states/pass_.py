"""The Pass state: pass the input on, or a fixed Result, through the I/O pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.nodes import JSONATA, UNSET, PassState
from fakesfn.engine.io import process_input
from fakesfn.engine.states.common import finish, jsonata_passthrough

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.outcome import Outcome
    from fakesfn.engine.signals import Signal


def run_pass(run: StateRun[PassState], raw_input: Any) -> Generator[Signal, Any, Outcome]:
    """AWS: a JSONPath Pass's result is ``Result`` if given, else its effective input."""
    state = run.state
    if state.query_language == JSONATA:
        return jsonata_passthrough(run, raw_input)
    effective = process_input(state, raw_input, run.env)
    result = effective if state.result is UNSET else state.result
    return finish(run, raw_input, result)
    yield  # type: ignore[unreachable]  # pragma: no cover - makes this a generator
