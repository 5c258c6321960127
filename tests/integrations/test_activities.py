"""Activity tasks: scheduling, workers, heartbeats and timeouts on the virtual clock."""

from __future__ import annotations

import json

import pytest

from tests.integrations.helpers import create, elapsed, event, read, start, task_machine


@pytest.fixture
def activity(sfn):
    return sfn.create_activity(name="resize-images")["activityArn"]


def test_worker_receives_input_and_success_ends_the_task(sfn, activity):
    execution = start(sfn, create(sfn, task_machine(activity)), {"size": 3})
    task = sfn.get_activity_task(activityArn=activity, workerName="worker-7")
    assert json.loads(task["input"]) == {"size": 3}
    sfn.send_task_success(taskToken=task["taskToken"], output='{"resized": true}')
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"resized": True}
    assert ran.types == [
        "ExecutionStarted",
        "TaskStateEntered",
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert event(ran, "ActivityScheduled")["activityScheduledEventDetails"] == {
        "resource": activity,
        "input": '{"size":3}',
        "inputDetails": {"truncated": False},
    }
    assert event(ran, "ActivityStarted")["activityStartedEventDetails"] == {"workerName": "worker-7"}
    assert event(ran, "ActivitySucceeded")["activitySucceededEventDetails"]["output"] == '{"resized": true}'


def test_started_event_has_no_worker_name_when_none_was_given(sfn, activity):
    execution = start(sfn, create(sfn, task_machine(activity)))
    task = sfn.get_activity_task(activityArn=activity)
    sfn.send_task_success(taskToken=task["taskToken"], output="{}")
    assert event(read(sfn, execution), "ActivityStarted")["activityStartedEventDetails"] == {}


def test_scheduled_event_carries_timeout_and_heartbeat(sfn, activity):
    machine = create(sfn, task_machine(activity, TimeoutSeconds=300, HeartbeatSecondsPath="$.beat"))
    execution = start(sfn, machine, {"beat": 20})
    details = event(read(sfn, execution), "ActivityScheduled")["activityScheduledEventDetails"]
    assert (details["timeoutInSeconds"], details["heartbeatInSeconds"]) == (300, 20)


def test_poll_with_nothing_scheduled_returns_empty_at_once(sfn, activity):
    before = sfn.backend.clock.now()
    reply = sfn.get_activity_task(activityArn=activity, workerName="idle")
    assert "taskToken" not in reply
    assert sfn.backend.clock.now() == before


def test_tasks_are_handed_out_oldest_first(sfn, activity):
    machine = create(sfn, task_machine(activity))
    first = start(sfn, machine, {"n": 1})
    sfn.backend.advance(1)
    second = start(sfn, machine, {"n": 2})
    inputs = [json.loads(sfn.get_activity_task(activityArn=activity)["input"]) for _ in range(2)]
    assert inputs == [{"n": 1}, {"n": 2}]
    assert "taskToken" not in sfn.get_activity_task(activityArn=activity)
    assert {read(sfn, arn).status for arn in (first, second)} == {"RUNNING"}


def test_unknown_activity_is_refused(sfn, activity):
    missing = activity.replace("resize-images", "missing")
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.get_activity_task(activityArn=missing)


def test_worker_name_longer_than_80_is_a_validation_error(sfn, activity):
    with pytest.raises(sfn.exceptions.ClientError, match="workerName"):
        sfn.get_activity_task(activityArn=activity, workerName="w" * 81)


def test_failure_carries_the_workers_error_and_cause(sfn, activity):
    execution = start(sfn, create(sfn, task_machine(activity)))
    token = sfn.get_activity_task(activityArn=activity)["taskToken"]
    sfn.send_task_failure(taskToken=token, error="Image.TooLarge", cause="4000x4000")
    ran = read(sfn, execution)
    assert (ran.status, ran.describe["error"], ran.describe["cause"]) == (
        "FAILED",
        "Image.TooLarge",
        "4000x4000",
    )
    assert event(ran, "ActivityFailed")["activityFailedEventDetails"] == {
        "error": "Image.TooLarge",
        "cause": "4000x4000",
    }


def test_timeout_counts_from_scheduling_to_the_exact_second(sfn, activity):
    execution = start(sfn, create(sfn, task_machine(activity, TimeoutSeconds=45)))
    sfn.backend.advance(44)
    assert read(sfn, execution).status == "RUNNING"
    sfn.backend.advance(1)
    ran = read(sfn, execution)
    assert (ran.status, ran.describe["error"]) == ("FAILED", "States.Timeout")
    assert elapsed(ran, "ActivityTimedOut") == 45
    assert event(ran, "ActivityTimedOut")["activityTimedOutEventDetails"] == {"error": "States.Timeout"}


def test_heartbeat_clock_starts_when_a_worker_takes_the_task(sfn, activity):
    execution = start(sfn, create(sfn, task_machine(activity, HeartbeatSeconds=10)))
    sfn.backend.advance(100)
    assert read(sfn, execution).status == "RUNNING"
    token = sfn.get_activity_task(activityArn=activity)["taskToken"]
    sfn.backend.advance(9)
    sfn.send_task_heartbeat(taskToken=token)
    sfn.backend.advance(9)
    sfn.send_task_heartbeat(taskToken=token)
    sfn.backend.advance(10)
    ran = read(sfn, execution)
    assert ran.status == "FAILED"
    assert elapsed(ran, "ActivityTimedOut") == 128
    assert ran.describe["error"] == "States.Timeout"


def test_heartbeat_timeout_is_caught_as_states_heartbeat_timeout(sfn, activity):
    definition = task_machine(activity, HeartbeatSeconds=5)
    definition["States"]["Work"].pop("End")
    definition["States"]["Work"]["Next"] = "Done"
    definition["States"]["Work"]["Catch"] = [
        {"ErrorEquals": ["States.HeartbeatTimeout"], "ResultPath": "$.error", "Next": "Done"}
    ]
    definition["States"]["Done"] = {"Type": "Pass", "End": True}
    execution = start(sfn, create(sfn, definition))
    sfn.get_activity_task(activityArn=activity)
    sfn.backend.advance(5)
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    # A timed-out task hands its Catcher an empty Cause (recorded for lambda:invoke).
    assert ran.output["error"] == {"Error": "States.Timeout", "Cause": ""}


def test_timeout_is_retried_with_a_fresh_task_and_token(sfn, activity):
    retry = [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 1}]
    execution = start(sfn, create(sfn, task_machine(activity, TimeoutSeconds=10, Retry=retry)))
    stale = sfn.get_activity_task(activityArn=activity)["taskToken"]
    sfn.backend.advance(12)
    fresh = sfn.get_activity_task(activityArn=activity, workerName="second")["taskToken"]
    assert fresh != stale
    with pytest.raises(sfn.exceptions.TaskTimedOut, match="Provided task does not exist anymore"):
        sfn.send_task_success(taskToken=stale, output="{}")
    sfn.send_task_success(taskToken=fresh, output='"done"')
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    assert ran.types.count("ActivityScheduled") == 2
    assert ran.types.count("ActivityTimedOut") == 1


