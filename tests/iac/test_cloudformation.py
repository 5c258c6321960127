"""Plain CloudFormation templates (YAML with short tags): machines, activities and the handler's rules."""

from __future__ import annotations

import json
import re

import pytest

from fakesfn import Backend, FakeSFNClient
from fakesfn.iac import DeployError, TemplateFormatError, UnresolvableError
from tests.iac.helpers import ROLE, definition, describe, run, tags, write

TEMPLATE = """
AWSTemplateFormatVersion: 2010-09-09
Description: Orders, with a child machine and an approval activity
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  WaitSeconds:
    Type: Number
    Default: 60
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
Mappings:
  Retries:
    dev: {Attempts: 1}
    prod: {Attempts: 5}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17"}
  Approval:
    Type: AWS::StepFunctions::Activity
    Properties:
      Name: !Sub approval-${Stage}
      Tags:
        - {Key: stage, Value: !Ref Stage}
  Child:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt Role.Arn
      Definition:
        StartAt: Work
        States:
          Work:
            Type: Pass
            Result: {done: true, stage: !Ref Stage}
            End: true
  Parent:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: !Join ["-", [orders, !Ref Stage]]
      RoleArn: !GetAtt [Role, Arn]
      TracingConfiguration: {Enabled: !If [IsProd, true, false]}
      DefinitionString: !Sub
        - |
          {
            "StartAt": "Wait",
            "States": {
              "Wait": {"Type": "Wait", "Seconds": ${WaitSeconds}, "Next": "Child"},
              "Child": {
                "Type": "Task",
                "Resource": "arn:${AWS::Partition}:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": "${Child}", "Input": {"from": "${ChildName}"}},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": ${Attempts}}],
                "OutputPath": "$.Output",
                "End": true
              }
            }
          }
        - ChildName: !GetAtt Child.Name
          Attempts: !FindInMap [Retries, !Ref Stage, Attempts]
      Tags:
        - {Key: team, Value: orders}
  DevOnly:
    Type: AWS::StepFunctions::StateMachine
    Condition: IsProd
    Properties:
      RoleArn: !GetAtt Role.Arn
      DefinitionString: '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'
Outputs:
  ParentArn:
    Value: !Ref Parent
  ApprovalArn:
    Value: !Ref Approval
    Export: {Name: !Sub "${AWS::StackName}-approval"}
"""


@pytest.fixture
def template(tmp_path):
    return write(tmp_path, "orders.yaml", TEMPLATE)


def test_a_cloudformation_template_deploys_machines_and_activities(template):
    backend = Backend()
    stack = backend.deploy_template(template)
    assert stack.name == "orders"
    assert sorted(stack.state_machines) == ["Child", "Parent"]  # DevOnly's condition is false
    assert stack.activities == {"Approval": "arn:aws:states:us-east-1:123456789012:activity:approval-dev"}
    parent = describe(backend, stack.state_machines["Parent"])
    assert parent["name"] == "orders-dev"
    assert re.fullmatch(r"arn:aws:iam::123456789012:role/orders-Role-[A-Z0-9]{12}", parent["roleArn"])
    assert parent["tracingConfiguration"] == {"enabled": False}
    states = json.loads(parent["definition"])["States"]
    assert states["Wait"]["Seconds"] == 60
    assert states["Child"]["Parameters"] == {
        "StateMachineArn": stack.state_machines["Child"],
        "Input": {"from": stack.state_machines["Child"].rsplit(":", 1)[1]},
    }
    assert states["Child"]["Retry"][0]["MaxAttempts"] == 1
    assert tags(backend, stack.activities["Approval"])["stage"] == "dev"
    assert tags(backend, stack.state_machines["Parent"])["team"] == "orders"
    assert dict(stack.outputs) == {
        "ParentArn": stack.state_machines["Parent"],
        "ApprovalArn": stack.activities["Approval"],
    }
    assert stack.exports == {"orders-approval": stack.activities["Approval"]}


def test_a_definition_object_is_written_as_the_cloudformation_handler_writes_it(template):
    backend = Backend()
    stack = backend.deploy_template(template)
    child = describe(backend, stack.state_machines["Child"])
    # Jackson's default pretty printer, keys sorted.
    assert child["definition"] == (
        '{\n  "StartAt" : "Work",\n  "States" : {\n    "Work" : {\n      "End" : true,\n'
        '      "Result" : {\n        "done" : true,\n        "stage" : "dev"\n      },\n'
        '      "Type" : "Pass"\n    }\n  }\n}'
    )


def test_the_deployed_parent_runs_the_child_it_references(template):
    backend = Backend()
    stack = backend.deploy_template(template, parameters={"Stage": "prod", "WaitSeconds": 5})
    assert sorted(stack.state_machines) == ["Child", "DevOnly", "Parent"]
    assert describe(backend, stack.state_machines["Parent"])["tracingConfiguration"] == {"enabled": True}
    done = run(backend, stack.state_machines["Parent"])
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == {"done": True, "stage": "prod"}


def machine(**properties):
    return {
        "Resources": {
            "M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"RoleArn": ROLE, **properties}}
        }
    }


PASS = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'


