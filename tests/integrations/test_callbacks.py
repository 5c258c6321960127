"""``.waitForTaskToken``: the token in the Context object, completion from any client, deadlines."""

from __future__ import annotations

import pytest

import fakesfn
from tests.integrations.helpers import create, elapsed, event, read, start, task_machine

INVOKE_WAIT = "arn:aws:states:::lambda:invoke.waitForTaskToken"


@pytest.fixture
def inbox(sfn_backend):
    """A registered function that keeps every event it receives (tokens included)."""
    received = []

    def handler(event, context):
        received.append(event)
        return {"queued": True}

    sfn_backend.register_lambda("enqueue", handler)
    return received


def callback_machine(**fields):
    parameters = {"FunctionName": "enqueue", "Payload": {"token.$": "$$.Task.Token", "order.$": "$.order"}}
    return task_machine(INVOKE_WAIT, Parameters=parameters, **fields)


def test_token_reaches_the_service_and_success_resumes(sfn, inbox):
    execution = start(sfn, create(sfn, callback_machine()), {"order": 12})
    ((message,),) = [inbox]
    assert message["order"] == 12
    assert read(sfn, execution).status == "RUNNING"
    sfn.send_task_success(taskToken=message["token"], output='{"shipped": 12}')
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"shipped": 12}
    assert ran.types == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    submitted = event(ran, "TaskSubmitted")["taskSubmittedEventDetails"]
    assert (submitted["resourceType"], submitted["resource"]) == ("lambda", "invoke.waitForTaskToken")
    assert '"queued":true' in submitted["output"]
    assert event(ran, "TaskSucceeded")["taskSucceededEventDetails"]["output"] == '{"shipped": 12}'


def test_token_appears_in_the_scheduled_parameters(sfn, inbox):
    execution = start(sfn, create(sfn, callback_machine()), {"order": 1})
    scheduled = event(read(sfn, execution), "TaskScheduled")["taskScheduledEventDetails"]
    assert inbox[0]["token"] in scheduled["parameters"]


def test_any_client_on_the_backend_can_complete(sfn, inbox):
    execution = start(sfn, create(sfn, callback_machine()), {"order": 2})
    other = fakesfn.FakeSFNClient(backend=sfn.backend, region_name="us-east-1")
    other.send_task_failure(taskToken=inbox[0]["token"], error="Out.OfStock", cause="none left")
    ran = read(sfn, execution)
    assert (ran.status, ran.describe["error"], ran.describe["cause"]) == (
        "FAILED",
        "Out.OfStock",
        "none left",
    )
    assert event(ran, "TaskFailed")["taskFailedEventDetails"] == {
        "resourceType": "lambda",
        "resource": "invoke.waitForTaskToken",
        "error": "Out.OfStock",
        "cause": "none left",
    }


def test_jsonata_sees_the_token_in_states_context(sfn, inbox):
    definition = task_machine(
        INVOKE_WAIT,
        QueryLanguage="JSONata",
        Arguments={
            "FunctionName": "enqueue",
            "Payload": {"token": "{% $states.context.Task.Token %}", "order": 3},
        },
    )
    execution = start(sfn, create(sfn, definition))
    sfn.send_task_success(taskToken=inbox[0]["token"], output="[1, 2]")
    assert read(sfn, execution).output == [1, 2]


def test_task_context_is_gone_after_the_task(sfn, inbox):
    definition = callback_machine()
    definition["States"]["Work"].pop("End")
    definition["States"]["Work"]["Next"] = "After"
    definition["States"]["After"] = {"Type": "Pass", "Parameters": {"context.$": "$$"}, "End": True}
    execution = start(sfn, create(sfn, definition), {"order": 4})
    sfn.send_task_success(taskToken=inbox[0]["token"], output="{}")
    assert "Task" not in read(sfn, execution).output["context"]


def test_every_attempt_gets_a_new_token(sfn, inbox):
    retry = [{"ErrorEquals": ["Try.Again"], "IntervalSeconds": 1, "MaxAttempts": 2}]
    execution = start(sfn, create(sfn, callback_machine(Retry=retry)), {"order": 5})
    sfn.send_task_failure(taskToken=inbox[0]["token"], error="Try.Again")
    sfn.backend.advance(1)
    assert len(inbox) == 2
    assert inbox[0]["token"] != inbox[1]["token"]
    sfn.send_task_success(taskToken=inbox[1]["token"], output="true")
    assert read(sfn, execution).output is True


def test_timeout_seconds_expires_at_the_exact_second(sfn, inbox):
    execution = start(sfn, create(sfn, callback_machine(TimeoutSeconds=60)), {"order": 6})
    sfn.backend.advance(59.5)
    assert read(sfn, execution).status == "RUNNING"
    sfn.backend.advance(0.5)
    ran = read(sfn, execution)
    assert (ran.status, ran.describe["error"]) == ("FAILED", "States.Timeout")
    assert elapsed(ran, "TaskTimedOut") == 60
    assert event(ran, "TaskTimedOut")["taskTimedOutEventDetails"] == {
        "resourceType": "lambda",
        "resource": "invoke.waitForTaskToken",
        "error": "States.Timeout",
    }
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=inbox[0]["token"], output="{}")


