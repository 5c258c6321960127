"""The Succeed state: end the (sub-)machine successfully."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.nodes import JSONATA, SucceedState
from fakesfn.engine.io import select
from fakesfn.engine.outcome import Outcome
from fakesfn.engine.states.common import jsonata_passthrough

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.signals import Signal


def run_succeed(run: StateRun[SucceedState], raw_input: Any) -> Generator[Signal, Any, Outcome]:
    """InputPath then OutputPath (JSONPath) or Output (JSONata); no transition."""
    state = run.state
    if state.query_language == JSONATA:
        outcome = jsonata_passthrough(run, raw_input)
        return Outcome(None, outcome.output, None)
    output = select(state.output_path, select(state.input_path, raw_input, run.env), run.env)
    return Outcome(None, output)
    yield  # type: ignore[unreachable]  # pragma: no cover - makes this a generator
