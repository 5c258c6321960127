"""The invariants every fuzz run checks, whatever it generated.

* every API error is a ``ClientError`` with an error code the Step Functions
  service model gives that operation (or ``ValidationException``, which AWS's
  request validator answers for any; ``UnsupportedOperation`` for an operation
  the fake does not implement yet), or botocore's own ``ParamValidationError``;
* an execution's history has ids 1..n, each ``previousEventId`` below its id,
  timestamps that never go back, ``ExecutionStarted`` first and at most one
  terminal event, last;
* describe, list and history agree on status, stop date, output, error and cause;
  no execution fails by a failure of the fake itself (an internal error);
* an execution still ``RUNNING`` after ``settle()`` waits on an outside actor
  (an open task token);
* a refused call leaves everything ``list_*`` can see unchanged.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError, ParamValidationError

from fakesfn.engine.execution import INTERNAL_ERROR_PREFIX
from fakesfn.service.pending import PENDING

if TYPE_CHECKING:
    from tests.trust.harness import World

TERMINAL_EVENTS = {
    "SUCCEEDED": "ExecutionSucceeded",
    "FAILED": "ExecutionFailed",
    "TIMED_OUT": "ExecutionTimedOut",
    "ABORTED": "ExecutionAborted",
}
MAX_HISTORY = 25_000


UNMODELLED_ANSWERS = frozenset(
    {
        # AWS documents only InvalidArn, InvalidToken and ValidationException for
        # ListStateMachineVersions; the fake answers StateMachineDoesNotExist for an
        # unknown machine, as AWS does for the other calls on it. No recording settles
        # it (issue 10 trust report, B8).
        ("ListStateMachineVersions", "StateMachineDoesNotExist"),
    }
)
"""(operation, code) pairs the fake answers though AWS's model does not list them."""


def operation_error_codes(client: Any, api_name: str) -> frozenset[str]:
    """The codes ``api_name`` may answer: its modelled errors and the request validator's.

    AWS's request validator answers ``ValidationException`` for any operation (model
    constraints botocore does not check); the fake answers ``UnsupportedOperation``
    for the operations it does not implement yet.
    """
    modelled = {shape.name for shape in client.meta.service_model.operation_model(api_name).error_shapes}
    extra = {"ValidationException"} | ({"UnsupportedOperation"} if api_name in PENDING else set())
    extra |= {code for operation, code in UNMODELLED_ANSWERS if operation == api_name}
    return frozenset(modelled | extra)


def assert_aws_error(client: Any, operation: str, error: Exception) -> None:
    """``error`` is what AWS (or botocore) could raise for ``operation`` (a client method name)."""
    if isinstance(error, ParamValidationError):
        return
    assert isinstance(error, ClientError), f"{operation} raised {type(error).__name__}: {error}"
    code = error.response["Error"]["Code"]
    api_name = client.meta.method_to_api_mapping.get(operation, operation)
    allowed = operation_error_codes(client, api_name)
    assert code in allowed, (
        f"{api_name} answered {code!r}, not one of its errors in the service model: {error}"
    )
    assert error.response["Error"]["Message"], f"{operation} answered {code} without a message"


def strict_json(text: str) -> Any:
    """The JSON value of ``text``; `NaN` or `Infinity` in it fail the test (they are not JSON)."""

    def refuse(constant: str) -> Any:
        raise AssertionError(f"{constant} is not JSON: {text[:200]}")

    return json.loads(text, parse_constant=refuse)


def history(client: Any, arn: str) -> list[dict[str, Any]]:
    pages = client.get_paginator("get_execution_history").paginate(executionArn=arn)
    return [event for page in pages for event in page["events"]]


def check_history(events: list[dict[str, Any]]) -> None:
    """Ids, links, timestamps and the first and terminal events of one history."""
    assert events, "an execution without events"
    assert len(events) <= MAX_HISTORY
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    for event in events:
        assert 0 <= event["previousEventId"] < event["id"], event
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps), "history timestamps go back in time"
    assert events[0]["type"] == "ExecutionStarted"
    terminal = [i for i, e in enumerate(events) if e["type"] in TERMINAL_EVENTS.values()]
    assert terminal in ([], [len(events) - 1]), f"terminal events at {terminal} of {len(events)}"
    for event in events:
        details = next((v for k, v in event.items() if k.endswith("EventDetails")), {})
        for key in ("input", "output"):
            if key in details:
                strict_json(details[key])


