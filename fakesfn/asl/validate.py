"""Cross-state checks: every transition lands on a state, the workflow can end, every state is reached.

Run after parsing, over a whole machine and each sub-machine on its own scope
(AWS: a Parallel branch or Map processor may only transition within itself).
Measured on AWS by the floci project (issue #2735, PR #2786), per (sub-)machine,
in this order:

1. a ``Next``/``Default``/``Choices[i].Next``/``Catch[i].Next`` naming no state:
   ``MISSING_TRANSITION_TARGET`` "Missing 'Next' target: NAME" at that field;
2. no terminal state at all (no ``End: true``, Succeed or Fail):
   ``MISSING_END_STATE`` "Workflow has no terminal state", with no location;
   this suppresses the reachability walk;
3. otherwise each state the StartAt cannot reach: ``MISSING_TRANSITION_TARGET``
   'State "C" is not reachable.' at ``/States/C``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakesfn.asl import problems as msg
from fakesfn.asl.nodes import (
    ChoiceState,
    FailState,
    MapState,
    ParallelState,
    State,
    StateMachine,
    SucceedState,
)

if TYPE_CHECKING:
    from fakesfn.asl.problems import ProblemCollector


def validate_machine(machine: StateMachine, problems: ProblemCollector, location: str = "") -> None:
    """Record transition, terminal-state and reachability problems, recursively."""
    if machine.start_at not in machine.states and machine.states:
        problems.add(
            msg.MISSING_TRANSITION_TARGET,
            msg.MISSING_TARGET.format(target=machine.start_at),
            f"{location}/StartAt",
        )
    for state in machine.states.values():
        where = f"{location}/States/{state.name}"
        for field, target in _targets(state):
            if target not in machine.states:
                problems.add(
                    msg.MISSING_TRANSITION_TARGET,
                    msg.MISSING_TARGET.format(target=target),
                    f"{where}/{field}",
                )
    if machine.states and not any(_is_terminal(state) for state in machine.states.values()):
        # AWS gives the whole workflow's missing end no location; a branch's is located at it.
        problems.add(msg.MISSING_END_STATE, msg.NO_TERMINAL, location)
    elif machine.start_at in machine.states:
        reachable = _reachable(machine)
        for name in machine.states:
            if name not in reachable:
                problems.add(
                    msg.MISSING_TRANSITION_TARGET,
                    msg.UNREACHABLE.format(name=name),
                    f"{location}/States/{name}",
                )
    for state in machine.states.values():
        where = f"{location}/States/{state.name}"
        for field, branch in _children(state):
            validate_machine(branch, problems, f"{where}/{field}")
    if not location:
        _reused_labels(machine, problems)


def _reused_labels(machine: StateMachine, problems: ProblemCollector) -> None:
    """AWS: a Map state's Label "must be unique within a state machine definition" (documented)."""
    seen: set[str] = set()
    pending = [(machine, "")]
    while pending:
        current, location = pending.pop(0)
        for state in current.states.values():
            where = f"{location}/States/{state.name}"
            if isinstance(state, MapState) and state.label:
                if state.label in seen:
                    problems.add(msg.SCHEMA, msg.LABEL_REUSED.format(label=state.label), f"{where}/Label")
                seen.add(state.label)
            pending.extend((branch, f"{where}/{field}") for field, branch in _children(state))


def _is_terminal(state: State) -> bool:
    return state.end or isinstance(state, (SucceedState, FailState))


def _targets(state: State) -> list[tuple[str, str]]:
    targets: list[tuple[str, str]] = []
    if state.next is not None:
        targets.append(("Next", state.next))
    if isinstance(state, ChoiceState):
        for i, rule in enumerate(state.choices):
            if rule.next is not None:
                targets.append((f"Choices[{i}]/Next", rule.next))
        if state.default is not None:
            targets.append(("Default", state.default))
    for i, catcher in enumerate(state.catch):
        targets.append((f"Catch[{i}]/Next", catcher.next))
    return targets


def _children(state: State) -> list[tuple[str, StateMachine]]:
    if isinstance(state, ParallelState):
        return [(f"Branches[{index}]", branch) for index, branch in enumerate(state.branches)]
    if isinstance(state, MapState) and state.processor is not None:
        field = (
            "Iterator" if "Iterator" in state.raw and "ItemProcessor" not in state.raw else "ItemProcessor"
        )
        return [(field, state.processor)]
    return []


def _reachable(machine: StateMachine) -> set[str]:
    seen: set[str] = set()
    stack = [machine.start_at]
    while stack:
        name = stack.pop()
        if name in seen or name not in machine.states:
            continue
        seen.add(name)
        stack.extend(target for _field, target in _targets(machine.states[name]))
    return seen
