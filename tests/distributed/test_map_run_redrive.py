"""Map Run redrive: redriving the parent reruns only a Distributed Map's unsuccessful children."""

from __future__ import annotations

import json

import pytest

from fakesfn.engine.redrive import redrive_status
from tests.conftest import history
from tests.distributed.helpers import children, map_run_arn, start

FLAKY = "arn:aws:lambda:us-east-1:123456789012:function:flaky"
COUNTER = "arn:aws:lambda:us-east-1:123456789012:function:counter"
GET_OBJECT = "arn:aws:states:::s3:getObject"
PUT_OBJECT = "arn:aws:states:::s3:putObject"
FIFTEEN_DAYS = 15 * 24 * 3600


class Flaky:
    """Fails for the items in ``failing`` until ``healed``; counts the calls per item."""

    def __init__(self, failing=()):
        self.failing = set(failing)
        self.healed = False
        self.calls: dict = {}

    def __call__(self, event, context):
        n = event["n"]
        self.calls[n] = self.calls.get(n, 0) + 1
        if n in self.failing and not self.healed:
            raise RuntimeError(f"item {n} not yet")
        return {"done": n}


class Counter:
    """Passes its input on; counts the calls per item (to see which states ran again)."""

    def __init__(self):
        self.calls: dict = {}

    def __call__(self, event, context):
        self.calls[event["n"]] = self.calls.get(event["n"], 0) + 1
        return event


def machine(processor: dict, *, execution_type: str = "STANDARD", after: bool = True, **fields) -> dict:
    """A Distributed Map ``Fan`` over ``processor``, then (``after``) a Pass state ``Done``."""
    body = {**processor, "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type}}
    fan = {"Type": "Map", "ItemProcessor": body, **fields}
    if after:
        fan["Next"] = "Done"
        return {"StartAt": "Fan", "States": {"Fan": fan, "Done": {"Type": "Pass", "End": True}}}
    fan["End"] = True
    return {"StartAt": "Fan", "States": {"Fan": fan}}


COUNT_THEN_WORK = {
    "StartAt": "Count",
    "States": {
        "Count": {"Type": "Task", "Resource": COUNTER, "Next": "Work"},
        "Work": {"Type": "Task", "Resource": FLAKY, "End": True},
    },
}

ITEMS = [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}]


def register(sfn_backend, failing=()) -> tuple[Flaky, Counter]:
    flaky, counter = Flaky(failing), Counter()
    sfn_backend.register_lambda("flaky", flaky)
    sfn_backend.register_lambda("counter", counter)
    return flaky, counter


def describe(sfn, arn):
    return sfn.describe_execution(executionArn=arn)


def types_after_redrive(sfn, arn, nth: int = 1) -> list[str]:
    types = [e["type"] for e in history(sfn, arn)]
    starts = [i for i, kind in enumerate(types) if kind == "ExecutionRedriven"]
    return types[starts[nth - 1] :]


def map_run_record(sfn, run_arn):
    return sfn.backend.store.map_runs.get(run_arn)


