"""``cdk synth`` output: DefinitionString built with Fn::Join, substitutions, bootstrap rules, metadata."""

from __future__ import annotations

import json
import re

import pytest

from fakesfn import Backend
from tests.iac.helpers import definition, describe, run

FUNCTION = "PriceHandler4D1A2B3C"
MACHINE = "OrdersStateMachineA1B2C3D4"


def synthesized():
    """A template shaped like ``cdk synth`` writes one (logical ids with hashes, Fn::Join definitions)."""
    return {
        "Description": "Orders stack",
        "Parameters": {
            "BootstrapVersion": {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/cdk-bootstrap/hnb659fds/version",
                "Description": "Version of the CDK Bootstrap resources in this environment",
            }
        },
        "Conditions": {
            "CDKMetadataAvailable": {
                "Fn::Or": [
                    {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
                    {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]},
                ]
            }
        },
        "Rules": {
            "CheckBootstrapVersion": {
                "Assertions": [
                    {
                        "Assert": {
                            "Fn::Not": [
                                {"Fn::Contains": [["1", "2", "3", "4", "5"], {"Ref": "BootstrapVersion"}]}
                            ]
                        },
                        "AssertDescription": "CDK bootstrap stack version 6 required.",
                    }
                ]
            }
        },
        "Resources": {
            "PriceHandlerServiceRole5F2E9A11": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17"}},
                "Metadata": {"aws:cdk:path": "Orders/PriceHandler/ServiceRole/Resource"},
            },
            FUNCTION: {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Code": {
                        "S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
                        "S3Key": "0123abcd.zip",
                    },
                    "Role": {"Fn::GetAtt": ["PriceHandlerServiceRole5F2E9A11", "Arn"]},
                    "Handler": "index.handler",
                    "Runtime": "nodejs20.x",
                },
                "DependsOn": ["PriceHandlerServiceRole5F2E9A11"],
            },
            "OrdersStateMachineRoleE2A6B1C0": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17"}},
            },
            MACHINE: {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "DefinitionString": {
                        "Fn::Join": [
                            "",
                            [
                                '{"StartAt":"Price","States":{"Price":{"Next":"Notify","Retry":[{"ErrorEquals":'
                                '["Lambda.ServiceException"],"IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2}],'
                                '"Type":"Task","OutputPath":"$.Payload","Resource":"arn:',
                                {"Ref": "AWS::Partition"},
                                ':states:::lambda:invoke","Parameters":{"FunctionName":"',
                                {"Fn::GetAtt": [FUNCTION, "Arn"]},
                                '","Payload.$":"$"}},"Notify":{"Type":"Pass","Parameters":{"region":"${Token[AWS.Region.12]}"'
                                ',"stage":"${Stage}"},"End":true}},"TimeoutSeconds":300}',
                            ],
                        ]
                    },
                    "DefinitionSubstitutions": {
                        "Token[AWS.Region.12]": {"Ref": "AWS::Region"},
                        "Stage": "beta",
                    },
                    "RoleArn": {"Fn::GetAtt": ["OrdersStateMachineRoleE2A6B1C0", "Arn"]},
                },
                "DependsOn": ["OrdersStateMachineRoleE2A6B1C0"],
                "UpdateReplacePolicy": "Delete",
                "DeletionPolicy": "Delete",
                "Metadata": {"aws:cdk:path": "Orders/OrdersStateMachine/Resource"},
            },
            "CDKMetadata": {
                "Type": "AWS::CDK::Metadata",
                "Properties": {"Analytics": "v2:deflate64:H4sIAAAAAAAA"},
                "Condition": "CDKMetadataAvailable",
            },
        },
        "Outputs": {"StateMachineArn": {"Value": {"Ref": MACHINE}}},
    }


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "cdk.out" / "Orders.template.json"
    path.parent.mkdir()
    path.write_text(json.dumps(synthesized(), indent=1), encoding="utf-8")
    return path


def test_a_synthesized_stack_deploys_under_its_cdk_stack_name(template):
    backend = Backend()
    stack = backend.deploy_template(template)
    assert stack.name == "Orders"  # Orders.template.json, as cdk names the file after the stack
    assert list(stack.state_machines) == [MACHINE]
    assert re.fullmatch(
        r"arn:aws:lambda:us-east-1:123456789012:function:Orders-PriceHandler4D1A2B3C-\w{12}",
        stack.functions[FUNCTION],
    )
    described = describe(backend, stack.state_machines[MACHINE])
    assert re.fullmatch(r"OrdersStateMachineA1B2C3D4-[A-Za-z0-9]{12}", described["name"])
    states = json.loads(described["definition"])["States"]
    assert states["Price"]["Resource"] == "arn:aws:states:::lambda:invoke"
    assert states["Price"]["Parameters"]["FunctionName"] == stack.functions[FUNCTION]
    assert states["Notify"]["Parameters"] == {"region": "us-east-1", "stage": "beta"}
    assert stack.outputs["StateMachineArn"] == stack.state_machines[MACHINE]


def test_the_synthesized_machine_runs_with_a_stand_in_for_its_function(template):
    backend = Backend()
    stack = backend.deploy_template(template)
    backend.register_lambda(stack.functions[FUNCTION], lambda event, context: {"price": 12, **event})
    done = run(backend, stack.state_machines[MACHINE], {"item": "pen"})
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == {"region": "us-east-1", "stage": "beta"}


def test_the_bootstrap_rule_runs_when_a_version_is_given(template):
    from fakesfn.iac import ParameterError

    with pytest.raises(
        ParameterError, match="Rule CheckBootstrapVersion failed: CDK bootstrap stack version 6 required."
    ):
        Backend().deploy_template(template, parameters={"BootstrapVersion": "5"})
    assert (
        Backend()
        .deploy_template(template, parameters={"BootstrapVersion": "21"})
        .parameters["BootstrapVersion"]
        == "21"
    )


def test_other_regions_and_partitions_go_into_every_arn(template):
    backend = Backend()
    stack = backend.deploy_template(template, region_name="cn-northwest-1", account_id="111122223333")
    machine = definition(backend, stack.state_machines[MACHINE])
    assert machine["States"]["Price"]["Resource"] == "arn:aws-cn:states:::lambda:invoke"
    assert stack.functions[FUNCTION].startswith(
        "arn:aws-cn:lambda:cn-northwest-1:111122223333:function:Orders-"
    )
    assert stack.state_machines[MACHINE].startswith(
        "arn:aws-cn:states:cn-northwest-1:111122223333:stateMachine:"
    )
