"""Distributed Map in the engine: child executions, history, selection, batching, thresholds."""

from __future__ import annotations

import json

import pytest

from tests.distributed.helpers import (
    children,
    distributed_map,
    finish,
    map_run_arn,
    run_map,
    start,
)

ACCOUNT_PREFIX = "arn:aws:states:us-east-1:123456789012"


def failing_from(threshold: int) -> dict:
    """Children whose numeric input is >= ``threshold`` fail with ``Boom``."""
    return {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericGreaterThanEquals": threshold, "Next": "Boom"}],
                "Default": "Keep",
            },
            "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "too big"},
            "Keep": {"Type": "Pass", "End": True},
        },
    }


def waiting(seconds: int) -> dict:
    return {
        "StartAt": "Nap",
        "States": {
            "Nap": {"Type": "Wait", "Seconds": seconds, "Next": "Keep"},
            "Keep": {"Type": "Pass", "End": True},
        },
    }


def test_outputs_of_children_in_item_order_and_history_shape(sfn):
    ran = run_map(sfn, distributed_map(), ["a", "b", "c"])
    assert ran.status == "SUCCEEDED"
    assert ran.output == ["a", "b", "c"]
    assert ran.types == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]
    by_type = {event["type"]: event for event in ran.events}
    run_started = by_type["MapRunStarted"]["id"]
    # AWS (recordings from 2024-11 on): MapRunSucceeded and MapStateExited both follow
    # MapRunStarted; MapStateSucceeded follows MapRunSucceeded.
    assert by_type["MapRunSucceeded"]["previousEventId"] == run_started
    assert by_type["MapStateExited"]["previousEventId"] == run_started
    assert by_type["MapStateSucceeded"]["previousEventId"] == by_type["MapRunSucceeded"]["id"]
    assert ran.details("MapStateStarted") == [{"length": 3}]
    assert ran.details("MapRunStarted")[0]["mapRunArn"] == map_run_arn(sfn, ran.arn)


def _prepared(map_fields: dict) -> dict:
    """A Pass that builds the items, then a distributed Map with ``map_fields``, then a Succeed."""
    machine = distributed_map(ItemsPath="$.content.values", **map_fields)
    fan = machine["States"]["Fan"]
    fan.pop("End")
    fan["Next"] = "Done"
    return {
        "StartAt": "Prepare",
        "States": {
            "Prepare": {
                "Type": "Pass",
                "Parameters": {"bucket": "b", "values": [1, 2, 3], "tolerated": 1},
                "ResultPath": "$.content",
                "Next": "Fan",
            },
            "Fan": fan,
            "Done": {"Type": "Succeed"},
        },
    }


@pytest.mark.parametrize(
    "map_fields",
    [
        {},
        {"ItemSelector": {"bucketName.$": "$.content.bucket", "value.$": "$$.Map.Item.Value"}},
        {"Parameters": {"value.$": "$$.Map.Item.Value"}},
        {"ToleratedFailureCount": 1},
        {"ToleratedFailurePercentage": 50},
        {"ToleratedFailureCountPath": "$.content.tolerated"},
        {"ToleratedFailurePercentagePath": "$.content.tolerated"},
        {"MaxConcurrency": 1, "Label": "Shards"},
    ],
    ids=[
        "plain",
        "item-selector",
        "parameters",
        "count",
        "percentage",
        "count-path",
        "percentage-path",
        "label",
    ],
)
def test_map_run_links_do_not_depend_on_the_configuration(sfn, map_fields):
    # Every AWS recording of a successful Distributed Map since November 2024 (LocalStack's
    # snapshots: ItemSelector with Parameters, items from a previous state, nested maps,
    # tolerated-failure paths, JSONata) links MapStateExited to MapRunStarted; the older ones
    # all link it to MapRunSucceeded, whatever their configuration: the date decides, not the
    # fields (tests/conformance/known_failures.txt lists the older recordings).
    ran = run_map(sfn, _prepared(map_fields), {})
    assert ran.status == "SUCCEEDED"
    link = {event["type"]: (event["id"], event["previousEventId"]) for event in ran.events}
    assert [event["type"] for event in ran.events][3:9] == [
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
    ]
    run_started = link["MapRunStarted"][0]
    assert link["MapRunStarted"][1] == link["MapStateStarted"][0]
    assert link["MapRunSucceeded"][1] == run_started
    assert link["MapStateSucceeded"][1] == link["MapRunSucceeded"][0]
    assert link["MapStateExited"][1] == run_started
    assert link["SucceedStateEntered"][1] == link["MapStateExited"][0]


