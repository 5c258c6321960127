"""State bodies, one module per state type, and the table the interpreter dispatches on.

A body is a generator function ``(run, raw_input) -> Outcome`` that yields signals
while the state waits. The table is explicit: a new state type adds its node class
(:mod:`fakesfn.asl.nodes`), its parser and one row here.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.nodes import (
    ChoiceState,
    FailState,
    MapState,
    ParallelState,
    PassState,
    State,
    SucceedState,
    TaskState,
    WaitState,
)
from fakesfn.engine.states import choice, fail, map_, parallel, pass_, succeed, task, wait

if TYPE_CHECKING:
    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.outcome import Outcome
    from fakesfn.engine.signals import Signal

StateBody = Callable[["StateRun[Any]", Any], Generator["Signal", Any, "Outcome"]]

STATE_BODIES: Final[Mapping[type[State], StateBody]] = {
    PassState: pass_.run_pass,
    TaskState: task.run_task_state,
    ChoiceState: choice.run_choice,
    WaitState: wait.run_wait,
    SucceedState: succeed.run_succeed,
    FailState: fail.run_fail,
    ParallelState: parallel.run_parallel,
    MapState: map_.run_map,
}
"""State node class -> the generator function that runs its body."""
