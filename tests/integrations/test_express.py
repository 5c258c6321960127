"""What EXPRESS machines refuse at create time: activities, ``.sync``, ``.waitForTaskToken``."""

from __future__ import annotations

import json

import pytest

from fakesfn.asl.express import ACTIVITY, SYNC, WAIT_FOR_TASK_TOKEN, express_problems
from fakesfn.asl.parser import parse_definition
from tests.conftest import ROLE_ARN

ACTIVITY_ARN = "arn:aws:states:us-east-1:123456789012:activity:review"


def task(resource):
    return {"Type": "Task", "Resource": resource, "End": True}


def machine(states, start="A"):
    return parse_definition(json.dumps({"StartAt": start, "States": states}))


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        (ACTIVITY_ARN, ACTIVITY),
        ("arn:aws:states:::states:startExecution.sync", SYNC),
        ("arn:aws:states:::states:startExecution.sync:2", SYNC),
        ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", WAIT_FOR_TASK_TOKEN),
        ("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken", WAIT_FOR_TASK_TOKEN),
    ],
)
def test_refused_resources(resource, message):
    (problem,) = express_problems(machine({"A": task(resource)}))
    assert (problem.code, problem.message, problem.location) == (
        "SCHEMA_VALIDATION_FAILED",
        message,
        "/States/A/Resource",
    )


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::states:startExecution",
        "arn:aws:states:::aws-sdk:s3:listBuckets",
    ],
)
def test_request_response_is_fine(resource):
    assert express_problems(machine({"A": task(resource)})) == []


def test_rendering_keeps_aws_stray_space():
    (problem,) = express_problems(machine({"A": task("arn:aws:states:::sns:publish.waitForTaskToken")}))
    assert problem.render().endswith("service integration  at /States/A/Resource")


def test_nested_branches_and_processors_are_checked():
    inner = {"StartAt": "T", "States": {"T": task(ACTIVITY_ARN)}}
    states = {
        "P": {"Type": "Parallel", "Branches": [inner, inner], "Next": "M"},
        "M": {"Type": "Map", "ItemProcessor": inner, "End": True},
    }
    locations = [p.location for p in express_problems(machine(states, "P"))]
    assert locations == [
        "/States/P/Branches[0]/States/T/Resource",
        "/States/P/Branches[1]/States/T/Resource",
        "/States/M/ItemProcessor/States/T/Resource",
    ]


def test_create_state_machine_refuses_with_aws_message(sfn):
    definition = json.dumps({"StartAt": "A", "States": {"A": task(ACTIVITY_ARN)}})
    with pytest.raises(sfn.exceptions.InvalidDefinition) as refused:
        sfn.create_state_machine(name="fast", definition=definition, roleArn=ROLE_ARN, type="EXPRESS")
    assert refused.value.response["Error"]["Message"] == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support "
        "Activity ARN at /States/A/Resource'"
    )