def test_a_failed_map_run_links_each_event_to_the_one_before(sfn):
    # As in every recorded failing Map Run (three, all failed by their ItemReader, e.g.
    # test_map_item_reader_csv_max_items_paths[-1]): MapRunStarted, MapRunFailed, MapStateFailed
    # and ExecutionFailed form one chain, also when the children's failures exceed the tolerance.
    ran = run_map(sfn, distributed_map(failing_from(2), ToleratedFailureCount=0), [1, 2, 3])
    assert ran.status == "FAILED"
    tail = ran.events[-4:]
    assert [event["type"] for event in tail] == [
        "MapRunStarted",
        "MapRunFailed",
        "MapStateFailed",
        "ExecutionFailed",
    ]
    assert [event["previousEventId"] for event in tail[1:]] == [event["id"] for event in tail[:-1]]


def test_label_names_map_run_children_and_their_machine(sfn):
    ran = run_map(sfn, distributed_map(Label="Shards"), [1, 2], name="orders")
    run_arn = map_run_arn(sfn, ran.arn)
    assert run_arn.startswith(f"{ACCOUNT_PREFIX}:mapRun:orders/Shards:")
    kids = children(sfn, run_arn)
    assert len(kids) == 2
    for kid in kids:
        assert kid["stateMachineArn"] == f"{ACCOUNT_PREFIX}:stateMachine:orders/Shards"
        assert kid["executionArn"] == f"{ACCOUNT_PREFIX}:execution:orders/Shards:{kid['name']}"
        assert kid["mapRunArn"] == run_arn
        assert kid["status"] == "SUCCEEDED"
    listed = sfn.list_map_runs(executionArn=ran.arn)["mapRuns"][0]
    assert listed["stateMachineArn"] == f"{ACCOUNT_PREFIX}:stateMachine:orders/Shards"


def test_without_label_one_generated_label_per_state(sfn):
    definition = distributed_map()
    first = run_map(sfn, definition, [1])
    arn = first.describe["stateMachineArn"]
    second = sfn.start_execution(stateMachineArn=arn, input="[2]")["executionArn"]
    finish(sfn, second)
    label_one = map_run_arn(sfn, first.arn).split(":mapRun:")[1].split(":")[0]
    label_two = map_run_arn(sfn, second).split(":mapRun:")[1].split(":")[0]
    assert label_one == label_two
    assert label_one.startswith("machine/")


def test_child_execution_is_described_with_its_own_history(sfn):
    ran = run_map(sfn, distributed_map(Label="L"), [{"n": 1}])
    kid = children(sfn, map_run_arn(sfn, ran.arn))[0]
    described = sfn.describe_execution(executionArn=kid["executionArn"])
    assert json.loads(described["input"]) == {"n": 1}
    assert json.loads(described["output"]) == {"n": 1}
    assert described["mapRunArn"] == map_run_arn(sfn, ran.arn)
    events = sfn.get_execution_history(executionArn=kid["executionArn"])["events"]
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    # Children are not executions of the parent machine.
    listed = sfn.list_executions(stateMachineArn=ran.describe["stateMachineArn"])["executions"]
    assert [item["executionArn"] for item in listed] == [ran.arn]


