"""Map Runs: DescribeMapRun, ListMapRuns, UpdateMapRun.

The engine records a Map Run for every Distributed Map state entry (see
:mod:`fakesfn.engine.map_run`) and hands it to the store; these operations read it and change its
concurrency and failure thresholds while it runs. botocore checks the lower
bounds of the numbers; AWS checks the upper ones (the percentage's 100). A
redriven Map Run keeps its ARN, so ListMapRuns shows it once and DescribeMapRun
reports its ``redriveCount`` and ``redriveDate``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.service.errors import ResourceNotFound, ValidationException
from fakesfn.service.executions import find_execution
from fakesfn.service.pagination import paginate
from fakesfn.service.registry import Caller, operation

if TYPE_CHECKING:
    from fakesfn.engine.map_run import MapRun
    from fakesfn.service.store import Store

_UPDATABLE: Final = (
    ("maxConcurrency", "max_concurrency"),
    ("toleratedFailurePercentage", "tolerated_failure_percentage"),
    ("toleratedFailureCount", "tolerated_failure_count"),
)

NOTHING_TO_UPDATE: Final = (
    "At least one of the following should be provided: maxConcurrency, "
    "toleratedFailurePercentage, toleratedFailureCount"
)
"""House wording: AWS's text for an UpdateMapRun that changes nothing is not recorded."""


def _find(store: Store, arn: Any) -> MapRun:
    arns.parse_map_run_arn(arn)
    run = store.map_runs.get(arn)
    if run is None:
        raise ResourceNotFound(f"Resource not found: '{arn}'")
    return run


@operation("DescribeMapRun")
def describe_map_run(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Status, thresholds and item/execution counts of one Map Run."""
    return _find(store, params["mapRunArn"]).describe(store.clock.time())


@operation("ListMapRuns")
def list_map_runs(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """The Map Runs an execution started, newest first (as ListExecutions orders executions)."""
    execution = find_execution(store, params["executionArn"])
    runs = store.map_runs.of_execution(execution.arn)
    runs.reverse()
    page, token = paginate("ListMapRuns", runs, params, scope=execution.arn)
    reply: dict[str, Any] = {"mapRuns": [run.list_item() for run in page]}
    if token:
        reply["nextToken"] = token
    return reply


@operation("UpdateMapRun")
def update_map_run(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """New MaxConcurrency and thresholds; a running Map Run applies them at once."""
    run = _find(store, params["mapRunArn"])
    percentage = params.get("toleratedFailurePercentage")
    if percentage is not None and percentage > 100:
        # AWS's request validator (the model's max: 100; botocore checks only the min).
        raise ValidationException(
            f"1 validation error detected: Value '{float(percentage)}' at 'toleratedFailurePercentage' "
            "failed to satisfy constraint: Member must have value less than or equal to 100"
        )
    changes = {name: params[key] for key, name in _UPDATABLE if params.get(key) is not None}
    if not changes:
        raise ValidationException(NOTHING_TO_UPDATE)
    if "tolerated_failure_percentage" in changes:
        changes["tolerated_failure_percentage"] = float(changes["tolerated_failure_percentage"])
    run.update(changes)
    return {}