@pytest.mark.parametrize(
    ("properties", "error", "message"),
    [
        (
            {"DefinitionString": PASS, "Definition": {"StartAt": "P"}},
            TemplateFormatError,
            "Property validation failed. Please use one of "
            "[DefinitionS3Location], [DefinitionString] or [Definition].",
        ),
        (
            {},
            TemplateFormatError,
            "Property validation failed. Required key "
            "[DefinitionS3Location], [DefinitionString] or [Definition] not found.",
        ),
        (
            {"DefinitionString": PASS, "DefinitionSubstitutions": {"Ratio": 0.5}},
            TemplateFormatError,
            "Invalid definition substitution type. Input should be either String, Integer, or Boolean",
        ),
        (
            {"DefinitionS3Location": {"Bucket": "defs", "Key": "sm.json"}},
            UnresolvableError,
            "the definition is an object in S3 (s3://defs/sm.json), which the fake cannot read",
        ),
        (
            {
                "DefinitionString": PASS.replace('"StartAt"', '"Comment": "${A}", "StartAt"'),
                "DefinitionSubstitutions": {"A": "${B}", "B": "${A}"},
            },
            TemplateFormatError,
            "DefinitionSubstitutions never settle",
        ),
    ],
)
def test_the_state_machine_handlers_refusals(properties, error, message):
    with pytest.raises(error) as raised:
        Backend().deploy_template(machine(**properties))
    assert message in str(raised.value)
    assert raised.value.resource == "M"


def test_substitution_values_print_as_the_handler_prints_them():
    text = (
        '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${S}, '
        '"Comment": "${B} ${T}", "End": true}}}'
    )
    backend = Backend()
    stack = backend.deploy_template(
        machine(DefinitionString=text, DefinitionSubstitutions={"S": 3, "B": True, "T": "x"})
    )
    wait = definition(backend, stack.state_machines["M"])["States"]["W"]
    assert (wait["Seconds"], wait["Comment"]) == (3, "true x")


def test_a_missing_role_is_the_handlers_property_error():
    template = {
        "Resources": {
            "M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": PASS}}
        }
    }
    with pytest.raises(TemplateFormatError, match=r"#: required key \[RoleArn\] not found"):
        Backend().deploy_template(template)


def test_an_invalid_definition_is_awss_invalid_definition_naming_the_resource():
    broken = '{"StartAt": "Nowhere", "States": {"P": {"Type": "Pass", "End": true}}}'
    with pytest.raises(DeployError) as raised:
        Backend().deploy_template(machine(DefinitionString=broken))
    assert raised.value.code == "InvalidDefinition"
    assert raised.value.resource == "M"
    assert str(raised.value).startswith(
        "resource 'M' (AWS::StepFunctions::StateMachine): "
        "InvalidDefinition: Invalid State Machine Definition: "
    )
    assert "MISSING_TRANSITION_TARGET" in raised.value.message or "Nowhere" in raised.value.message


def test_a_name_taken_by_a_machine_outside_the_stack_is_refused():
    backend = Backend()
    FakeSFNClient(backend=backend).create_state_machine(name="taken", definition=PASS, roleArn=ROLE)
    with pytest.raises(DeployError) as raised:
        backend.deploy_template(machine(DefinitionString=PASS, StateMachineName="taken"))
    assert str(raised.value).endswith(
        "AlreadyExists: Resource of type 'AWS::StepFunctions::StateMachine' "
        "with identifier 'taken' already exists."
    )


def test_service_validation_errors_keep_awss_code():
    template = machine(
        DefinitionString=PASS,
        LoggingConfiguration={"Level": "ALL"},  # a level other than OFF needs a destination
    )
    with pytest.raises(DeployError) as raised:
        Backend().deploy_template(template)
    assert raised.value.code == "InvalidLoggingConfiguration"
    assert raised.value.message == "Invalid Logging Configuration: Must specify exactly one Log Destination."


def test_template_shape_errors_are_cloudformations():
    with pytest.raises(TemplateFormatError, match=r"Invalid template property or properties \[Resource\]"):
        Backend().deploy_template({"Resource": {}})
    with pytest.raises(TemplateFormatError, match="At least one Resources member must be defined."):
        Backend().deploy_template({"Resources": {}})
    with pytest.raises(TemplateFormatError, match="Every Resources object must contain a Type member."):
        Backend().deploy_template({"Resources": {"A": {}}})
    with pytest.raises(TemplateFormatError, match="Resource name My-Queue is non alphanumeric."):
        Backend().deploy_template({"Resources": {"My-Queue": {"Type": "AWS::SQS::Queue"}}})
    with pytest.raises(TemplateFormatError, match=r"Unresolved resource dependencies \[Ghost\]"):
        Backend().deploy_template({"Resources": {"A": {"Type": "AWS::SQS::Queue", "DependsOn": "Ghost"}}})
    with pytest.raises(
        UnresolvableError, match="the transform \\(macro\\) 'MyMacro' runs inside CloudFormation"
    ):
        Backend().deploy_template({"Transform": "MyMacro", "Resources": {"A": {"Type": "AWS::SQS::Queue"}}})