def test_item_selector_sees_map_item_index_and_value(sfn):
    definition = distributed_map(
        ItemsPath="$.things",
        ItemSelector={"pos.$": "$$.Map.Item.Index", "thing.$": "$$.Map.Item.Value", "owner.$": "$.owner"},
    )
    ran = run_map(sfn, definition, {"owner": "ann", "things": ["x", "y"]})
    assert ran.output == [
        {"pos": 0, "thing": "x", "owner": "ann"},
        {"pos": 1, "thing": "y", "owner": "ann"},
    ]


def test_jsonata_items_and_item_selector(sfn):
    definition = distributed_map(
        Items="{% $states.input.values %}",
        ItemSelector={"v": "{% $states.context.Map.Item.Value * 10 %}"},
    )
    definition["QueryLanguage"] = "JSONata"
    ran = run_map(sfn, definition, {"values": [1, 2]})
    assert ran.output == [{"v": 10}, {"v": 20}]


def test_batches_by_count_with_batch_input(sfn):
    definition = distributed_map(
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"tag.$": "$.tag"}}, ItemsPath="$.v"
    )
    ran = run_map(sfn, definition, {"tag": "t", "v": [1, 2, 3, 4, 5]})
    assert ran.output == [
        {"BatchInput": {"tag": "t"}, "Items": [1, 2]},
        {"BatchInput": {"tag": "t"}, "Items": [3, 4]},
        {"BatchInput": {"tag": "t"}, "Items": [5]},
    ]
    described = sfn.describe_map_run(mapRunArn=map_run_arn(sfn, ran.arn))
    assert described["itemCounts"]["total"] == 5
    assert described["executionCounts"]["total"] == 3


def test_batches_by_bytes_from_path(sfn):
    item = "x" * 20
    definition = distributed_map(ItemBatcher={"MaxInputBytesPerBatchPath": "$.bytes"}, ItemsPath="$.v")
    ran = run_map(sfn, definition, {"bytes": "57", "v": [item] * 5})
    # {"Items":[]} is 12 bytes, each item 22 more and a comma: two fit in 57, three do not.
    assert ran.output == [{"Items": [item, item]}, {"Items": [item, item]}, {"Items": [item]}]


def test_max_concurrency_runs_children_in_index_order_on_virtual_time(sfn):
    definition = distributed_map(waiting(10), MaxConcurrency=2, Label="Slow")
    arn = start(sfn, definition, [1, 2, 3])
    run_arn = map_run_arn(sfn, arn)
    counts = sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]
    assert (counts["running"], counts["pending"]) == (2, 1)
    ran = finish(sfn, arn)
    kids = children(sfn, run_arn)
    starts = [kid["startDate"].timestamp() - kids[0]["startDate"].timestamp() for kid in kids]
    assert starts == [0, 0, 10]
    assert [json.loads(sfn.describe_execution(executionArn=k["executionArn"])["input"]) for k in kids] == [
        1,
        2,
        3,
    ]
    assert ran.output == [1, 2, 3]


def test_any_failure_fails_the_map_run_without_tolerance(sfn):
    definition = distributed_map(failing_from(3), MaxConcurrency=1)
    ran = run_map(sfn, definition, [1, 2, 3, 4, 5])
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.ExceedToleratedFailureThreshold"
    assert ran.types[-4:] == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]
    failed = next(e for e in ran.events if e["type"] == "MapRunFailed")
    assert failed["mapRunFailedEventDetails"]["error"] == "States.ExceedToleratedFailureThreshold"
    described = sfn.describe_map_run(mapRunArn=map_run_arn(sfn, ran.arn))
    assert described["status"] == "FAILED"
    counts = described["itemCounts"]
    assert (counts["succeeded"], counts["failed"], counts["pending"]) == (2, 1, 2)