@pytest.mark.parametrize(("execution_type", "first_state_again"), [("STANDARD", 1), ("EXPRESS", 2)])
def test_redrive_reruns_only_the_failed_children_of_the_same_map_run(
    sfn, sfn_backend, execution_type, first_state_again
):
    flaky, counter = register(sfn_backend, failing={2, 4})
    # One at a time, one failure tolerated: 1 ok, 2 fails, 3 ok, 4 fails and ends the run.
    definition = machine(
        COUNT_THEN_WORK, execution_type=execution_type, MaxConcurrency=1, ToleratedFailureCount=1
    )
    arn = start(sfn, definition, ITEMS)
    sfn_backend.settle()
    assert describe(sfn, arn)["error"] == "States.ExceedToleratedFailureThreshold"
    run_arn = map_run_arn(sfn, arn)
    failed = sfn.describe_map_run(mapRunArn=run_arn)
    assert failed["status"] == "FAILED"
    assert failed["redriveCount"] == 0
    assert "redriveDate" not in failed
    assert (failed["executionCounts"]["succeeded"], failed["executionCounts"]["failed"]) == (2, 2)
    first_arns = [unit.execution.arn for unit in map_run_record(sfn, run_arn).units]

    flaky.healed = True
    sfn_backend.advance(60)
    redriven_at = sfn.redrive_execution(executionArn=arn)["redriveDate"]
    sfn_backend.settle()

    described = describe(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"done": 1}, {"done": 2}, {"done": 3}, {"done": 4}]
    assert [run["mapRunArn"] for run in sfn.list_map_runs(executionArn=arn)["mapRuns"]] == [run_arn]
    run = sfn.describe_map_run(mapRunArn=run_arn)
    assert run["status"] == "SUCCEEDED"
    assert (run["redriveCount"], run["redriveDate"]) == (1, redriven_at)
    assert run["stopDate"] == redriven_at
    for counts in (run["executionCounts"], run["itemCounts"]):
        assert counts == {
            "pending": 0,
            "running": 0,
            "succeeded": 4,
            "failed": 0,
            "timedOut": 0,
            "aborted": 0,
            "total": 4,
            "resultsWritten": 4,
            "failuresNotRedrivable": 0,
            "pendingRedrive": 0,
        }
    # The succeeded children did not run again; the failed ones reran the failed Task.
    assert flaky.calls == {1: 1, 2: 2, 3: 1, 4: 2}
    # STANDARD children continue from their failed state; EXPRESS ones start over.
    assert counter.calls == {1: 1, 2: first_state_again, 3: 1, 4: first_state_again}
    assert [unit.execution.arn for unit in map_run_record(sfn, run_arn).units] == first_arns
    after = types_after_redrive(sfn, arn)
    assert after[:4] == ["ExecutionRedriven", "MapStateEntered", "MapStateStarted", "MapRunRedriven"]
    assert "MapRunStarted" not in after
    assert after[-2:] == ["PassStateExited", "ExecutionSucceeded"]
    redriven_event = next(e for e in history(sfn, arn) if e["type"] == "MapRunRedriven")
    assert redriven_event["mapRunRedrivenEventDetails"] == {"mapRunArn": run_arn, "redriveCount": 1}


def test_standard_children_are_redriven_with_their_own_arn_and_history(sfn, sfn_backend):
    flaky, _ = register(sfn_backend, failing={2, 4})
    definition = machine(COUNT_THEN_WORK, MaxConcurrency=1, ToleratedFailureCount=1, Label="Jobs")
    arn = start(sfn, definition, ITEMS)
    sfn_backend.settle()
    run_arn = map_run_arn(sfn, arn)
    kids = children(sfn, run_arn)
    assert [kid["status"] for kid in kids] == ["SUCCEEDED", "FAILED", "SUCCEEDED", "FAILED"]
    failed_kid = describe(sfn, kids[1]["executionArn"])
    assert (failed_kid["redriveStatus"], failed_kid["redriveCount"]) == ("REDRIVABLE", 0)

    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()

    again = children(sfn, run_arn)
    assert [kid["executionArn"] for kid in again] == [kid["executionArn"] for kid in kids]
    assert [kid["redriveCount"] for kid in again] == [0, 1, 0, 1]
    redriven = sfn.list_executions(mapRunArn=run_arn, redriveFilter="REDRIVEN")["executions"]
    assert sorted(kid["executionArn"] for kid in redriven) == sorted(
        [kids[1]["executionArn"], kids[3]["executionArn"]]
    )
    kid = describe(sfn, kids[1]["executionArn"])
    assert (kid["status"], kid["redriveCount"]) == ("SUCCEEDED", 1)
    assert json.loads(kid["output"]) == {"done": 2}
    kid_types = types_after_redrive(sfn, kids[1]["executionArn"])
    assert kid_types == ["ExecutionRedriven", "TaskStateEntered"] + kid_types[2:]
    assert "ExecutionRedriven" not in [e["type"] for e in history(sfn, kids[0]["executionArn"])]


