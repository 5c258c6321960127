"""Inputs that once crashed the fake (found by tests/trust): each is now an AWS-shaped outcome."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROLE_ARN


def test_deeply_nested_data_runs_to_the_limit_and_is_refused_past_it(run, sfn):
    # The nesting limit (200 levels, fakesfn.payload) decides, not the interpreter's stack:
    # the deepest payload allowed runs through JSONata on every Python, one past it is refused.
    definition = {
        "StartAt": "J",
        "States": {
            "J": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "End": True}
        },
    }
    deepest = json.loads("[" * 200 + "]" * 200)
    ran = run(definition, deepest)
    assert ran.status == "SUCCEEDED"
    assert ran.output == deepest
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        run(definition, json.loads("[" * 400 + "]" * 400))


def test_huge_backoff_ends_in_the_execution_lifetime(run, sfn, sfn_backend):
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}],
                "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1100, "BackoffRate": 2}],
                "End": True,
            }
        },
    }
    ran = run(definition)
    assert ran.status == "TIMED_OUT"
    assert ran.details("ExecutionTimedOut") == [{"error": "States.Timeout"}]
    elapsed = ran.describe["stopDate"] - ran.describe["startDate"]
    assert elapsed.days == 365


def test_a_waiting_activity_does_not_make_settle_jump_a_year(sfn, sfn_backend):
    activity = sfn.create_activity(name="a")["activityArn"]
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity, "End": True}}}
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert sfn_backend.settle() == 0
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    sfn_backend.advance(365 * 24 * 3600)
    assert sfn.describe_execution(executionArn=execution)["status"] == "TIMED_OUT"


def test_an_enormous_activity_timeout_cannot_push_the_clock_out_of_range(sfn, sfn_backend):
    activity = sfn.create_activity(name="a")["activityArn"]
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": activity, "TimeoutSecondsPath": "$.t", "End": True}},
    }
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": 10**28}))["executionArn"]
    sfn_backend.settle()
    assert sfn.describe_execution(executionArn=execution)["status"] == "TIMED_OUT"
    assert (sfn_backend.clock.now() - sfn_backend.clock.now().replace(year=2024, month=1, day=1)).days == 365
    with pytest.raises(ValueError):
        sfn_backend.advance(10**28)


def test_an_empty_start_at_is_an_invalid_definition(sfn):
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.create_state_machine(
            name="m",
            definition=json.dumps({"StartAt": "", "States": {"S": {"Type": "Succeed"}}}),
            roleArn=ROLE_ARN,
        )


def test_a_handler_stopping_its_own_execution(sfn, sfn_backend):
    def handler(event, context):
        sfn.stop_execution(executionArn=event["arn"], error="Self", cause="stopped from inside")
        return {"after": "stop"}

    sfn_backend.register_lambda("self-stop", handler)
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:self-stop",
                "Parameters": {"arn.$": "$$.Execution.Id"},
                "Next": "After",
            },
            "After": {"Type": "Pass", "End": True},
        },
    }
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    described = sfn.describe_execution(executionArn=execution)
    assert (described["status"], described["error"]) == ("ABORTED", "Self")
    events = sfn.get_execution_history(executionArn=execution)["events"]
    assert events[-1]["type"] == "ExecutionAborted"
    assert "PassStateEntered" not in [e["type"] for e in events]


def test_a_failure_of_the_fake_itself_fails_the_execution_instead_of_escaping(sfn, monkeypatch):
    # Issue 16 item 4: any exception escaping a fiber left the execution RUNNING and
    # raised out of the API call. A bug now fails the execution and names itself.
    from fakesfn.asl.nodes import PassState
    from fakesfn.engine.execution import INTERNAL_ERROR_PREFIX
    from fakesfn.engine.states import STATE_BODIES

    def broken(run, raw_input):
        raise ValueError("a bug")
        yield

    definition = {
        "StartAt": "Par",
        "States": {
            "Par": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}],
                "End": True,
            }
        },
    }
    monkeypatch.setitem(STATE_BODIES, PassState, broken)
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    described = sfn.describe_execution(executionArn=execution)
    assert (described["status"], described["error"]) == ("FAILED", "States.Runtime")
    assert described["cause"] == f"{INTERNAL_ERROR_PREFIX}ValueError: a bug"