def test_tolerated_failure_count_lets_the_map_succeed_with_failure_records(sfn):
    definition = distributed_map(failing_from(2), ToleratedFailureCount=1, Label="T")
    ran = run_map(sfn, definition, [1, 2])
    assert ran.status == "SUCCEEDED"
    first, second = ran.output
    assert first == 1
    # AWS: a failed child's result is its execution record, as with Transformation NONE.
    assert second["Status"] == "FAILED"
    assert (second["Error"], second["Cause"]) == ("Boom", "too big")
    assert second["Input"] == "2"
    assert second["StateMachineArn"].endswith(":stateMachine:machine/T")
    described = sfn.describe_map_run(mapRunArn=map_run_arn(sfn, ran.arn))
    assert described["toleratedFailureCount"] == 1
    assert described["itemCounts"]["failed"] == 1


@pytest.mark.parametrize(("percentage", "status"), [(50, "SUCCEEDED"), (49.9, "FAILED")])
def test_tolerated_failure_percentage_is_over_all_items(sfn, percentage, status):
    definition = distributed_map(failing_from(3), ToleratedFailurePercentage=percentage)
    ran = run_map(sfn, definition, [1, 2, 3, 4])
    assert ran.status == status


def test_tolerated_failure_paths_accept_numeric_strings(sfn):
    definition = distributed_map(
        failing_from(1),
        ToleratedFailureCountPath="$.count",
        ToleratedFailurePercentagePath="$.pct",
        ItemsPath="$.v",
    )
    ran = run_map(sfn, definition, {"count": "1", "pct": "100", "v": [1]})
    assert ran.status == "SUCCEEDED"
    described = sfn.describe_map_run(mapRunArn=map_run_arn(sfn, ran.arn))
    assert (described["toleratedFailureCount"], described["toleratedFailurePercentage"]) == (1, 100.0)


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (-1, "ToleratedFailurePercentage must be between 0 and 100."),
        (100.5, "ToleratedFailurePercentage must be between 0 and 100."),
        (
            "many",
            'The ToleratedFailurePercentagePath field refers to value "many" which is not a valid float: $.p',
        ),
    ],
)
def test_invalid_tolerated_percentage_fails_before_the_map_run(sfn, value, detail):
    definition = distributed_map(ToleratedFailurePercentagePath="$.p", ItemsPath="$.v")
    ran = run_map(sfn, definition, {"p": value, "v": [0]})
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"] == (
        f"An error occurred while executing the state 'Fan' (entered at the event id #2). {detail}"
    )
    assert "MapRunStarted" not in ran.types
    assert sfn.list_map_runs(executionArn=ran.arn)["mapRuns"] == []


def test_jsonata_tolerated_failure_count(sfn):
    processor = {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}}
    definition = distributed_map(processor, Items="{% [1, 2] %}", ToleratedFailureCount="{% 2 %}")
    definition["QueryLanguage"] = "JSONata"
    ran = run_map(sfn, definition, {})
    assert ran.status == "SUCCEEDED"
    assert [record["Status"] for record in ran.output] == ["FAILED", "FAILED"]


def test_threshold_failure_can_be_caught(sfn):
    definition = distributed_map(failing_from(0))
    fan = definition["States"]["Fan"]
    fan["Catch"] = [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Handled"}]
    definition["States"]["Handled"] = {"Type": "Pass", "End": True}
    ran = run_map(sfn, definition, [5])
    assert ran.status == "SUCCEEDED"
    assert ran.output["Error"] == "States.ExceedToleratedFailureThreshold"


def test_threshold_failure_aborts_running_children(sfn):
    processor = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Boom"}],
                "Default": "Nap",
            },
            "Boom": {"Type": "Fail", "Error": "Boom"},
            "Nap": {"Type": "Wait", "Seconds": 100, "End": True},
        },
    }
    ran = run_map(sfn, distributed_map(processor, MaxConcurrency=2), [0, 1, 2])
    assert ran.describe["error"] == "States.ExceedToleratedFailureThreshold"
    statuses = [kid["status"] for kid in children(sfn, map_run_arn(sfn, ran.arn))]
    assert statuses == ["FAILED", "ABORTED"]
    counts = sfn.describe_map_run(mapRunArn=map_run_arn(sfn, ran.arn))["executionCounts"]
    assert (counts["failed"], counts["aborted"], counts["pending"]) == (1, 1, 1)


