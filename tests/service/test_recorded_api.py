"""API answers as AWS recorded them: each test names the recording or the AWS page it follows."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROLE_ARN


def test_a_timed_out_execution_is_described_without_error_or_cause(sfn):
    # LocalStack's test_global_timeout (recorded 2024-03-10): status TIMED_OUT, no error,
    # no cause; the ExecutionTimedOut event carries the error.
    definition = {
        "StartAt": "W",
        "TimeoutSeconds": 5,
        "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}},
    }
    machine = sfn.create_state_machine(name="slow", definition=json.dumps(definition), roleArn=ROLE_ARN)
    execution = sfn.start_execution(stateMachineArn=machine["stateMachineArn"])["executionArn"]
    sfn.backend.settle()
    described = sfn.describe_execution(executionArn=execution)
    assert described["status"] == "TIMED_OUT"
    assert "error" not in described
    assert "cause" not in described
    last = sfn.get_execution_history(executionArn=execution, reverseOrder=True)["events"][0]
    assert last["executionTimedOutEventDetails"] == {"error": "States.Timeout"}


@pytest.mark.parametrize(
    "role",
    [
        "arn:aws:iam::aws:policy/AWSBatchFullAccess",  # localstack#2027, from AWS
        "<execution-role-arn>",  # aws/amazon-sagemaker-examples#2432, from AWS
        "arn:aws:iam::123456789012:user/bob",
        "arn:aws:iam:us-east-1:123456789012:role/r",  # IAM ARNs have no region
        "arn:aws:iam::12345:role/r",  # accounts have 12 digits
        "arn:aws:sts::123456789012:assumed-role/r/session",
        "arn:aws:iam::123456789012:role/",
    ],
)
def test_a_role_arn_that_is_no_iam_role_is_refused(sfn, role):
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    with pytest.raises(sfn.exceptions.InvalidArn) as caught:
        sfn.create_state_machine(name="m", definition=definition, roleArn=role)
    assert caught.value.response["Error"]["Message"] == f"Invalid Role Arn: '{role}'"
    assert sfn.list_state_machines()["stateMachines"] == []


@pytest.mark.parametrize(
    "role",
    [
        "arn:aws:iam::123456789012:role/service-role/StepFunctions-x-role-1a2b",
        "arn:aws-cn:iam::123456789012:role/r",
        "arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h",
    ],
)
def test_iam_role_arns_are_accepted(sfn, role):
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    machine = sfn.create_state_machine(name="m", definition=definition, roleArn=role)
    assert sfn.describe_state_machine(stateMachineArn=machine["stateMachineArn"])["roleArn"] == role


def test_update_refuses_a_role_arn_that_is_no_iam_role(sfn):
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    arn = sfn.create_state_machine(name="m", definition=definition, roleArn=ROLE_ARN)["stateMachineArn"]
    with pytest.raises(
        sfn.exceptions.InvalidArn, match="Invalid Role Arn: 'arn:aws:iam::123456789012:user/u'"
    ):
        sfn.update_state_machine(stateMachineArn=arn, roleArn="arn:aws:iam::123456789012:user/u")
    assert sfn.describe_state_machine(stateMachineArn=arn)["roleArn"] == ROLE_ARN


def test_history_in_reverse_order_is_the_same_events_newest_first(sfn):
    # LocalStack's test_get_execution_history_reversed (recorded 2024-01-28): ids and
    # previousEventIds unchanged, ExecutionSucceeded (id 4) first, ExecutionStarted last.
    definition = {
        "StartAt": "State_1",
        "States": {"State_1": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": True}},
    }
    machine = sfn.create_state_machine(name="pass", definition=json.dumps(definition), roleArn=ROLE_ARN)
    execution = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input="{}")["executionArn"]
    sfn.backend.settle()
    forward = sfn.get_execution_history(executionArn=execution, reverseOrder=False)["events"]
    backward = sfn.get_execution_history(executionArn=execution, reverseOrder=True)["events"]
    assert [(e["id"], e["previousEventId"], e["type"]) for e in backward] == [
        (4, 3, "ExecutionSucceeded"),
        (3, 2, "PassStateExited"),
        (2, 0, "PassStateEntered"),
        (1, 0, "ExecutionStarted"),
    ]
    assert backward == forward[::-1]
    first_page = sfn.get_execution_history(executionArn=execution, reverseOrder=True, maxResults=3)
    rest = sfn.get_execution_history(
        executionArn=execution, reverseOrder=True, maxResults=3, nextToken=first_page["nextToken"]
    )
    assert first_page["events"] + rest["events"] == backward


def _wait_machine(sfn) -> str:
    definition = {"StartAt": "State_1", "States": {"State_1": {"Type": "Wait", "Seconds": 60, "End": True}}}
    return sfn.create_state_machine(name="wait", definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]


def test_a_stopped_execution_records_execution_aborted_after_no_event(sfn):
    # LocalStack's test_stop_execution (AWS-validated 2024-05-06): stopped in a Wait,
    # ExecutionAborted has previousEventId 0 and nothing else is recorded.
    execution = sfn.start_execution(stateMachineArn=_wait_machine(sfn), input="{}")["executionArn"]
    sfn.stop_execution(executionArn=execution)
    sfn.backend.settle()
    events = sfn.get_execution_history(executionArn=execution)["events"]
    assert [(e["id"], e["previousEventId"], e["type"]) for e in events] == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "WaitStateEntered"),
        (3, 0, "ExecutionAborted"),
    ]
    assert events[2]["executionAbortedEventDetails"] == {}


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        (
            "not some json",
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', "
            "'true' or 'false')",
        ),
        (
            "{'not': 'json'",
            "Unexpected character (''' (code 39)): was expecting double-quote to start field name",
        ),
        ("", "Invalid execution input."),
    ],
)
def test_execution_input_that_is_not_json_is_described_in_jacksons_words(sfn, text, detail):
    # LocalStack's test_invalid_start_execution_input (AWS-validated 2023-06-22).
    with pytest.raises(sfn.exceptions.InvalidExecutionInput) as raised:
        sfn.start_execution(stateMachineArn=_wait_machine(sfn), input=text)
    assert raised.value.response["Error"]["Message"] == f"Invalid State Machine Execution Input: '{detail}'"


def test_an_unknown_status_filter_lists_the_statuses_in_awss_order(sfn):
    # LocalStack's test_state_machine_status_filter (AWS-validated 2024-03-14).
    with pytest.raises(sfn.exceptions.ValidationException) as raised:
        sfn.list_executions(stateMachineArn=_wait_machine(sfn), statusFilter="succeeded")
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: "
        "Member must satisfy enum value set: "
        "[SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"
    )
