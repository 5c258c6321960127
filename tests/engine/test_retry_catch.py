"""Retry timing on the virtual clock, then Catch."""

from __future__ import annotations

import json


def flaky(times, error=RuntimeError):
    calls = {"n": 0}

    def handler(event, context):
        calls["n"] += 1
        if calls["n"] <= times:
            raise error(f"attempt {calls['n']}")
        return {"attempts": calls["n"]}

    return handler, calls


def task(**fields):
    state = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "End": True,
        **fields,
    }
    if state["End"] is None:
        del state["End"]
        state["Next"] = "Caught"
    states = {"T": state}
    if "Next" in state:
        states["Caught"] = {"Type": "Pass", "End": True}
    return {"StartAt": "T", "States": states}


def scheduled_offsets(ran):
    start = ran.events[0]["timestamp"]
    return [
        (e["timestamp"] - start).total_seconds() for e in ran.events if e["type"] == "LambdaFunctionScheduled"
    ]


def test_backoff_intervals_are_exact(run, sfn_backend):
    handler, calls = flaky(3)
    sfn_backend.register_lambda("f", handler)
    retry = [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}]
    ran = run(task(Retry=retry))
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"attempts": 4}
    assert scheduled_offsets(ran) == [0, 2, 8, 26]


def test_max_delay_caps_backoff(run, sfn_backend):
    handler, _ = flaky(4)
    sfn_backend.register_lambda("f", handler)
    retry = [
        {
            "ErrorEquals": ["States.ALL"],
            "IntervalSeconds": 10,
            "BackoffRate": 10,
            "MaxAttempts": 4,
            "MaxDelaySeconds": 50,
        }
    ]
    assert scheduled_offsets(run(task(Retry=retry))) == [0, 10, 60, 110, 160]


def test_full_jitter_is_seeded_and_bounded(run, sfn_backend):
    handler, _ = flaky(2)
    sfn_backend.register_lambda("f", handler)
    retry = [
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 8, "MaxAttempts": 2, "JitterStrategy": "FULL"}
    ]
    offsets = scheduled_offsets(run(task(Retry=retry)))
    assert 0 <= offsets[1] <= 8
    assert 0 <= offsets[2] - offsets[1] <= 16


def test_max_attempts_zero_never_retries(run, sfn_backend):
    handler, calls = flaky(1)
    sfn_backend.register_lambda("f", handler)
    ran = run(task(Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}]))
    assert ran.status == "FAILED"
    assert calls["n"] == 1


def test_first_matching_retrier_decides(run, sfn_backend):
    handler, calls = flaky(5, KeyError)
    sfn_backend.register_lambda("f", handler)
    retry = [
        {"ErrorEquals": ["KeyError"], "MaxAttempts": 1, "IntervalSeconds": 1},
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5, "IntervalSeconds": 1},
    ]
    ran = run(task(Retry=retry))
    assert ran.status == "FAILED"
    assert calls["n"] == 2


def test_catch_after_retries_with_result_path(run, sfn_backend):
    handler, calls = flaky(10, KeyError)
    sfn_backend.register_lambda("f", handler)
    ran = run(
        task(
            Retry=[{"ErrorEquals": ["KeyError"], "MaxAttempts": 1}],
            Catch=[{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.err", "Next": "Caught"}],
            End=None,
        ),
        {"keep": 1},
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output["keep"] == 1
    assert ran.output["err"]["Error"] == "KeyError"
    assert json.loads(ran.output["err"]["Cause"])["errorMessage"] == "'attempt 2'"
    assert ran.types[-4:] == ["TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def test_states_all_does_not_catch_runtime_errors(run):
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "X", "States": {"X": {"Type": "Pass", "InputPath": "$.missing", "End": True}}}
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}],
                "End": True,
            },
            "C": {"Type": "Pass", "End": True},
        },
    }
    ran = run(definition, {})
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Runtime"


def test_retry_count_in_context(run, sfn_backend):
    handler, _ = flaky(2)
    sfn_backend.register_lambda("f", handler)
    ran = run(
        task(Retry=[{"ErrorEquals": ["States.ALL"]}], ResultSelector={"count.$": "$$.State.RetryCount"})
    )
    assert ran.output == {"count": 2}
