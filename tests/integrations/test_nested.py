"""Nested executions through ``states:startExecution`` in all its patterns."""

from __future__ import annotations

import json

import pytest

from tests.integrations.helpers import create, elapsed, event, read, start, task_machine

START = "arn:aws:states:::states:startExecution"


@pytest.fixture
def child(sfn):
    """A child machine that waits ``$.wait`` seconds, then fails if asked to, else echoes."""
    definition = {
        "StartAt": "Pause",
        "States": {
            "Pause": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Decide"},
            "Decide": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.fail", "BooleanEquals": True, "Next": "Broken"}],
                "Default": "Echo",
            },
            "Broken": {"Type": "Fail", "Error": "Child.Broken", "Cause": "asked to"},
            "Echo": {"Type": "Pass", "Parameters": {"echo.$": "$.value"}, "End": True},
        },
    }
    return create(sfn, definition, name="child")


def parent(child_arn, pattern="", **fields):
    parameters = {
        "StateMachineArn": child_arn,
        "Input": {"value.$": "$.value", "wait.$": "$.wait", "fail.$": "$.fail"},
    }
    return task_machine(START + pattern, Parameters=parameters, **fields)


def children(sfn, child_arn):
    return sfn.list_executions(stateMachineArn=child_arn)["executions"]


def test_request_response_returns_the_start_reply(sfn, child):
    execution = start(sfn, create(sfn, parent(child)), {"value": 1, "wait": 10, "fail": False})
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    (started,) = children(sfn, child)
    assert ran.output["ExecutionArn"] == started["executionArn"]
    assert ran.output["StartDate"] == int(started["startDate"].timestamp() * 1000)
    assert ran.output["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert started["status"] == "RUNNING"
    scheduled = event(ran, "TaskScheduled")["taskScheduledEventDetails"]
    assert (scheduled["resourceType"], scheduled["resource"]) == ("states", "startExecution")


def test_sync_waits_and_returns_output_as_a_string(sfn, child):
    execution = start(sfn, create(sfn, parent(child, ".sync")), {"value": "v", "wait": 30, "fail": False})
    sfn.backend.advance(29)
    assert read(sfn, execution).status == "RUNNING"
    sfn.backend.advance(1)
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    result = ran.output
    assert result["Status"] == "SUCCEEDED"
    assert result["Output"] == '{"echo":"v"}'
    assert json.loads(result["Input"]) == {"value": "v", "wait": 30, "fail": False}
    assert result["InputDetails"] == {"Included": True}
    assert result["StopDate"] - result["StartDate"] == 30_000
    assert result["RedriveStatus"] == "NOT_REDRIVABLE"
    assert ran.types[4:6] == ["TaskSubmitted", "TaskSucceeded"]
    assert elapsed(ran, "TaskSucceeded") == 30


def test_sync2_returns_parsed_input_and_output(sfn, child):
    execution = start(sfn, create(sfn, parent(child, ".sync:2")), {"value": [1, 2], "wait": 1, "fail": False})
    sfn.backend.settle()
    result = read(sfn, execution).output
    assert result["Output"] == {"echo": [1, 2]}
    assert result["Input"] == {"value": [1, 2], "wait": 1, "fail": False}


def test_sync_child_failure_fails_the_task_with_its_description(sfn, child):
    execution = start(sfn, create(sfn, parent(child, ".sync")), {"value": 0, "wait": 1, "fail": True})
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert (ran.status, ran.describe["error"]) == ("FAILED", "States.TaskFailed")
    cause = json.loads(ran.describe["cause"])
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "Child.Broken", "asked to")


def test_stopping_the_parent_stops_a_sync_child(sfn, child):
    execution = start(sfn, create(sfn, parent(child, ".sync")), {"value": 0, "wait": 100, "fail": False})
    sfn.stop_execution(executionArn=execution)
    (started,) = children(sfn, child)
    assert started["status"] == "ABORTED"


def test_task_timeout_stops_a_sync_child(sfn, child):
    definition = parent(child, ".sync:2", TimeoutSeconds=20)
    execution = start(sfn, create(sfn, definition), {"value": 0, "wait": 100, "fail": False})
    sfn.backend.advance(20)
    ran = read(sfn, execution)
    assert (ran.status, ran.describe["error"]) == ("FAILED", "States.Timeout")
    assert "TaskTimedOut" in ran.types
    (started,) = children(sfn, child)
    assert started["status"] == "ABORTED"


def test_request_response_child_survives_the_parent(sfn, child):
    execution = start(sfn, create(sfn, parent(child)), {"value": 0, "wait": 100, "fail": False})
    sfn.stop_execution(executionArn=execution)
    (started,) = children(sfn, child)
    assert started["status"] == "RUNNING"


def test_child_reports_back_through_wait_for_task_token(sfn):
    reporter = {
        "StartAt": "Report",
        "States": {
            "Report": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess",
                "Parameters": {"TaskToken.$": "$.token", "Output.$": "States.JsonToString($.result)"},
                "End": True,
            }
        },
    }
    child_arn = create(sfn, reporter, name="reporter")
    parameters = {
        "StateMachineArn": child_arn,
        "Input": {
            "token.$": "$$.Task.Token",
            "result": {"ok": 1},
            "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id",
        },
    }
    execution = start(sfn, create(sfn, task_machine(START + ".waitForTaskToken", Parameters=parameters)))
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"ok": 1}
    (reported,) = children(sfn, child_arn)
    assert reported["status"] == "SUCCEEDED"
    assert sfn.backend.store.executions[reported["executionArn"]].parent == execution


def test_starting_a_missing_machine_is_a_step_functions_error(sfn, child):
    missing = child.replace(":child", ":nope")
    ran = read(sfn, start(sfn, create(sfn, parent(missing)), {"value": 0, "wait": 0, "fail": False}))
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "StepFunctions.StateMachineDoesNotExistException"
    assert (
        "(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist;"
        in ran.describe["cause"]
    )


def test_duplicate_child_name_is_execution_already_exists(sfn, child):
    definition = parent(child)
    definition["States"]["Work"]["Parameters"]["Name"] = "only-once"
    machine = create(sfn, definition)
    start(sfn, machine, {"value": 0, "wait": 0, "fail": False})
    sfn.backend.settle()
    ran = read(sfn, start(sfn, machine, {"value": 1, "wait": 0, "fail": False}))
    assert ran.describe["error"] == "StepFunctions.ExecutionAlreadyExistsException"
