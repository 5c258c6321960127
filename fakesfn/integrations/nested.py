"""Nested executions: ``arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]``.

The child runs in the same backend (started through its own StartExecution, so
names, inputs and limits are checked as for any caller). AWS documents:

* request-response returns ``ExecutionArn`` and ``StartDate``;
* ``.sync`` waits for the child and returns its DescribeExecution output with
  ``Input``/``Output`` as JSON strings; ``.sync:2`` returns them parsed;
* a child that fails, times out or is aborted fails the task with
  ``States.TaskFailed`` and that output as the cause;
* stopping the parent, or the task timing out, stops a ``.sync`` child;
* ``AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID`` in the child's input (set from
  ``$$.Execution.Id``) associates the child with its parent.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.integrations.callbacks import PendingTask, Watch, service_task
from fakesfn.integrations.registry import register
from fakesfn.integrations.sdk import ServiceCallError, StepFunctionsApi
from fakesfn.integrations.v1 import v1_error, v1_metadata
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.signals import Signal
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

STARTED_BY: Final = "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"
_PARAMS: Final = (("StateMachineArn", "stateMachineArn"), ("Name", "name"), ("TraceHeader", "traceHeader"))


def _bridge(services: TaskServices) -> StepFunctionsApi:
    bridge = services.api
    if bridge is None:
        raise StatesError(
            ErrorName.RUNTIME.value, "fakesfn: this runtime has no Step Functions API to start executions"
        )
    return bridge


def _account(call: TaskCall) -> str:
    return call.resource.account or arns.account_of(call.run.execution.arn)


def _millis(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def _start(call: TaskCall, services: TaskServices) -> TaskBody:
    yield from ()
    parameters = call.parameters if isinstance(call.parameters, dict) else {}
    params: dict[str, Any] = {
        api: parameters[field] for field, api in _PARAMS if parameters.get(field) is not None
    }
    child_input = parameters.get("Input")
    if child_input is not None:
        params["input"] = child_input if isinstance(child_input, str) else dump(child_input)
    bridge = _bridge(services)
    try:
        reply = bridge.call("StartExecution", params, region=call.region, account_id=_account(call))
    except ServiceCallError as error:
        if not error.request_id:
            error.request_id = call.run.runtime.random.uuid()
        raise v1_error("stepfunctions", error) from None
    child = bridge.execution(reply["executionArn"])
    parent = call.run.execution
    if child is not None and isinstance(child_input, dict) and child_input.get(STARTED_BY) == parent.arn:
        child.parent = parent.arn
    body = {"ExecutionArn": reply["executionArn"], "StartDate": _millis(reply["startDate"])}
    return {**body, **v1_metadata(call, "stepfunctions", body, call.run.runtime.random.uuid())}


def describe(child: ExecutionRecord, *, parsed: bool) -> dict[str, Any]:
    """The child's DescribeExecution output as ``.sync`` (strings) or ``.sync:2`` (parsed) returns it."""
    fields: dict[str, Any] = {
        "ExecutionArn": child.arn,
        "Input": child.input if parsed else child.input_text,
        "InputDetails": {"Included": True},
        "Name": child.name,
        "RedriveCount": child.redrive_count,
        "StartDate": _millis(child.start_date),
        "StateMachineArn": child.state_machine_arn,
        "Status": child.status,
    }
    fields.update(_redrive(child))
    if child.output_text is not None:
        fields["Output"] = json.loads(child.output_text) if parsed else child.output_text
        fields["OutputDetails"] = {"Included": True}
    for key, value in (
        ("StopDate", _millis(child.stop_date)),
        ("Error", child.error),
        ("Cause", child.cause),
    ):
        if value is not None:
            fields[key] = value
    return dict(sorted(fields.items()))


def _redrive(child: ExecutionRecord) -> dict[str, Any]:
    if child.status == "SUCCEEDED":
        return {
            "RedriveStatus": "NOT_REDRIVABLE",
            "RedriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
        }
    if child.machine_type == "EXPRESS":
        reason = "Execution is an EXPRESS execution and cannot be redriven"
        return {"RedriveStatus": "NOT_REDRIVABLE", "RedriveStatusReason": reason}
    return {"RedriveStatus": "REDRIVABLE"}


def _watch(parsed: bool) -> Watch:
    def watch(call: TaskCall, services: TaskServices, started: Any, pending: PendingTask) -> None:
        bridge = _bridge(services)
        child = bridge.execution(started["ExecutionArn"])
        if child is None:  # pragma: no cover - StartExecution stored it
            pending.outcome.fail(StatesError(ErrorName.TASK_FAILED.value, dump(started)))
            return

        def ended(_signal: Signal) -> None:
            result = describe(child, parsed=parsed)
            if child.status == "SUCCEEDED":
                call.run.runtime.fire(pending.outcome, (dump(result), result))
            elif pending.outcome.fail(StatesError(ErrorName.TASK_FAILED.value, dump(result))):
                call.run.runtime.run()

        def stop_child() -> None:
            if not child.done:
                bridge.call(
                    "StopExecution",
                    {"executionArn": child.arn},
                    region=call.region,
                    account_id=_account(call),
                )

        child.when_done(ended)
        pending.on_stop.append(stop_child)

    return watch


_WATCHES: Final = {"sync": _watch(parsed=False), "sync:2": _watch(parsed=True)}


@register("service", "states:startExecution")
def start_execution_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """Start a child execution; ``.sync``/``.sync:2`` wait for it, ``.waitForTaskToken`` for a callback."""
    result = yield from service_task(call, services, _start, _WATCHES.get(call.resource.pattern))
    return result
