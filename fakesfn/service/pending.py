"""Loud refusals for the API operations nobody has implemented yet.

Every Step Functions operation must answer: one the fake doesn't implement is
refused with :class:`~fakesfn.service.errors.NotYetImplemented` naming it,
never silently answered. :func:`register_pending` registers such a handler for
each operation in :data:`ALL_OPERATIONS` that is absent from
:data:`~fakesfn.service.registry.OPERATIONS`; :mod:`fakesfn.service.operations`
calls it once every real operation module is imported. (Registering at import
time instead made the outcome depend on which module a program imported first.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.service.errors import NotYetImplemented
from fakesfn.service.registry import OPERATIONS, Caller, Handler, operation

if TYPE_CHECKING:
    from fakesfn.service.store import Store

ALL_OPERATIONS: Final = (
    "CreateActivity",
    "CreateStateMachine",
    "CreateStateMachineAlias",
    "DeleteActivity",
    "DeleteStateMachine",
    "DeleteStateMachineAlias",
    "DeleteStateMachineVersion",
    "DescribeActivity",
    "DescribeExecution",
    "DescribeMapRun",
    "DescribeStateMachine",
    "DescribeStateMachineAlias",
    "DescribeStateMachineForExecution",
    "GetActivityTask",
    "GetExecutionHistory",
    "ListActivities",
    "ListExecutions",
    "ListMapRuns",
    "ListStateMachineAliases",
    "ListStateMachineVersions",
    "ListStateMachines",
    "ListTagsForResource",
    "PublishStateMachineVersion",
    "RedriveExecution",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "SendTaskSuccess",
    "StartExecution",
    "StartSyncExecution",
    "StopExecution",
    "TagResource",
    "TestState",
    "UntagResource",
    "UpdateMapRun",
    "UpdateStateMachine",
    "UpdateStateMachineAlias",
    "ValidateStateMachineDefinition",
)
"""The 37 operations of the Step Functions API (botocore's ``stepfunctions`` model)."""


def _refusal(name: str) -> Handler:
    def refuse(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        raise NotYetImplemented(f"fakesfn does not implement {name} yet")

    refuse.__doc__ = f"{name} is not implemented yet: refused loudly, never answered wrongly."
    return refuse


PENDING: tuple[str, ...] = ()
"""The operations :func:`register_pending` registered refusals for."""


def register_pending() -> tuple[str, ...]:
    """Refuse loudly every operation no module registered; return them (idempotent)."""
    global PENDING
    missing = tuple(name for name in ALL_OPERATIONS if name not in OPERATIONS)
    for name in missing:
        operation(name)(_refusal(name))
    PENDING = (*PENDING, *missing)
    return PENDING
