"""Loud refusals for the API operations nobody has implemented yet.

Every Step Functions operation must answer: one the fake doesn't implement is
refused with :class:`~fakesfn.service.errors.NotYetImplemented` naming it,
never silently answered. Importing this module registers such a handler for
each operation in :data:`ALL_OPERATIONS` that is absent from
:data:`~fakesfn.service.registry.OPERATIONS` at that moment, so it must be
imported after every real operation module (see :mod:`fakesfn.service.operations`).
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


def _register_pending() -> tuple[str, ...]:
    # Whoever imports this module first (``import fakesfn.service.pending`` before anything
    # else, say), every real operation must be registered before the gaps are counted: the
    # operations module imports them all (and this module again, which is then a no-op).
    from fakesfn.service import operations  # noqa: F401

    pending = tuple(name for name in ALL_OPERATIONS if name not in OPERATIONS)
    for name in pending:
        operation(name)(_refusal(name))
    return pending


PENDING: Final = _register_pending()
"""The operations this module registered refusals for."""
