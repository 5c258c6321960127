"""deploy_template speaks, by default, for the region and account of whatever made the backend."""

from __future__ import annotations

import json

import pytest

import fakesfn

TEMPLATE = {
    "Resources": {
        "Flow": {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "StateMachineName": "flow",
                "DefinitionString": json.dumps(
                    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
                ),
                "RoleArn": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/flow"},
            },
        }
    }
}


@pytest.mark.fakesfn(region_name="eu-west-1", account_id="210987654321")
def test_the_fixture_marker_sets_the_default_region_and_account(sfn, sfn_backend):
    stack = sfn_backend.deploy_template(TEMPLATE)
    arn = stack.state_machines["Flow"]
    assert arn == "arn:aws:states:eu-west-1:210987654321:stateMachine:flow"
    assert sfn.describe_state_machine(stateMachineArn=arn)["roleArn"] == "arn:aws:iam::210987654321:role/flow"


def test_a_client_made_backend_deploys_in_the_clients_region():
    sfn = fakesfn.FakeSFNClient(region_name="cn-north-1", account_id="111122223333")
    arn = sfn.backend.deploy_template(TEMPLATE).state_machines["Flow"]
    assert arn == "arn:aws-cn:states:cn-north-1:111122223333:stateMachine:flow"
    assert sfn.describe_state_machine(stateMachineArn=arn)["name"] == "flow"


def test_mock_sfn_and_explicit_arguments():
    with fakesfn.mock_sfn(region_name="ap-south-1") as backend:
        assert (
            backend.deploy_template(TEMPLATE).state_machines["Flow"].startswith("arn:aws:states:ap-south-1:")
        )
        backend.reset()
        assert backend.region_name == "ap-south-1"
        explicit = backend.deploy_template(TEMPLATE, stack_name="other", region_name="us-west-2")
        assert explicit.state_machines["Flow"].startswith("arn:aws:states:us-west-2:123456789012:")