def _listed(client: Any, machine_arn: str, arn: str) -> dict[str, Any]:
    pages = client.get_paginator("list_executions").paginate(stateMachineArn=machine_arn)
    found = [item for page in pages for item in page["executions"] if item["executionArn"] == arn]
    assert len(found) == 1, f"{arn} listed {len(found)} times"
    return found[0]


def check_agreement(client: Any, arn: str) -> None:
    """Describe, list and history tell the same story about execution ``arn``."""
    described = client.describe_execution(executionArn=arn)
    events = history(client, arn)
    check_history(events)
    listed = _listed(client, described["stateMachineArn"], arn)
    status = described["status"]
    assert listed["status"] == status
    assert listed["startDate"] == described["startDate"] == events[0]["timestamp"]
    assert listed.get("stopDate") == described.get("stopDate")
    started = events[0]["executionStartedEventDetails"]
    assert started["input"] == described["input"]
    if status == "RUNNING":
        assert "stopDate" not in described
        assert events[-1]["type"] not in TERMINAL_EVENTS.values()
        return
    last = events[-1]
    assert last["type"] == TERMINAL_EVENTS[status], (status, last["type"])
    assert described["stopDate"] == last["timestamp"]
    details = next((v for k, v in last.items() if k.endswith("EventDetails")), {})
    if status == "SUCCEEDED":
        assert details["output"] == described["output"]
        strict_json(described["output"])
    elif status == "TIMED_OUT":
        # AWS describes a timed-out execution without error or cause (recorded).
        assert "error" not in described
        assert "cause" not in described
    else:
        assert details.get("error") == described.get("error")
        assert details.get("cause") == described.get("cause")
        assert not str(described.get("cause", "")).startswith(INTERNAL_ERROR_PREFIX), described["cause"]
    reverse = client.get_execution_history(executionArn=arn, reverseOrder=True, maxResults=1000)["events"]
    if len(events) <= 1000:
        assert reverse == events[::-1]


def open_tokens_of(backend: Any, arn: str) -> list[str]:
    """Task tokens still open for tasks of execution ``arn``."""
    registry = backend.services.tokens
    return [token for token, pending in registry._open.items() if pending.call.run.execution.arn == arn]


def check_waiting(backend: Any, client: Any, arn: str) -> None:
    """After ``settle()``: an execution still running waits on someone outside the fake."""
    # Only backstops may remain: an execution's maximum lifetime (a year for STANDARD)
    # is a real timer, but settle() never waits for it (only an outside actor ends such a wait).
    assert not backend.clock.has_foreground(), "settle() left a timer pending"
    status = client.describe_execution(executionArn=arn)["status"]
    if status == "RUNNING":
        assert open_tokens_of(backend, arn), f"{arn} is RUNNING with nothing to wait for"


def check_world(world: World) -> None:
    """Every invariant, for every execution the world started."""
    for arn in world.executions:
        check_agreement(world.client, arn)
        check_waiting(world.backend, world.client, arn)


def snapshot(client: Any) -> str:
    """Everything the ``List*`` operations show (machines, versions, aliases, executions, tags)."""
    parts: list[Any] = []
    machines = client.list_state_machines(maxResults=1000)["stateMachines"]
    activities = client.list_activities(maxResults=1000)["activities"]
    parts += [machines, activities]
    for machine in machines:
        arn = machine["stateMachineArn"]
        parts.append(client.list_tags_for_resource(resourceArn=arn)["tags"])
        parts.append(
            client.list_state_machine_versions(stateMachineArn=arn, maxResults=1000)["stateMachineVersions"]
        )
        parts.append(
            client.list_state_machine_aliases(stateMachineArn=arn, maxResults=1000)["stateMachineAliases"]
        )
        if machine["type"] == "STANDARD":
            parts.append(client.list_executions(stateMachineArn=arn, maxResults=1000)["executions"])
    for activity in activities:
        parts.append(client.list_tags_for_resource(resourceArn=activity["activityArn"])["tags"])
    return json.dumps(parts, default=str, sort_keys=True)
