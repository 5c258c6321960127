"""GetExecutionHistory: paging, reverse order, and leaving execution data out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.service.errors import ExecutionDoesNotExist
from fakesfn.service.executions import find_execution
from fakesfn.service.pagination import paginate
from fakesfn.service.registry import Caller, operation

if TYPE_CHECKING:
    from fakesfn.service.store import Store

_DATA_FIELDS = frozenset(
    {
        "input",
        "output",
        "inputDetails",
        "outputDetails",
        "parameters",
        "assignedVariables",
        "assignedVariablesDetails",
    }
)


@operation("GetExecutionHistory")
def get_execution_history(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Events oldest first (or newest first with reverseOrder), paged."""
    execution = find_execution(store, params["executionArn"])
    if execution.machine_type == "EXPRESS":
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{execution.arn}'")
    ordered = execution.history.view(reverse=bool(params.get("reverseOrder")))
    page, token = paginate("GetExecutionHistory", ordered, params, scope=execution.arn)
    if params.get("includeExecutionData", True) is False:
        page = [_without_data(event) for event in page]
    reply: dict[str, Any] = {"events": page}
    if token:
        reply["nextToken"] = token
    return reply


def _without_data(event: dict[str, Any]) -> dict[str, Any]:
    """AWS: ``includeExecutionData: false`` drops inputs, outputs and parameters from details."""
    out: dict[str, Any] = {}
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if k not in _DATA_FIELDS}
        else:
            out[key] = value
    return out