def test_express_children_are_redrivable_by_the_map_run_only(sfn, sfn_backend):
    flaky, _ = register(sfn_backend, failing={2})
    arn = start(sfn, machine(COUNT_THEN_WORK, execution_type="EXPRESS", after=False), [{"n": 2}])
    sfn_backend.settle()
    run_arn = map_run_arn(sfn, arn)
    (unit,) = map_run_record(sfn, run_arn).units
    now = sfn_backend.clock.time()
    assert redrive_status(unit.execution, now) == ("REDRIVABLE_BY_MAP_RUN", None)
    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    assert unit.execution.status == "SUCCEEDED"
    assert redrive_status(unit.execution, now) == (
        "NOT_REDRIVABLE",
        "Execution is SUCCEEDED and cannot be redriven",
    )
    # AWS: the redriveDate "is unavailable if you redrive a Map Run that starts child
    # workflow executions of type EXPRESS": they run again as new attempts.
    assert (unit.execution.redrive_count, unit.execution.redrive_date) == (0, None)


def test_children_wait_in_pending_redrive_for_the_concurrency_limit(sfn, sfn_backend):
    flaky, _ = register(sfn_backend, failing={1, 2, 3})
    processor = {
        "StartAt": "Work",
        "States": {
            "Work": {"Type": "Task", "Resource": FLAKY, "Next": "Nap"},
            "Nap": {"Type": "Wait", "Seconds": 10, "End": True},
        },
    }
    arn = start(sfn, machine(processor, MaxConcurrency=1, ToleratedFailureCount=2), ITEMS[:3])
    sfn_backend.settle()
    run_arn = map_run_arn(sfn, arn)
    assert sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["failed"] == 3

    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    counts = sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]
    assert (counts["running"], counts["pendingRedrive"], counts["failed"]) == (1, 2, 0)
    waiting = sfn.list_executions(mapRunArn=run_arn, statusFilter="PENDING_REDRIVE")["executions"]
    assert len(waiting) == 2
    assert describe(sfn, waiting[0]["executionArn"])["redriveStatus"] == "NOT_REDRIVABLE"

    sfn_backend.advance(10)
    counts = sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]
    assert (counts["succeeded"], counts["running"], counts["pendingRedrive"]) == (1, 1, 1)
    sfn_backend.settle()
    assert describe(sfn, arn)["status"] == "SUCCEEDED"
    counts = sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]
    assert (counts["succeeded"], counts["pendingRedrive"]) == (3, 0)


def test_a_map_run_redriven_again_counts_its_redrives(sfn, sfn_backend):
    flaky, _ = register(sfn_backend, failing={1})
    arn = start(sfn, machine(COUNT_THEN_WORK, after=False, MaxConcurrency=1), [{"n": 5}, {"n": 1}])
    sfn_backend.settle()
    run_arn = map_run_arn(sfn, arn)
    sfn.redrive_execution(executionArn=arn)  # still failing
    sfn_backend.settle()
    assert describe(sfn, arn)["status"] == "FAILED"
    run = sfn.describe_map_run(mapRunArn=run_arn)
    assert (run["status"], run["redriveCount"]) == ("FAILED", 1)
    assert (run["executionCounts"]["failed"], run["executionCounts"]["succeeded"]) == (1, 1)

    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    assert json.loads(describe(sfn, arn)["output"]) == [{"done": 5}, {"done": 1}]
    assert sfn.describe_map_run(mapRunArn=run_arn)["redriveCount"] == 2
    details = [e["mapRunRedrivenEventDetails"] for e in history(sfn, arn) if e["type"] == "MapRunRedriven"]
    assert details == [
        {"mapRunArn": run_arn, "redriveCount": 1},
        {"mapRunArn": run_arn, "redriveCount": 2},
    ]
    assert flaky.calls == {1: 3, 5: 1}


LATE_PROCESSOR = {
    "StartAt": "Which",
    "States": {
        "Which": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Boom"}],
            "Default": "Long",
        },
        "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "item one"},
        "Long": {"Type": "Wait", "Seconds": FIFTEEN_DAYS, "Next": "Work"},
        "Work": {"Type": "Task", "Resource": FLAKY, "End": True},
    },
}
"""Item 1 fails at once; the others fail (while the lambda does) fifteen days later."""


