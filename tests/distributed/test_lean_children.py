"""Ended Map Run children keep what the API reads of them, and let go of the rest.

A Distributed Map may keep 100,000 children. Once a child has ended, DescribeExecution,
ListExecutions, DescribeStateMachineForExecution and a Map Run redrive read it; nothing
reads its running machinery (fiber, deadline timer, completion signal), and an EXPRESS
child has no history to read (AWS keeps none; GetExecutionHistory refuses it).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROLE_ARN
from tests.distributed.helpers import children, distributed_map, map_run_arn, run_map

CHECK_THEN_TAG = {
    "StartAt": "Check",
    "States": {
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}],
            "Default": "Small",
        },
        "Big": {"Type": "Pass", "Parameters": {"n.$": "$.n", "big": True}, "End": True},
        "Small": {"Type": "Pass", "End": True},
    },
}


@pytest.mark.parametrize("execution_type", ["STANDARD", "EXPRESS"])
def test_ended_children_answer_the_api_as_before(sfn, execution_type):
    definition = distributed_map(CHECK_THEN_TAG, execution_type=execution_type, Label="tags")
    ran = run_map(sfn, definition, [{"n": 1}, {"n": 2}])
    assert ran.output == [{"n": 1}, {"n": 2, "big": True}]
    run_arn = map_run_arn(sfn, ran.arn)
    kids = children(sfn, run_arn)
    assert [(kid["status"], kid["itemCount"], kid["mapRunArn"]) for kid in kids] == [
        ("SUCCEEDED", 1, run_arn),
        ("SUCCEEDED", 1, run_arn),
    ]
    kind = "express" if execution_type == "EXPRESS" else "execution"
    assert all(f":{kind}:machine/tags:" in kid["executionArn"] for kid in kids)
    described = [sfn.describe_execution(executionArn=kid["executionArn"]) for kid in kids]
    assert [json.loads(d["input"]) for d in described] == [{"n": 1}, {"n": 2}]
    assert [json.loads(d["output"]) for d in described] == [{"n": 1}, {"n": 2, "big": True}]
    machine = sfn.describe_state_machine_for_execution(executionArn=kids[0]["executionArn"])
    assert machine["label"] == "tags"
    assert machine["mapRunArn"] == run_arn
    assert json.loads(machine["definition"])["StartAt"] == "Check"


def test_ended_children_let_go_of_their_running_parts(sfn):
    ran = run_map(sfn, distributed_map(CHECK_THEN_TAG, execution_type="EXPRESS"), [{"n": 1}, {"n": 2}])
    records = [
        sfn.backend.store.executions[kid["executionArn"]] for kid in children(sfn, map_run_arn(sfn, ran.arn))
    ]
    for record in records:
        assert (record.fiber, record.timeout_timer, record.completion, record.gates) == (
            None,
            None,
            None,
            None,
        )
        # Counted, not kept: ExecutionStarted, two states entered and exited, ExecutionSucceeded.
        assert (len(record.history), record.history.kept_count) == (6, 0)
    # One definition text and one parsed processor for every child of the run.
    assert records[0].definition_text is records[1].definition_text
    assert records[0].machine is records[1].machine


def test_a_late_waiter_on_an_ended_execution_is_told_at_once(sfn):
    ran = run_map(sfn, distributed_map(execution_type="EXPRESS"), [1])
    kid = children(sfn, map_run_arn(sfn, ran.arn))[0]
    record = sfn.backend.store.executions[kid["executionArn"]]
    told = []
    record.when_done(lambda signal: told.append(signal.value))
    assert told == [record]


def test_a_stepped_express_execution_shows_its_events(sfn, sfn_backend):
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}},
    }
    machine = sfn.create_state_machine(
        name="quick", definition=json.dumps(definition), roleArn=ROLE_ARN, type="EXPRESS"
    )["stateMachineArn"]
    sfn_backend.pause_executions()
    arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    assert [e["type"] for e in sfn_backend.step(arn)] == ["PassStateEntered", "PassStateExited"]
    assert [e["id"] for e in sfn_backend.step(arn)] == [4, 5, 6]
