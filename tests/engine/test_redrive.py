"""RedriveExecution: continue from the unsuccessful step, keep the successful work."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROLE_ARN, history

FN = "arn:aws:lambda:us-east-1:123456789012:function:flaky"


class Flaky:
    """Fails until ``healed`` is set; counts calls per event."""

    def __init__(self):
        self.healed = False
        self.calls: list = []

    def __call__(self, event, context):
        self.calls.append(event)
        if not self.healed:
            raise RuntimeError("not yet")
        return {"ok": event}


def start(sfn, definition, input_value=None, name="m"):
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    kwargs = {"stateMachineArn": arn}
    if input_value is not None:
        kwargs["input"] = json.dumps(input_value)
    return sfn.start_execution(**kwargs)["executionArn"]


CHAIN = {
    "StartAt": "First",
    "States": {
        "First": {
            "Type": "Pass",
            "Result": 1,
            "ResultPath": "$.first",
            "Assign": {"seen": "first"},
            "Next": "Call",
        },
        "Call": {"Type": "Task", "Resource": FN, "ResultPath": "$.call", "Next": "Last"},
        "Last": {"Type": "Pass", "Parameters": {"seen.$": "$seen", "all.$": "$"}, "End": True},
    },
}


def test_redrive_continues_from_the_failed_state(sfn, sfn_backend):
    flaky = Flaky()
    sfn_backend.register_lambda("flaky", flaky)
    arn = start(sfn, CHAIN, {"in": 1})
    assert sfn.describe_execution(executionArn=arn)["status"] == "FAILED"
    described = sfn.describe_execution(executionArn=arn)
    assert (described["redriveStatus"], described["redriveCount"]) == ("REDRIVABLE", 0)
    flaky.healed = True
    sfn_backend.advance(3600)
    reply = sfn.redrive_execution(executionArn=arn)
    described = sfn.describe_execution(executionArn=arn)
    assert described["status"] == "SUCCEEDED"
    assert described["redriveCount"] == 1
    assert described["redriveDate"] == reply["redriveDate"]
    assert json.loads(described["output"]) == {
        "seen": "first",
        "all": {"in": 1, "first": 1, "call": {"ok": {"in": 1, "first": 1}}},
    }
    types = [e["type"] for e in history(sfn, arn)]
    assert types.count("PassStateEntered") == 2  # First is not run again
    redriven = types.index("ExecutionRedriven")
    assert types[redriven - 1] == "ExecutionFailed"
    assert types[redriven + 1] == "TaskStateEntered"
    event = history(sfn, arn)[redriven]
    assert event["executionRedrivenEventDetails"] == {"redriveCount": 1}


def test_only_failed_map_iterations_run_again(sfn, sfn_backend):
    flaky = Flaky()

    def handler(event, context):
        if event == 2:
            return flaky(event, context)
        return event * 10

    sfn_backend.register_lambda("flaky", handler)
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "T",
                    "States": {"T": {"Type": "Task", "Resource": FN, "End": True}},
                },
                "End": True,
            }
        },
    }
    arn = start(sfn, definition, [1, 2, 3])
    assert sfn.describe_execution(executionArn=arn)["status"] == "FAILED"
    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    described = sfn.describe_execution(executionArn=arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [10, {"ok": 2}, 30]
    events = history(sfn, arn)
    after = events[[e["type"] for e in events].index("ExecutionRedriven") :]
    started = [
        e["mapIterationStartedEventDetails"]["index"] for e in after if e["type"] == "MapIterationStarted"
    ]
    assert started == [1, 2]  # iteration 0 succeeded before; 2 never started


def test_redrive_a_timed_out_wait(sfn, sfn_backend):
    definition = {
        "StartAt": "W",
        "TimeoutSeconds": 10,
        "States": {
            "W": {"Type": "Wait", "Seconds": 5, "Next": "Long"},
            "Long": {"Type": "Wait", "Seconds": 8, "End": True},
        },
    }
    arn = start(sfn, definition)
    sfn_backend.settle()
    assert sfn.describe_execution(executionArn=arn)["status"] == "TIMED_OUT"
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
    types = [e["type"] for e in history(sfn, arn)]
    assert types.count("WaitStateEntered") == 3


@pytest.mark.parametrize(
    ("definition", "reason"),
    [
        (
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "Execution is SUCCEEDED and cannot be redriven",
        ),
        (
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}}},
            "Execution is RUNNING and cannot be redriven",
        ),
    ],
)
def test_not_redrivable(sfn, definition, reason):
    arn = start(sfn, definition)
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable) as raised:
        sfn.redrive_execution(executionArn=arn)
    assert raised.value.response["Error"]["Message"] == reason
    assert sfn.describe_execution(executionArn=arn)["redriveStatusReason"] == reason


def test_redrivable_for_fourteen_days_only(sfn, sfn_backend):
    arn = start(sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})
    sfn_backend.advance(14 * 24 * 3600 + 1)
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable):
        sfn.redrive_execution(executionArn=arn)


def test_client_token_is_idempotent_and_redrive_filter(sfn, sfn_backend):
    arn = start(sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})
    first = sfn.redrive_execution(executionArn=arn, clientToken="tok")
    again = sfn.redrive_execution(executionArn=arn, clientToken="tok")
    assert first["redriveDate"] == again["redriveDate"]
    machine = sfn.describe_execution(executionArn=arn)["stateMachineArn"]
    redriven = sfn.list_executions(stateMachineArn=machine, redriveFilter="REDRIVEN")["executions"]
    assert [e["executionArn"] for e in redriven] == [arn]
    assert sfn.list_executions(stateMachineArn=machine, redriveFilter="NOT_REDRIVEN")["executions"] == []


def test_context_object_reports_the_redrive_count(sfn, sfn_backend):
    flaky = Flaky()
    sfn_backend.register_lambda("flaky", flaky)
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": FN, "Next": "Count"},
            "Count": {"Type": "Pass", "Parameters": {"n.$": "$$.Execution.RedriveCount"}, "End": True},
        },
    }
    arn = start(sfn, definition)
    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    assert json.loads(sfn.describe_execution(executionArn=arn)["output"]) == {"n": 1}
