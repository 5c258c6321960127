"""User handler code misbehaving: a clear task failure (or a clear error), never a corrupted backend.

After every misbehaving handler the backend must still hold together: the
execution's describe, list and history agree, nothing is left half-run, and a
fresh execution on the same backend runs normally.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.trust import strategies as s
from tests.trust.invariants import check_agreement, strict_json

FUNCTION = f"arn:aws:lambda:{s.REGION}:{s.ACCOUNT}:function:user"
EXECUTION = f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:execution:machine:run"
MACHINE = f"arn:aws:states:{s.REGION}:{s.ACCOUNT}:stateMachine:machine"
TASK = {"Type": "Task", "Resource": FUNCTION, "End": True}
PLAIN = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "fine", "End": True}}}


class Failed(Exception):
    """A plain exception class whose name becomes the Lambda errorType."""


def run(sfn: Any, handler: Any, state: dict[str, Any] | None = None, value: Any = None) -> dict[str, Any]:
    """Run a one-task machine whose task calls ``handler(client, event, context)``; check the aftermath."""
    sfn.backend.register_lambda("user", lambda event, context: handler(sfn, event, context))
    definition = {"StartAt": "T", "States": {"T": state or TASK}}
    sfn.create_state_machine(name="machine", definition=json.dumps(definition), roleArn=s.ROLE)
    sfn.create_state_machine(name="plain", definition=json.dumps(PLAIN), roleArn=s.ROLE)
    sfn.start_execution(
        stateMachineArn=MACHINE, name="run", input=json.dumps(value if value is not None else {"n": 0})
    )
    sfn.backend.settle()
    return aftermath(sfn)


def aftermath(sfn: Any) -> dict[str, Any]:
    backend = sfn.backend
    assert backend.next_due() is None
    assert not backend.runtime._ready, "fibers left ready to run"
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=MACHINE):
        for item in page["executions"]:
            check_agreement(sfn, item["executionArn"])
    plain = sfn.start_execution(stateMachineArn=MACHINE.replace(":machine", ":plain"))["executionArn"]
    assert sfn.describe_execution(executionArn=plain)["output"] == '"fine"', (
        "the backend no longer runs machines"
    )
    return sfn.describe_execution(executionArn=EXECUTION)


def payload(described: dict[str, Any]) -> dict[str, Any]:
    return json.loads(described["cause"])


def test_a_raising_handler_fails_the_task_with_its_exception_type(sfn):
    def handler(client, event, context):
        raise Failed("the handler broke")

    described = run(sfn, handler)
    assert (described["status"], described["error"]) == ("FAILED", "Failed")
    assert payload(described)["errorMessage"] == "the handler broke"
    assert payload(described)["stackTrace"]


def test_a_raising_handler_is_retried_and_caught_like_any_task_failure(sfn):
    calls = []

    def handler(client, event, context):
        calls.append(event)
        raise Failed("again")

    state = {
        **TASK,
        "Retry": [{"ErrorEquals": ["Failed"], "MaxAttempts": 2, "IntervalSeconds": 1}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],
    }
    sfn.backend.register_lambda("user", lambda event, context: handler(sfn, event, context))
    definition = {"StartAt": "T", "States": {"T": state, "Handled": {"Type": "Pass", "End": True}}}
    sfn.create_state_machine(name="machine", definition=json.dumps(definition), roleArn=s.ROLE)
    sfn.create_state_machine(name="plain", definition=json.dumps(PLAIN), roleArn=s.ROLE)
    sfn.start_execution(stateMachineArn=MACHINE, name="run")
    sfn.backend.settle()
    described = aftermath(sfn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["Error"] == "Failed"
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("returned", "error"),
    [
        ({1, 2}, "Runtime.MarshalError"),
        (object(), "Runtime.MarshalError"),
        ((i for i in range(3)), "Runtime.MarshalError"),
        ({"key": lambda: 1}, "Runtime.MarshalError"),
        (10**5000, "Runtime.MarshalError"),
    ],
    ids=["set", "object", "generator", "function-inside", "int-of-5000-digits"],
)
def test_a_result_json_cannot_hold_is_a_marshal_error(sfn, returned, error):
    described = run(sfn, lambda client, event, context: returned)
    assert (described["status"], described["error"]) == ("FAILED", error)
    assert payload(described)["errorMessage"].startswith("Unable to marshal response")


def test_a_result_too_deep_to_encode_is_a_marshal_error(sfn):
    def handler(client, event, context):
        value: Any = 1
        for _ in range(5000):
            value = [value]
        return value

    described = run(sfn, handler)
    assert (described["status"], described["error"]) == ("FAILED", "Runtime.MarshalError")


@pytest.mark.parametrize(
    "returned",
    [b"\xff\xfe not UTF-8", b"not JSON", {"x": math.nan}, [math.inf]],
    ids=["bad-utf8", "not-json-bytes", "nan", "infinity"],
)
def test_a_payload_that_is_not_json_is_passed_on_as_a_string(sfn, returned):
    described = run(sfn, lambda client, event, context: returned)
    assert described["status"] == "SUCCEEDED"
    output = strict_json(described["output"])
    assert isinstance(output, str)


def test_a_handler_may_read_its_own_execution_through_the_client(sfn):
    def handler(client, event, context):
        return client.describe_execution(executionArn=EXECUTION)["status"]

    described = run(sfn, handler)
    assert json.loads(described["output"]) == "RUNNING"


def test_a_handler_may_start_other_executions_recursively(sfn):
    def handler(client, event, context):
        depth = event["n"]
        if depth < 4:
            client.start_execution(
                stateMachineArn=MACHINE, name=f"deeper-{depth}", input=json.dumps({"n": depth + 1})
            )
        return depth

    described = run(sfn, handler)
    assert described["status"] == "SUCCEEDED"
    statuses = {
        item["name"]: item["status"] for item in sfn.list_executions(stateMachineArn=MACHINE)["executions"]
    }
    assert statuses == {"run": "SUCCEEDED", **{f"deeper-{depth}": "SUCCEEDED" for depth in range(4)}}


def test_a_service_error_inside_a_handler_fails_the_task_clearly(sfn):
    def handler(client, event, context):
        return client.describe_execution(executionArn=EXECUTION.replace(":run", ":nobody"))

    described = run(sfn, handler)
    assert (described["status"], described["error"]) == ("FAILED", "ExecutionDoesNotExist")
    assert "Execution Does Not Exist" in payload(described)["errorMessage"]


def test_a_handler_that_moves_the_clock_leaves_a_consistent_world(sfn):
    def handler(client, event, context):
        client.backend.advance(3600)
        client.backend.settle()
        return context.get_remaining_time_in_millis()

    described = run(sfn, handler)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == 0, "the invocation outlived its 900 s deadline"


def test_a_handler_may_answer_its_own_callback_before_returning(sfn):
    # AWS accepts a task token as soon as the task started, so a Lambda may call
    # SendTaskSuccess with its own token before its invocation returns.
    def handler(client, event, context):
        client.send_task_success(taskToken=event["token"], output='{"done": true}')

    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": FUNCTION, "Payload": {"token.$": "$$.Task.Token"}},
        "TimeoutSeconds": 60,
        "End": True,
    }
    described = run(sfn, handler, state)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"done": True}


# A handler that calls StopExecution on its own execution: covered in
# tests/engine/test_robustness.py (the execution ends ABORTED, nothing runs after).