def test_children_past_their_redrivable_period_stay_failed(sfn, sfn_backend):
    flaky, _ = register(sfn_backend, failing={2})
    arn = start(sfn, machine(LATE_PROCESSOR, after=False, ToleratedFailureCount=1), [{"n": 1}, {"n": 2}])
    sfn_backend.settle()
    assert describe(sfn, arn)["status"] == "FAILED"
    run_arn = map_run_arn(sfn, arn)
    first, second = children(sfn, run_arn)
    # AWS: "A Standard child workflow execution might not be redrivable if the parent
    # workflow execution has closed within 14 days, but the child ... earlier than 14 days."
    assert describe(sfn, first["executionArn"])["redriveStatus"] == "NOT_REDRIVABLE"
    counts = sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]
    assert (counts["failed"], counts["failuresNotRedrivable"]) == (2, 1)

    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    described = describe(sfn, arn)
    assert described["status"] == "SUCCEEDED"  # the one permanent failure is tolerated
    output = json.loads(described["output"])
    assert output[0]["Status"] == "FAILED"
    assert output[0]["Error"] == "Boom"
    assert output[1] == {"done": 2}
    assert describe(sfn, first["executionArn"])["redriveCount"] == 0
    assert describe(sfn, second["executionArn"])["redriveCount"] == 1
    counts = sfn.describe_map_run(mapRunArn=run_arn)["itemCounts"]
    assert (counts["succeeded"], counts["failed"], counts["failuresNotRedrivable"]) == (1, 1, 1)


def test_a_permanent_failure_still_counts_towards_the_threshold(sfn, sfn_backend):
    register(sfn_backend, failing={2})  # never healed
    arn = start(sfn, machine(LATE_PROCESSOR, after=False, ToleratedFailureCount=1), [{"n": 1}, {"n": 2}])
    sfn_backend.settle()
    run_arn = map_run_arn(sfn, arn)
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    # AWS: children that can't be redriven "are counted towards the tolerated failure
    # threshold and considered as failed": one permanent failure and one new one.
    assert describe(sfn, arn)["error"] == "States.ExceedToleratedFailureThreshold"
    run = sfn.describe_map_run(mapRunArn=run_arn)
    assert (run["status"], run["redriveCount"]) == ("FAILED", 1)
    counts = run["executionCounts"]
    assert (counts["failed"], counts["failuresNotRedrivable"], counts["pendingRedrive"]) == (2, 1, 0)
    first, second = children(sfn, run_arn)
    assert (first["redriveCount"], second["redriveCount"]) == (0, 1)


def test_an_aborted_map_run_is_redriven(sfn, sfn_backend):
    processor = {
        "StartAt": "Nap",
        "States": {
            "Nap": {"Type": "Wait", "Seconds": 60, "Next": "Keep"},
            "Keep": {"Type": "Pass", "End": True},
        },
    }
    arn = start(sfn, machine(processor, after=False), [{"n": 1}, {"n": 2}])
    sfn_backend.advance(10)
    sfn.stop_execution(executionArn=arn)
    run_arn = map_run_arn(sfn, arn)
    assert sfn.describe_map_run(mapRunArn=run_arn)["status"] == "ABORTED"
    sfn.redrive_execution(executionArn=arn)
    assert sfn.describe_map_run(mapRunArn=run_arn)["status"] == "RUNNING"
    assert "stopDate" not in sfn.describe_map_run(mapRunArn=run_arn)
    sfn_backend.settle()
    assert json.loads(describe(sfn, arn)["output"]) == [{"n": 1}, {"n": 2}]
    run = sfn.describe_map_run(mapRunArn=run_arn)
    assert (run["status"], run["redriveCount"], run["executionCounts"]["succeeded"]) == ("SUCCEEDED", 1, 2)
    assert [kid["redriveCount"] for kid in children(sfn, run_arn)] == [1, 1]


