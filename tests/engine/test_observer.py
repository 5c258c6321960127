"""The runtime's StateObserver port: told of every state entered, Choice rule taken, retry and catch.

The port a coverage tool builds on (issue 19): states inside Parallel branches and Map
item processors are reported with the sub-machine that holds them, and nested and
Distributed Map child executions with their own definitions.
"""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import ROLE_ARN
from tests.distributed.helpers import distributed_map, run_map

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:"


class Recorder:
    """A StateObserver that writes down what it is told."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, ...]] = []

    def state_entered(self, execution: Any, machine: Any, state: Any) -> None:
        self.seen.append(("entered", execution.name, machine.start_at, state.name))

    def choice_taken(self, execution: Any, machine: Any, state: Any, rule: int | None) -> None:
        self.seen.append(("choice", execution.name, state.name, rule))

    def retried(self, execution: Any, machine: Any, state: Any, retrier: int) -> None:
        self.seen.append(("retried", execution.name, state.name, retrier))

    def caught(self, execution: Any, machine: Any, state: Any, catcher: int) -> None:
        self.seen.append(("caught", execution.name, state.name, catcher))

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [entry[1:] for entry in self.seen if entry[0] == kind]


def observe(sfn: Any) -> Recorder:
    recorder = Recorder()
    sfn.backend.runtime.observer = recorder
    return recorder


def start(sfn: Any, definition: dict[str, Any], value: Any, name: str) -> str:
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    execution = sfn.start_execution(stateMachineArn=arn, name="run", input=json.dumps(value))
    sfn.backend.settle()
    return str(execution["executionArn"])


def test_choice_rules_and_default_are_reported_by_index(sfn):
    recorder = observe(sfn)
    definition = {
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.n", "NumericEquals": 1, "Next": "One"},
                    {"Variable": "$.n", "NumericEquals": 2, "Next": "Two"},
                ],
                "Default": "Other",
            },
            "One": {"Type": "Succeed"},
            "Two": {"Type": "Succeed"},
            "Other": {"Type": "Succeed"},
        },
    }
    start(sfn, definition, {"n": 2}, "two")
    start(sfn, definition, {"n": 9}, "nine")
    assert recorder.of("choice") == [("run", "Route", 1), ("run", "Route", None)]
    assert [entry[2] for entry in recorder.of("entered")] == ["Route", "Two", "Route", "Other"]


def test_jsonata_choice_rules_are_reported_too(sfn):
    recorder = observe(sfn)
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [
                    {"Condition": "{% $states.input.n = 1 %}", "Next": "Done"},
                    {"Condition": "{% $states.input.n = 3 %}", "Next": "Done"},
                ],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    start(sfn, definition, {"n": 3}, "jsonata")
    assert recorder.of("choice") == [("run", "Route", 1)]


def test_the_retrier_that_retried_and_the_catcher_that_fired_are_reported(sfn, sfn_backend):
    calls = {"n": 0}

    def flaky(event, context):
        calls["n"] += 1
        raise RuntimeError("down") if calls["n"] < 3 else ValueError("bad")

    sfn_backend.register_lambda("flaky", flaky)
    recorder = observe(sfn)
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": f"{LAMBDA}flaky",
                "Retry": [
                    {"ErrorEquals": ["ValueError"], "MaxAttempts": 0},
                    {"ErrorEquals": ["RuntimeError"], "IntervalSeconds": 1, "MaxAttempts": 5},
                ],
                "Catch": [
                    {"ErrorEquals": ["RuntimeError"], "Next": "Never"},
                    {"ErrorEquals": ["States.ALL"], "Next": "Handled"},
                ],
                "End": True,
            },
            "Never": {"Type": "Succeed"},
            "Handled": {"Type": "Succeed"},
        },
    }
    start(sfn, definition, {}, "flaky")
    assert recorder.of("retried") == [("run", "Call", 1), ("run", "Call", 1)]
    assert recorder.of("caught") == [("run", "Call", 1)]
    assert [entry[2] for entry in recorder.of("entered")] == ["Call", "Handled"]


def test_states_of_branches_and_item_processors_come_with_their_sub_machine(sfn):
    recorder = observe(sfn)
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                    {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": True}}},
                ],
                "Next": "Each",
            },
            "Each": {
                "Type": "Map",
                "ItemsPath": "$[0].items",
                "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}},
                "End": True,
            },
        },
    }
    start(sfn, definition, {"items": [1, 2]}, "nested")
    assert sorted(recorder.of("entered")) == sorted(
        [
            ("run", "Both", "Both"),
            ("run", "Left", "Left"),
            ("run", "Right", "Right"),
            ("run", "Both", "Each"),
            ("run", "Item", "Item"),
            ("run", "Item", "Item"),
        ]
    )


def test_nested_executions_are_reported_as_their_own(sfn):
    recorder = observe(sfn)
    child = {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}}
    child_arn = sfn.create_state_machine(name="child", definition=json.dumps(child), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    parent = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child_arn, "Name": "kid"},
                "End": True,
            }
        },
    }
    start(sfn, parent, {}, "parent")
    assert recorder.of("entered") == [("run", "Call", "Call"), ("kid", "Inner", "Inner")]


def test_distributed_map_children_are_reported_with_the_processor(sfn):
    recorder = observe(sfn)
    ran = run_map(sfn, distributed_map(), [1, 2, 3])
    assert ran.status == "SUCCEEDED"
    entered = recorder.of("entered")
    assert entered[0][1:] == ("Fan", "Fan")
    children = entered[1:]
    assert [entry[1:] for entry in children] == [("Keep", "Keep")] * 3
    assert len({entry[0] for entry in children}) == 3  # three child executions


def test_without_an_observer_nothing_is_reported_and_nothing_changes(sfn):
    assert sfn.backend.runtime.observer is None
    definition = {"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": True}}}
    arn = start(sfn, definition, {"v": 1}, "plain")
    assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