def test_heartbeats_keep_the_task_alive_until_they_stop(sfn, inbox):
    execution = start(
        sfn, create(sfn, callback_machine(HeartbeatSeconds=30, TimeoutSeconds=1000)), {"order": 7}
    )
    token = inbox[0]["token"]
    for _ in range(3):
        sfn.backend.advance(29)
        sfn.send_task_heartbeat(taskToken=token)
    sfn.backend.advance(30)
    ran = read(sfn, execution)
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Timeout"
    assert elapsed(ran, "TaskTimedOut") == 3 * 29 + 30


def test_timeout_seconds_wins_over_heartbeats(sfn, inbox):
    execution = start(
        sfn, create(sfn, callback_machine(HeartbeatSeconds=10, TimeoutSeconds=25)), {"order": 8}
    )
    for _ in range(3):
        sfn.backend.advance(9)
        if read(sfn, execution).status == "RUNNING":
            sfn.send_task_heartbeat(taskToken=inbox[0]["token"])
    ran = read(sfn, execution)
    assert ran.status == "FAILED"
    assert elapsed(ran, "TaskTimedOut") == 25


def test_timeout_goes_through_catch(sfn, inbox):
    definition = callback_machine(TimeoutSeconds=5)
    work = definition["States"]["Work"]
    work.pop("End")
    work["Catch"] = [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.failure", "Next": "Fallback"}]
    work["Next"] = "Fallback"
    definition["States"]["Fallback"] = {"Type": "Pass", "End": True}
    execution = start(sfn, create(sfn, definition), {"order": 9})
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    # A timed-out task hands its Catcher an empty Cause (recorded for lambda:invoke).
    assert ran.output == {"order": 9, "failure": {"Error": "States.Timeout", "Cause": ""}}


def test_second_completion_is_refused_as_timed_out(sfn, inbox):
    start(sfn, create(sfn, callback_machine()), {"order": 10})
    sfn.send_task_success(taskToken=inbox[0]["token"], output="{}")
    with pytest.raises(
        sfn.exceptions.TaskTimedOut, match=r"Task Timed Out: 'Provided task does not exist anymore'"
    ):
        sfn.send_task_failure(taskToken=inbox[0]["token"], error="Late")


def test_stop_execution_invalidates_the_token(sfn, inbox):
    execution = start(sfn, create(sfn, callback_machine(HeartbeatSeconds=5)), {"order": 11})
    sfn.stop_execution(executionArn=execution)
    sfn.backend.advance(100)
    ran = read(sfn, execution)
    assert ran.status == "ABORTED"
    assert "TaskTimedOut" not in ran.types
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_heartbeat(taskToken=inbox[0]["token"])


@pytest.mark.parametrize("token", ["not-a-token", "AQ" + "z" * 128])
def test_malformed_token_is_invalid(sfn, token):
    with pytest.raises(sfn.exceptions.InvalidToken, match=r"Invalid Token: 'Invalid token'"):
        sfn.send_task_success(taskToken=token, output="{}")


def test_well_formed_token_never_issued_does_not_exist(sfn):
    with pytest.raises(sfn.exceptions.TaskDoesNotExist):
        sfn.send_task_heartbeat(taskToken="AQ" + "0" * 128)


def test_output_that_is_not_json_is_invalid_output(sfn, inbox):
    execution = start(sfn, create(sfn, callback_machine()), {"order": 12})
    with pytest.raises(sfn.exceptions.InvalidOutput):
        sfn.send_task_success(taskToken=inbox[0]["token"], output="{not json")
    assert read(sfn, execution).status == "RUNNING"


def test_failure_without_error_or_cause(sfn, inbox):
    execution = start(sfn, create(sfn, callback_machine()), {"order": 13})
    sfn.send_task_failure(taskToken=inbox[0]["token"])
    ran = read(sfn, execution)
    assert ran.status == "FAILED"
    assert "cause" not in event(ran, "TaskFailed")["taskFailedEventDetails"]


def test_failure_of_the_request_part_is_task_failed(sfn, sfn_backend):
    def broken(event, context):
        raise fakesfn.LambdaError("Queue.Full", "no room")

    sfn_backend.register_lambda("enqueue", broken)
    ran = read(sfn, start(sfn, create(sfn, callback_machine()), {"order": 14}))
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "Queue.Full"
    assert "TaskSubmitted" not in ran.types


def test_callback_in_a_parallel_branch_is_closed_when_a_sibling_fails(sfn, inbox):
    waiting = callback_machine()
    waiting["States"]["Work"]["Parameters"]["Payload"] = {"token.$": "$$.Task.Token"}
    failing = {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Sibling.Failed"}}}
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": [waiting, failing], "End": True}},
    }
    ran = read(sfn, start(sfn, create(sfn, definition)))
    assert (ran.status, ran.describe["error"]) == ("FAILED", "Sibling.Failed")
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=inbox[0]["token"], output="{}")


def test_same_seed_same_tokens_and_histories():
    def run_once():
        client = fakesfn.FakeSFNClient(seed=3)
        tokens = []
        client.backend.register_lambda("enqueue", lambda event, context: tokens.append(event["token"]))
        execution = start(client, create(client, callback_machine(HeartbeatSeconds=9)), {"order": 1})
        client.backend.advance(4)
        client.send_task_success(taskToken=tokens[0], output='{"n": 1}')
        return tokens, read(client, execution).events

    assert run_once() == run_once()
