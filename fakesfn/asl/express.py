"""What an EXPRESS state machine may not contain, checked at create/update time.

AWS refuses activities, ``.sync`` and ``.waitForTaskToken`` integrations in
EXPRESS machines with ``SCHEMA_VALIDATION_FAILED`` problems located at the
Task's ``Resource`` (recorded: test_sfn_api_express, including the stray space
before " at" in the ``.waitForTaskToken`` message).
"""

from __future__ import annotations

from typing import Final

from fakesfn.asl.nodes import MapState, ParallelState, StateMachine, TaskState
from fakesfn.asl.problems import Problem
from fakesfn.asl.resources import parse_resource

_SCHEMA: Final = "SCHEMA_VALIDATION_FAILED"
ACTIVITY: Final = "Express state machine does not support Activity ARN"
SYNC: Final = "Express state machine does not support '.sync' service integration"
WAIT_FOR_TASK_TOKEN: Final = "Express state machine does not support '.waitForTaskToken' service integration "

_BY_PATTERN: Final = {"sync": SYNC, "sync:2": SYNC, "waitForTaskToken": WAIT_FOR_TASK_TOKEN}


def _resource_problem(resource: str) -> str | None:
    ref = parse_resource(resource)
    if ref is None:
        return None
    if ref.kind == "activity":
        return ACTIVITY
    return _BY_PATTERN.get(ref.pattern)


def express_problems(machine: StateMachine, location: str = "") -> list[Problem]:
    """Every Task in ``machine`` (and its branches and item processors) EXPRESS refuses."""
    problems: list[Problem] = []
    for name, state in machine.states.items():
        where = f"{location}/States/{name}"
        if isinstance(state, TaskState):
            message = _resource_problem(state.resource)
            if message is not None:
                problems.append(Problem(_SCHEMA, message, f"{where}/Resource"))
        elif isinstance(state, ParallelState):
            for index, branch in enumerate(state.branches):
                problems += express_problems(branch, f"{where}/Branches[{index}]")
        elif isinstance(state, MapState) and state.processor is not None:
            field = (
                "Iterator"
                if "Iterator" in state.raw and "ItemProcessor" not in state.raw
                else "ItemProcessor"
            )
            problems += express_problems(state.processor, f"{where}/{field}")
    return problems
