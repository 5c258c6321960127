"""DescribeMapRun, ListMapRuns, UpdateMapRun and ListExecutions(mapRunArn) through the client."""

from __future__ import annotations

import pytest

from tests.distributed.helpers import children, distributed_map, finish, map_run_arn, start

MISSING_RUN = (
    "arn:aws:states:us-east-1:123456789012:mapRun:machine/Label:00000000-0000-4000-8000-000000000000"
)


def waiting(seconds: int) -> dict:
    return {
        "StartAt": "Nap",
        "States": {
            "Nap": {"Type": "Wait", "Seconds": seconds, "Next": "Keep"},
            "Keep": {"Type": "Pass", "End": True},
        },
    }


def boom_on_odd() -> dict:
    return {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.odd", "BooleanEquals": True, "Next": "Boom"}],
                "Default": "Keep",
            },
            "Boom": {"Type": "Fail", "Error": "Boom"},
            "Keep": {"Type": "Pass", "End": True},
        },
    }


def test_describe_running_then_finished(sfn):
    arn = start(sfn, distributed_map(waiting(30), MaxConcurrency=1, Label="Work"), ["a", "b"])
    run_arn = map_run_arn(sfn, arn)
    running = sfn.describe_map_run(mapRunArn=run_arn)
    assert running["status"] == "RUNNING"
    assert "stopDate" not in running
    assert running["executionArn"] == arn
    assert running["maxConcurrency"] == 1
    assert (running["toleratedFailurePercentage"], running["toleratedFailureCount"]) == (0.0, 0)
    assert running["itemCounts"] == {
        "pending": 1,
        "running": 1,
        "succeeded": 0,
        "failed": 0,
        "timedOut": 0,
        "aborted": 0,
        "total": 2,
        "resultsWritten": 0,
        "failuresNotRedrivable": 0,
        "pendingRedrive": 0,
    }
    finish(sfn, arn)
    done = sfn.describe_map_run(mapRunArn=run_arn)
    assert done["status"] == "SUCCEEDED"
    assert (done["stopDate"] - done["startDate"]).total_seconds() == 60
    assert done["executionCounts"]["succeeded"] == 2
    assert done["executionCounts"]["resultsWritten"] == 2


def test_list_map_runs_newest_first_and_paginated(sfn):
    one = distributed_map(Label="One")["States"]["Fan"]
    del one["End"]
    definition = {
        "StartAt": "One",
        "States": {
            "One": {**one, "Next": "Two"},
            "Two": distributed_map(Label="Two")["States"]["Fan"],
        },
    }
    arn = start(sfn, definition, [1])
    finish(sfn, arn)
    first = sfn.list_map_runs(executionArn=arn, maxResults=1)
    assert [run["mapRunArn"].split(":mapRun:")[1].split(":")[0] for run in first["mapRuns"]] == [
        "machine/Two"
    ]
    second = sfn.list_map_runs(executionArn=arn, maxResults=1, nextToken=first["nextToken"])
    assert second["mapRuns"][0]["mapRunArn"].split(":mapRun:")[1].startswith("machine/One:")
    assert "nextToken" not in second
    item = second["mapRuns"][0]
    assert set(item) == {"executionArn", "mapRunArn", "stateMachineArn", "startDate", "stopDate"}


def test_list_map_runs_of_unknown_or_malformed_execution(sfn):
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.list_map_runs(executionArn="arn:aws:states:us-east-1:123456789012:execution:machine:nope")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.list_map_runs(executionArn="not-an-arn")


def test_describe_and_update_unknown_or_malformed_map_run(sfn):
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_map_run(mapRunArn=MISSING_RUN)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.update_map_run(mapRunArn=MISSING_RUN, maxConcurrency=2)
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_map_run(mapRunArn="arn:aws:states:us-east-1:123456789012:stateMachine:machine")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.update_map_run(mapRunArn="nope", maxConcurrency=1)


def test_update_map_run_validation(sfn):
    arn = start(sfn, distributed_map(waiting(5)), [1])
    run_arn = map_run_arn(sfn, arn)
    with pytest.raises(sfn.exceptions.ValidationException, match="less than or equal to 100"):
        sfn.update_map_run(mapRunArn=run_arn, toleratedFailurePercentage=101)
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.update_map_run(mapRunArn=run_arn)


def test_update_concurrency_starts_more_children_at_once(sfn):
    arn = start(sfn, distributed_map(waiting(10), MaxConcurrency=1), [1, 2, 3])
    run_arn = map_run_arn(sfn, arn)
    assert sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["running"] == 1
    sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=3)
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["maxConcurrency"] == 3
    assert described["executionCounts"]["running"] == 3
    finish(sfn, arn)
    done = sfn.describe_map_run(mapRunArn=run_arn)
    assert (done["stopDate"] - done["startDate"]).total_seconds() == 10


def test_update_thresholds_while_running(sfn):
    items = [{"odd": False}, {"odd": True}, {"odd": False}]
    processor = boom_on_odd()
    processor["States"]["Keep"] = {"Type": "Wait", "Seconds": 5, "End": True}
    arn = start(sfn, distributed_map(processor, MaxConcurrency=1), items)
    run_arn = map_run_arn(sfn, arn)
    sfn.update_map_run(mapRunArn=run_arn, toleratedFailureCount=1, toleratedFailurePercentage=50)
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert (described["toleratedFailureCount"], described["toleratedFailurePercentage"]) == (1, 50.0)
    ran = finish(sfn, arn)
    assert ran.status == "SUCCEEDED"
    assert [kid["status"] for kid in children(sfn, run_arn)] == ["SUCCEEDED", "FAILED", "SUCCEEDED"]


def test_lowering_the_threshold_fails_a_running_map_run(sfn):
    processor = boom_on_odd()
    processor["States"]["Keep"] = {"Type": "Wait", "Seconds": 5, "End": True}
    definition = distributed_map(processor, MaxConcurrency=1, ToleratedFailureCount=5)
    arn = start(sfn, definition, [{"odd": True}, {"odd": False}, {"odd": False}])
    run_arn = map_run_arn(sfn, arn)
    sfn.update_map_run(mapRunArn=run_arn, toleratedFailureCount=0)
    described = sfn.describe_execution(executionArn=arn)
    assert described["status"] == "FAILED"
    assert described["error"] == "States.ExceedToleratedFailureThreshold"
    assert sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["aborted"] == 1


def test_list_executions_by_map_run_filters_and_pages(sfn):
    arn = start(
        sfn, distributed_map(boom_on_odd(), ToleratedFailureCount=5), [{"odd": i % 2 == 1} for i in range(4)]
    )
    run_arn = map_run_arn(sfn, finish(sfn, arn).arn)
    failed = sfn.list_executions(mapRunArn=run_arn, statusFilter="FAILED")["executions"]
    assert len(failed) == 2
    first = sfn.list_executions(mapRunArn=run_arn, maxResults=3)
    rest = sfn.list_executions(mapRunArn=run_arn, maxResults=3, nextToken=first["nextToken"])
    assert len(first["executions"]) + len(rest["executions"]) == 4
    assert all(item["mapRunArn"] == run_arn for item in first["executions"])


def test_describe_state_machine_for_a_child(sfn):
    arn = start(sfn, distributed_map(Label="Kids"), [1])
    run_arn = map_run_arn(sfn, finish(sfn, arn).arn)
    kid = children(sfn, run_arn)[0]
    described = sfn.describe_state_machine_for_execution(executionArn=kid["executionArn"])
    assert described["mapRunArn"] == run_arn
    assert described["stateMachineArn"].endswith(":stateMachine:machine/Kids")