def test_stopping_the_execution_invalidates_the_token_and_the_queue(sfn, activity):
    machine = create(sfn, task_machine(activity))
    taken = start(sfn, machine, name="taken")
    queued = start(sfn, machine, name="queued")
    token = sfn.get_activity_task(activityArn=activity)["taskToken"]
    sfn.stop_execution(executionArn=taken, error="Ops.Cancelled", cause="by hand")
    sfn.stop_execution(executionArn=queued)
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=token, output="{}")
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_heartbeat(taskToken=token)
    assert "taskToken" not in sfn.get_activity_task(activityArn=activity)
    ran = read(sfn, taken)
    assert ran.status == "ABORTED"
    # AWS records no task event for the interrupted task: ExecutionAborted follows it.
    assert ran.types[-2:] == ["ActivityStarted", "ExecutionAborted"]
    assert ran.events[-1]["executionAbortedEventDetails"] == {"error": "Ops.Cancelled", "cause": "by hand"}


def test_activity_that_does_not_exist_fails_the_state(sfn, activity):
    missing = activity.replace("resize-images", "never-created")
    ran = read(sfn, start(sfn, create(sfn, task_machine(missing))))
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Runtime"
    assert ran.types[2] == "ActivityScheduleFailed"


def test_parameters_and_context_shape_the_worker_input(sfn, activity):
    definition = task_machine(activity, Parameters={"item.$": "$.id", "token.$": "$$.Task.Token"})
    start(sfn, create(sfn, definition), {"id": "a-1"})
    task = sfn.get_activity_task(activityArn=activity)
    assert json.loads(task["input"]) == {"item": "a-1", "token": task["taskToken"]}