def test_stopping_the_parent_aborts_the_map_run_and_children(sfn):
    arn = start(sfn, distributed_map(waiting(60)), [1, 2])
    sfn.stop_execution(executionArn=arn)
    run_arn = map_run_arn(sfn, arn)
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "ABORTED"
    assert described["executionCounts"]["aborted"] == 2
    assert [kid["status"] for kid in children(sfn, run_arn)] == ["ABORTED", "ABORTED"]
    types = [e["type"] for e in sfn.get_execution_history(executionArn=arn)["events"]]
    assert types[-1] == "ExecutionAborted"


def test_express_children_are_listed_and_described_through_their_map_run(sfn):
    ran = run_map(sfn, distributed_map(waiting(3), execution_type="EXPRESS"), [1, 2])
    assert ran.output == [1, 2]
    run_arn = map_run_arn(sfn, ran.arn)
    listed = sfn.list_executions(mapRunArn=run_arn)["executions"]
    assert len(listed) == 2
    assert {e["status"] for e in listed} == {"SUCCEEDED"}
    described = sfn.describe_execution(executionArn=listed[0]["executionArn"])
    assert described["mapRunArn"] == run_arn
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.get_execution_history(executionArn=listed[0]["executionArn"])
    assert sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["succeeded"] == 2


def test_empty_items_succeed_with_an_empty_array(sfn):
    ran = run_map(sfn, distributed_map(), [])
    assert ran.output == []
    assert sfn.describe_map_run(mapRunArn=map_run_arn(sfn, ran.arn))["status"] == "SUCCEEDED"


def test_same_seed_same_histories(sfn_backend):
    import fakesfn

    def histories(seed):
        client = fakesfn.FakeSFNClient(backend=fakesfn.Backend(seed=seed), region_name="us-east-1")
        arn = start(client, distributed_map(waiting(2), MaxConcurrency=2), [1, 2, 3])
        client.backend.settle()
        run_arn = map_run_arn(client, arn)
        kids = children(client, run_arn)
        return [
            client.get_execution_history(executionArn=a)["events"]
            for a in [arn] + [k["executionArn"] for k in kids]
        ]

    assert histories(7) == histories(7)


def test_failing_sibling_branch_aborts_the_map_run(sfn):
    fan = distributed_map(waiting(30))["States"]["Fan"]
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {"StartAt": "Fan", "States": {"Fan": fan}},
                    {
                        "StartAt": "Later",
                        "States": {
                            "Later": {"Type": "Wait", "Seconds": 5, "Next": "Boom"},
                            "Boom": {"Type": "Fail", "Error": "Boom"},
                        },
                    },
                ],
            }
        },
    }
    ran = run_map(sfn, definition, [1])
    assert ran.describe["error"] == "Boom"
    assert "MapRunAborted" in ran.types
    run_arn = map_run_arn(sfn, ran.arn)
    assert sfn.describe_map_run(mapRunArn=run_arn)["status"] == "ABORTED"
    assert [kid["status"] for kid in children(sfn, run_arn)] == ["ABORTED"]


def test_nested_distributed_maps(sfn):
    inner = distributed_map(Label="Inner", ItemsPath="$.parts")["States"]["Fan"]
    outer = distributed_map({"StartAt": "Fan", "States": {"Fan": inner}}, Label="Outer")
    ran = run_map(sfn, outer, [{"parts": [1, 2]}, {"parts": [3]}])
    assert ran.output == [[1, 2], [3]]
    kid = children(sfn, map_run_arn(sfn, ran.arn))[0]
    inner_runs = sfn.list_map_runs(executionArn=kid["executionArn"])["mapRuns"]
    assert inner_runs[0]["mapRunArn"].split(":mapRun:")[1].startswith("machine/Inner:")