def test_item_reader_failure_is_redriven_with_the_items_in_s3(sfn, sfn_backend, s3):
    reader = {
        "Resource": GET_OBJECT,
        "ReaderConfig": {"InputType": "JSON"},
        "Parameters": {"Bucket": "source-data", "Key": "redrive/late.json"},
    }
    arn = start(
        sfn,
        machine(
            {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": True}}},
            after=False,
            ItemReader=reader,
        ),
        {},
    )
    sfn_backend.settle()
    assert describe(sfn, arn)["error"] == "States.ItemReaderFailed"
    run_arn = map_run_arn(sfn, arn)
    assert sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["total"] == 0

    s3.put_object(Bucket="source-data", Key="redrive/late.json", Body=json.dumps(["a", "b", "c"]))
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    assert json.loads(describe(sfn, arn)["output"]) == ["a", "b", "c"]
    assert [run["mapRunArn"] for run in sfn.list_map_runs(executionArn=arn)["mapRuns"]] == [run_arn]
    run = sfn.describe_map_run(mapRunArn=run_arn)
    assert (run["status"], run["redriveCount"]) == ("SUCCEEDED", 1)
    assert (run["itemCounts"]["total"], run["itemCounts"]["succeeded"]) == (3, 3)
    assert types_after_redrive(sfn, arn)[:4] == [
        "ExecutionRedriven",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunRedriven",
    ]


def test_a_map_run_failed_by_a_runtime_error_is_replaced(sfn, sfn_backend, s3):
    s3.put_object(Bucket="source-data", Key="redrive/rows.json", Body=json.dumps([{"other": 1}]))
    reader = {
        "Resource": GET_OBJECT,
        "ReaderConfig": {"InputType": "JSON"},
        "Parameters": {"Bucket": "source-data", "Key": "redrive/rows.json"},
    }
    definition = machine(
        {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": True}}},
        after=False,
        ItemReader=reader,
        ItemSelector={"k.$": "$$.Map.Item.Value.k"},
    )
    arn = start(sfn, definition, {})
    sfn_backend.settle()
    assert describe(sfn, arn)["error"] == "States.Runtime"
    first_run = map_run_arn(sfn, arn)

    s3.put_object(Bucket="source-data", Key="redrive/rows.json", Body=json.dumps([{"k": 7}]))
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    assert json.loads(describe(sfn, arn)["output"]) == [{"k": 7}]
    # AWS: "A new Map Run is started and the existing Map Run isn't redriven" after a
    # States.Runtime data interpolation error.
    runs = [run["mapRunArn"] for run in sfn.list_map_runs(executionArn=arn)["mapRuns"]]
    assert len(runs) == 2
    assert runs[1] == first_run
    assert sfn.describe_map_run(mapRunArn=first_run)["redriveCount"] == 0
    after = types_after_redrive(sfn, arn)
    assert "MapRunStarted" in after
    assert "MapRunRedriven" not in after


def test_a_map_run_not_started_before_the_failure_is_started_by_the_redrive(sfn, sfn_backend):
    flaky, _ = register(sfn_backend, failing={0})
    fan = machine({"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": True}}}, after=False)
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "StartAt": "Later",
                        "States": {
                            "Later": {"Type": "Wait", "Seconds": 5, "Next": "Fan"},
                            "Fan": {**fan["States"]["Fan"], "ItemsPath": "$.items"},
                        },
                    },
                    {
                        "StartAt": "Call",
                        "States": {
                            "Call": {"Type": "Task", "Resource": FLAKY, "Parameters": {"n": 0}, "End": True}
                        },
                    },
                ],
            }
        },
    }
    arn = start(sfn, definition, {"items": [1, 2]})
    sfn_backend.settle()
    assert describe(sfn, arn)["status"] == "FAILED"
    assert sfn.list_map_runs(executionArn=arn)["mapRuns"] == []

    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    assert json.loads(describe(sfn, arn)["output"]) == [[1, 2], {"done": 0}]
    run_arn = map_run_arn(sfn, arn)
    assert sfn.describe_map_run(mapRunArn=run_arn)["redriveCount"] == 0
    assert "MapRunStarted" in types_after_redrive(sfn, arn)


