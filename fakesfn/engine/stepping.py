"""Stepping through an execution one state transition at a time (notebook debugging).

An execution in stepping mode stops before entering each state: its fiber waits
on a *gate*. :func:`step` opens the oldest gate (or, when every fiber waits on the
clock, moves virtual time to the next timer) and runs until the execution is
stopped at a gate again. Nothing else changes: histories are exactly what a
free-running execution records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakesfn.clock import VirtualClock
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.runtime import Runtime


def next_state(execution: ExecutionRecord) -> str | None:
    """The state the execution will enter on the next step, if it is stopped at a gate."""
    return execution.gates[0][1] if execution.gates else None


def step(runtime: Runtime, clock: VirtualClock, execution: ExecutionRecord) -> list[dict[str, Any]]:
    """Let one state transition happen; return the history events it recorded."""
    before = len(execution.history)
    if execution.done:
        return []
    if execution.gates:
        gate, _name = execution.gates.pop(0)
        gate.resolve(None)
        runtime.run()
    else:
        due = clock.next_due()
        if due is not None:
            clock.advance(max(0.0, due - clock.time()))
        runtime.run()
    return execution.history.since(before)


def run_until(
    runtime: Runtime, clock: VirtualClock, execution: ExecutionRecord, state_name: str
) -> list[dict[str, Any]]:
    """Step until ``state_name`` is about to be entered (or the execution ends or waits forever)."""
    recorded: list[dict[str, Any]] = []
    while not execution.done and next_state(execution) != state_name:
        events = step(runtime, clock, execution)
        if not events and not execution.gates and clock.next_due() is None:
            break
        recorded.extend(events)
    return recorded
