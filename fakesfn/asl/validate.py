"""Cross-state checks: every transition lands on a state, every state can be reached.

Run after parsing, over a whole machine and each sub-machine on its own scope
(AWS: a Parallel branch or Map processor may only transition within itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakesfn.asl.nodes import ChoiceState, MapState, ParallelState, State, StateMachine

if TYPE_CHECKING:
    from fakesfn.asl.problems import ProblemCollector


def validate_machine(machine: StateMachine, problems: ProblemCollector, location: str = "") -> None:
    """Record MISSING_TRANSITION_TARGET and UNREACHABLE_STATE problems, recursively."""
    if machine.start_at and machine.start_at not in machine.states and machine.states:
        problems.add(
            "MISSING_TRANSITION_TARGET",
            f"Missing 'Next' target: {machine.start_at}",
            f"{location}/StartAt",
        )
    for state in machine.states.values():
        where = f"{location}/States/{state.name}"
        for field, target in _targets(state):
            if target not in machine.states:
                problems.add(
                    "MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {target}", f"{where}/{field}"
                )
        for index, branch in enumerate(_children(state)):
            child_field = "Branches" if isinstance(state, ParallelState) else "ItemProcessor"
            suffix = f"[{index}]" if isinstance(state, ParallelState) else ""
            validate_machine(branch, problems, f"{where}/{child_field}{suffix}")
    reachable = _reachable(machine)
    for name in machine.states:
        if name not in reachable and machine.start_at in machine.states:
            problems.add("UNREACHABLE_STATE", f"State '{name}' is not reachable", f"{location}/States/{name}")


def _targets(state: State) -> list[tuple[str, str]]:
    targets: list[tuple[str, str]] = []
    if state.next is not None:
        targets.append(("Next", state.next))
    for i, catcher in enumerate(state.catch):
        targets.append((f"Catch[{i}]/Next", catcher.next))
    if isinstance(state, ChoiceState):
        for i, rule in enumerate(state.choices):
            if rule.next is not None:
                targets.append((f"Choices[{i}]/Next", rule.next))
        if state.default is not None:
            targets.append(("Default", state.default))
    return targets


def _children(state: State) -> tuple[StateMachine, ...]:
    if isinstance(state, ParallelState):
        return state.branches
    if isinstance(state, MapState) and state.processor is not None:
        return (state.processor,)
    return ()


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