def test_result_writer_writes_every_child_after_the_redrive(sfn, sfn_backend, s3):
    flaky, _ = register(sfn_backend, failing={2})
    writer = {"Resource": PUT_OBJECT, "Parameters": {"Bucket": "map-results", "Prefix": "redrive"}}
    definition = machine(COUNT_THEN_WORK, after=False, MaxConcurrency=1, ResultWriter=writer)
    arn = start(sfn, definition, ITEMS[:3])
    sfn_backend.settle()
    run_arn = map_run_arn(sfn, arn)
    folder = f"redrive/{run_arn.rsplit(':', 1)[1]}/"

    def read(key):
        return json.loads(s3.get_object(Bucket="map-results", Key=key)["Body"].read())

    manifest = read(folder + "manifest.json")
    assert [len(manifest["ResultFiles"][group]) for group in ("FAILED", "PENDING", "SUCCEEDED")] == [1, 1, 1]

    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    output = json.loads(describe(sfn, arn)["output"])
    assert output == {
        "MapRunArn": run_arn,
        "ResultWriterDetails": {"Bucket": "map-results", "Key": folder + "manifest.json"},
    }
    manifest = read(folder + "manifest.json")
    assert (manifest["ResultFiles"]["FAILED"], manifest["ResultFiles"]["PENDING"]) == ([], [])
    (succeeded,) = manifest["ResultFiles"]["SUCCEEDED"]
    records = read(succeeded["Key"])
    assert [json.loads(record["Output"]) for record in records] == [{"done": 1}, {"done": 2}, {"done": 3}]
    assert [record["RedriveCount"] for record in records] == [0, 1, 0]
    counts = sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]
    assert (counts["resultsWritten"], counts["succeeded"]) == (3, 3)


def test_the_map_run_redrive_limit_fails_the_state(sfn, sfn_backend):
    flaky, _ = register(sfn_backend, failing={1})
    arn = start(sfn, machine(COUNT_THEN_WORK, after=False), [{"n": 1}])
    sfn_backend.settle()
    run_arn = map_run_arn(sfn, arn)
    map_run_record(sfn, run_arn).redrive_count = 1000
    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    described = describe(sfn, arn)
    assert described["error"] == "States.Runtime"
    assert "maximum number of redrives (1000)" in described["cause"]
    assert flaky.calls == {1: 1}


def test_a_nested_map_run_is_redriven_inside_its_redriven_child(sfn, sfn_backend):
    flaky, _ = register(sfn_backend, failing={2})
    work = {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": FLAKY, "End": True}}}
    inner = machine(work, after=False, Label="Inner", ItemsPath="$.parts")
    arn = start(
        sfn, machine(inner, after=False, Label="Outer"), [{"parts": [{"n": 1}]}, {"parts": [{"n": 2}]}]
    )
    sfn_backend.settle()
    outer_run = map_run_arn(sfn, arn)
    failed_kid = children(sfn, outer_run)[1]["executionArn"]
    inner_run = map_run_arn(sfn, failed_kid)
    flaky.healed = True
    sfn.redrive_execution(executionArn=arn)
    sfn_backend.settle()
    assert json.loads(describe(sfn, arn)["output"]) == [[{"done": 1}], [{"done": 2}]]
    assert map_run_arn(sfn, failed_kid) == inner_run
    assert sfn.describe_map_run(mapRunArn=inner_run)["redriveCount"] == 1
    assert flaky.calls == {1: 1, 2: 2}


def test_redrives_are_deterministic():
    import fakesfn

    def redriven_history(seed):
        client = fakesfn.FakeSFNClient(backend=fakesfn.Backend(seed=seed), region_name="us-east-1")
        flaky, _ = register(client.backend, failing={2, 4})
        definition = machine(COUNT_THEN_WORK, execution_type="EXPRESS", ToleratedFailureCount=1)
        arn = start(client, definition, ITEMS)
        client.backend.settle()
        flaky.healed = True
        client.redrive_execution(executionArn=arn)
        client.backend.settle()
        return history(client, arn)

    assert redriven_history(3) == redriven_history(3)
