"""One clock API in time-machine's habits: seconds or timedelta, naive means UTC, no going back.

And auto-advance that lets code poll while a worker answers a task token.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

import fakesfn
from tests.conftest import ROLE_ARN

UTC = dt.timezone.utc
START = dt.datetime(2024, 1, 1, tzinfo=UTC)


def machine(sfn, definition, name="m"):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]


# --- advance / move_to ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (90, START + dt.timedelta(seconds=90)),
        (0.5, START + dt.timedelta(seconds=0.5)),
        (dt.timedelta(days=1, minutes=1), START + dt.timedelta(days=1, minutes=1)),
        (0, START),
        (dt.timedelta(0), START),
    ],
)
def test_advance_takes_seconds_or_a_timedelta(sfn_backend, by, expected):
    sfn_backend.advance(by)
    assert sfn_backend.clock.now() == expected


def test_advance_by_a_timedelta_runs_what_falls_due(sfn, sfn_backend):
    arn = machine(sfn, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": True}}})
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn_backend.advance(dt.timedelta(hours=23))
    assert sfn.describe_execution(executionArn=run)["status"] == "RUNNING"
    sfn_backend.advance(dt.timedelta(hours=1))
    done = sfn.describe_execution(executionArn=run)
    assert done["status"] == "SUCCEEDED"
    assert done["stopDate"] == START + dt.timedelta(days=1)


@pytest.mark.parametrize("by", [-1, -0.001, dt.timedelta(seconds=-1)])
def test_advance_into_the_past_is_refused_and_changes_nothing(sfn_backend, by):
    sfn_backend.advance(10)
    with pytest.raises(ValueError, match="cannot move virtual time backwards"):
        sfn_backend.advance(by)
    assert sfn_backend.clock.now() == START + dt.timedelta(seconds=10)


@pytest.mark.parametrize("by", ["10", None, True, [1]])
def test_advance_refuses_what_is_not_a_duration(sfn_backend, by):
    with pytest.raises(TypeError, match="seconds .a number. or a timedelta"):
        sfn_backend.advance(by)


@pytest.mark.parametrize("by", [float("nan"), float("inf")])
def test_advance_refuses_a_duration_that_is_not_finite(sfn_backend, by):
    with pytest.raises(ValueError, match="not a finite duration"):
        sfn_backend.advance(by)
    assert sfn_backend.clock.now() == START


def test_move_to_reads_a_naive_datetime_as_utc_whatever_the_local_zone(sfn_backend, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    if hasattr(__import__("time"), "tzset"):
        __import__("time").tzset()
    try:
        sfn_backend.move_to(dt.datetime(2024, 1, 1, 5, 0))
        assert sfn_backend.clock.now() == dt.datetime(2024, 1, 1, 5, 0, tzinfo=UTC)
    finally:
        monkeypatch.undo()
        if hasattr(__import__("time"), "tzset"):
            __import__("time").tzset()


def test_move_to_an_aware_datetime_in_another_zone(sfn_backend):
    paris = dt.timezone(dt.timedelta(hours=1))
    sfn_backend.move_to(dt.datetime(2024, 1, 1, 2, 0, tzinfo=paris))
    assert sfn_backend.clock.now() == dt.datetime(2024, 1, 1, 1, 0, tzinfo=UTC)


def test_move_to_the_past_is_refused_like_advance(sfn_backend):
    sfn_backend.move_to(dt.datetime(2024, 6, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match=r"cannot move virtual time backwards to 2024-01-02T00:00:00Z"):
        sfn_backend.move_to(dt.datetime(2024, 1, 2))
    assert sfn_backend.clock.now() == dt.datetime(2024, 6, 1, tzinfo=UTC)


def test_move_to_now_is_a_no_op(sfn_backend):
    sfn_backend.move_to(START)
    assert sfn_backend.clock.now() == START


def test_move_to_refuses_what_is_not_a_datetime(sfn_backend):
    with pytest.raises(TypeError, match="expected a datetime"):
        sfn_backend.move_to("2024-01-02")


def test_a_naive_start_time_means_utc_everywhere():
    naive = dt.datetime(2030, 5, 6, 7, 8, 9)
    for backend in (
        fakesfn.Backend(start_time=naive),
        fakesfn.FakeSFNClient(start_time=naive).backend,
        fakesfn.mock_sfn(start_time=naive).backend,
    ):
        assert backend.clock.now() == naive.replace(tzinfo=UTC)


def test_the_standalone_clock_follows_the_same_rules():
    clock = fakesfn.VirtualClock()
    clock.advance(dt.timedelta(minutes=2))
    assert clock.now() == START + dt.timedelta(minutes=2)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="backwards"):
        clock.move_to(START)
    clock.move_to(dt.datetime(2024, 1, 1, 0, 5))
    assert clock.now() == START + dt.timedelta(minutes=5)


# --- auto-advance and callbacks -----------------------------------------------------------------

CALLBACK = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "ask", "Payload": {"token.$": "$$.Task.Token"}},
            "HeartbeatSeconds": 60,
            "End": True,
        }
    },
}


def wait_for(client, execution_arn, sleep):
    """Production code: poll until the execution ends."""
    while True:
        status = client.describe_execution(executionArn=execution_arn)["status"]
        if status != "RUNNING":
            return status
        sleep(5)


@pytest.fixture
def asker(sfn, sfn_backend):
    """A machine whose task hands its token to a Lambda function and waits for an answer."""
    sfn_backend.register_lambda("ask", lambda event, context: None)
    return machine(sfn, CALLBACK)


def _token(sfn, run):
    for event in sfn.get_execution_history(executionArn=run)["events"]:
        details = event.get("taskScheduledEventDetails")
        if details:
            return json.loads(details["parameters"])["Payload"]["token"]
    raise AssertionError("no TaskScheduled event")


def test_polling_while_the_test_answers_the_token_does_not_jump_to_the_heartbeat_timeout(
    sfn, sfn_backend, asker
):
    run = sfn.start_execution(stateMachineArn=asker)["executionArn"]
    token = _token(sfn, run)
    sfn_backend.auto_advance = True
    polls = []

    def sleep(_seconds):  # the worker answers on the third poll
        polls.append(sfn_backend.clock.now())
        if len(polls) == 3:
            sfn.send_task_success(taskToken=token, output='{"ok": true}')

    assert wait_for(sfn, run, sleep) == "SUCCEEDED"
    # Each poll moved the clock one bounded step (1 s by default), never 60 s or a year.
    assert [(p - START).total_seconds() for p in polls] == [1, 2, 3]


def test_polling_while_a_worker_thread_answers(sfn, sfn_backend, asker):
    run = sfn.start_execution(stateMachineArn=asker)["executionArn"]
    token = _token(sfn, run)
    sfn_backend.auto_advance = True
    worker = threading.Thread(target=lambda: sfn.send_task_success(taskToken=token, output="{}"))
    worker.start()
    try:
        status = wait_for(sfn, run, sleep=lambda _seconds: None)
    finally:
        worker.join()
    assert status == "SUCCEEDED"


def test_nobody_answers_then_the_heartbeat_timeout_fires_after_that_many_polls(sfn, sfn_backend, asker):
    sfn_backend.auto_advance = True
    sfn_backend.auto_advance_step = dt.timedelta(seconds=10)
    run = sfn.start_execution(stateMachineArn=asker)["executionArn"]
    polls = []
    assert wait_for(sfn, run, sleep=polls.append) == "FAILED"
    # Polls at 10, 20, ... 50 s see RUNNING; the sixth, at 60 s, sees the heartbeat timeout.
    assert len(polls) == 5
    assert sfn.describe_execution(executionArn=run)["error"] == "States.Timeout"


def test_an_unbounded_step_jumps_straight_to_the_timeout(sfn, sfn_backend, asker):
    sfn_backend.auto_advance = True
    sfn_backend.auto_advance_step = None
    run = sfn.start_execution(stateMachineArn=asker)["executionArn"]
    assert sfn.describe_execution(executionArn=run)["status"] == "FAILED"
    assert sfn_backend.clock.now() == START + dt.timedelta(seconds=60)


def test_waits_on_time_alone_still_finish_in_one_poll_per_timer(sfn, sfn_backend):
    sfn_backend.auto_advance = True
    arn = machine(sfn, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": True}}})
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    polls = []
    assert wait_for(sfn, run, sleep=polls.append) == "SUCCEEDED"
    assert polls == []


def test_an_activity_waiting_for_its_worker_is_stepped_too(sfn, sfn_backend):
    sfn_backend.auto_advance = True
    activity = sfn.create_activity(name="review")["activityArn"]
    arn = machine(
        sfn, {"StartAt": "Review", "States": {"Review": {"Type": "Task", "Resource": activity, "End": True}}}
    )
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    for _ in range(3):
        assert sfn.describe_execution(executionArn=run)["status"] == "RUNNING"
    assert sfn_backend.clock.now() == START + dt.timedelta(seconds=3)  # not a year later
    task = sfn.get_activity_task(activityArn=activity)
    sfn.send_task_success(taskToken=task["taskToken"], output="{}")
    assert sfn.describe_execution(executionArn=run)["status"] == "SUCCEEDED"


@pytest.mark.parametrize("step", [0, -1])
def test_the_step_must_be_positive(sfn_backend, step):
    with pytest.raises(ValueError):
        sfn_backend.auto_advance_step = step
