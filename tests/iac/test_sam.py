"""SAM templates: AWS::Serverless::StateMachine and friends, as SAM's transform deploys them."""

from __future__ import annotations

import json
import re

import pytest

from fakesfn import Backend
from fakesfn.iac import TemplateFormatError, TemplateReadError, UnresolvableError
from tests.iac.helpers import describe, run, tags, write

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Runtime: python3.12
    Tags: {Team: shop}
Resources:
  PriceFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.price
      CodeUri: src/
  Orders:
    Type: AWS::Serverless::SimpleTable
  OrderMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: !Sub orders-${Stage}
      Type: EXPRESS
      DefinitionUri: statemachine/orders.asl.json
      DefinitionSubstitutions:
        PriceFunctionArn: !GetAtt PriceFunction.Arn
        OrdersTable: !Ref Orders
      Logging:
        Level: ALL
        IncludeExecutionData: true
        Destinations:
          - CloudWatchLogsLogGroup:
              LogGroupArn: !GetAtt OrderLogs.Arn
      Tracing:
        Enabled: true
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref PriceFunction
      Events:
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
      Tags:
        Owner: payments
  OrderLogs:
    Type: AWS::Logs::LogGroup
"""

ASL = """
{
  "StartAt": "Price",
  "States": {
    "Price": {"Type": "Task", "Resource": "${PriceFunctionArn}", "ResultPath": "$.price", "Next": "Save"},
    "Save": {
      "Type": "Pass",
      "Parameters": {"table": "${OrdersTable}", "price.$": "$.price"},
      "End": true
    }
  }
}
"""


@pytest.fixture
def project(tmp_path):
    write(tmp_path, "statemachine/orders.asl.json", ASL)
    return write(tmp_path, "template.yaml", TEMPLATE)


def test_a_sam_machine_deploys_with_its_definition_file_substitutions_and_configuration(project):
    backend = Backend()
    stack = backend.deploy_template(project, parameters={"Stage": "test"}, stack_name="shop")
    assert sorted(stack.state_machines) == ["OrderMachine"]
    assert sorted(stack.functions) == ["PriceFunction"]
    described = describe(backend, stack.state_machines["OrderMachine"])
    assert described["name"] == "orders-test"
    assert described["type"] == "EXPRESS"
    assert re.fullmatch(
        r"arn:aws:iam::123456789012:role/shop-OrderMachineRole-[A-Z0-9]{12}", described["roleArn"]
    )
    assert described["loggingConfiguration"]["level"] == "ALL"
    assert described["loggingConfiguration"]["includeExecutionData"] is True
    group = described["loggingConfiguration"]["destinations"][0]["cloudWatchLogsLogGroup"]["logGroupArn"]
    assert re.fullmatch(r"arn:aws:logs:us-east-1:123456789012:log-group:shop-OrderLogs-\w{12}:\*", group)
    assert described["tracingConfiguration"] == {"enabled": True}
    states = json.loads(described["definition"])["States"]
    assert states["Price"]["Resource"] == stack.functions["PriceFunction"]
    assert re.fullmatch(r"shop-Orders-[A-Z0-9]{12}", states["Save"]["Parameters"]["table"])
    # A JSON definition file is kept as written (the handler only substitutes it).
    assert described["definition"] == ASL.strip("\n").replace(
        "${PriceFunctionArn}", stack.functions["PriceFunction"]
    ).replace("${OrdersTable}", states["Save"]["Parameters"]["table"])
    assert tags(backend, stack.state_machines["OrderMachine"]) == {
        "aws:cloudformation:stack-name": "shop",
        "aws:cloudformation:logical-id": "OrderMachine",
        "aws:cloudformation:stack-id": stack.stack_id,
        "stateMachine:createdBy": "SAM",
        "Owner": "payments",
    }


def test_the_deployed_machine_runs_with_a_registered_lambda(project):
    backend = Backend()
    stack = backend.deploy_template(project)
    backend.register_lambda(stack.functions["PriceFunction"], lambda event, context: 42)
    client_reply = run(backend, stack.state_machines["OrderMachine"], {"item": "book"})
    assert client_reply["status"] == "SUCCEEDED"
    assert json.loads(client_reply["output"])["price"] == 42


def test_an_inline_definition_is_written_as_sam_writes_it(tmp_path):
    template = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties: {Handler: a.b, Runtime: python3.12}
          Machine:
            Type: AWS::Serverless::StateMachine
            Properties:
              Role: arn:aws:iam::123456789012:role/given
              DefinitionSubstitutions: {Greeting: hello}
              Definition:
                StartAt: Call
                States:
                  Call:
                    Type: Task
                    Resource: !GetAtt Fn.Arn
                    Parameters: {greeting: "${Greeting}", region: !Ref AWS::Region}
                    End: true
        """,
    )
    backend = Backend()
    stack = backend.deploy_template(template, stack_name="app")
    described = describe(backend, stack.state_machines["Machine"])
    assert described["roleArn"] == "arn:aws:iam::123456789012:role/given"
    function = stack.functions["Fn"]
    expected = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "End": True,
                "Parameters": {"greeting": "hello", "region": "us-east-1"},
                "Resource": function,
                "Type": "Task",
            }
        },
    }
    # SAM: json.dumps(definition, sort_keys=True, indent=4), intrinsics through substitutions.
    assert described["definition"] == json.dumps(expected, sort_keys=True, indent=4, separators=(",", ": "))


def test_a_yaml_definition_file_is_converted_to_json(tmp_path):
    write(
        tmp_path,
        "sm.asl.yaml",
        "StartAt: Wait\nStates:\n  Wait: {Type: Wait, Seconds: ${Delay}, End: true}\n",
    )
    template = write(
        tmp_path,
        "template.yaml",
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Machine:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionUri: sm.asl.yaml
              DefinitionSubstitutions: {Delay: 5}
        """,
    )
    backend = Backend()
    stack = backend.deploy_template(template)
    described = describe(backend, stack.state_machines["Machine"])
    assert described["definition"] == (
        '{\n  "StartAt" : "Wait",\n  "States" : {\n    "Wait" : {\n      "Type" : "Wait",\n'
        '      "Seconds" : 5,\n      "End" : true\n    }\n  }\n}'
    )
    assert re.fullmatch(r"Machine-[A-Za-z0-9]{12}", described["name"])


def test_globals_merge_into_functions_as_sam_merges_them(tmp_path):
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Globals": {"Function": {"Layers": ["a"], "Environment": {"Variables": {"A": "1", "B": "1"}}}},
        "Resources": {
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "FunctionName": "merged",
                    "Layers": ["b"],
                    "Environment": {"Variables": {"B": "2"}},
                },
            },
            "Ignoring": {"Type": "AWS::Serverless::Function", "IgnoreGlobals": "*", "Properties": {}},
        },
        "Outputs": {"Name": {"Value": {"Ref": "Fn"}}},
    }
    stack = Backend().deploy_template(template)
    assert stack.outputs["Name"] == "merged"
    assert stack._model.template.resources["Fn"].properties["Layers"] == ["a", "b"]
    assert stack._model.template.resources["Fn"].properties["Environment"] == {
        "Variables": {"A": "1", "B": "2"}
    }
    assert "Layers" not in stack._model.template.resources["Ignoring"].properties


def test_a_sam_template_without_the_transform_header_is_expanded_too():
    template = {
        "Resources": {
            "Machine": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {
                    "Definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
                },
            }
        }
    }
    assert sorted(Backend().deploy_template(template).state_machines) == ["Machine"]


def test_auto_publish_alias_publishes_a_version_and_routes_an_alias_to_it():
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Machine": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {
                    "Name": "flow",
                    "AutoPublishAlias": "live",
                    "Definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                },
            }
        },
    }
    backend = Backend()
    stack = backend.deploy_template(template)
    base = "arn:aws:states:us-east-1:123456789012:stateMachine:flow"
    assert stack.versions == {"MachineVersion": f"{base}:1"}
    assert stack.aliases == {"MachineAliaslive": f"{base}:live"}
    assert run(backend, f"{base}:live")["status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        (
            {"Definition": {"StartAt": "P"}, "DefinitionUri": "x.json"},
            "Resource with id [Machine] is invalid. "
            "Specify either 'Definition' or 'DefinitionUri' property and not both.",
        ),
        (
            {},
            "Resource with id [Machine] is invalid. "
            "Either 'Definition' or 'DefinitionUri' property must be specified.",
        ),
        (
            {
                "Definition": {"StartAt": "P"},
                "Role": "arn:aws:iam::123456789012:role/r",
                "Policies": ["AWSLambdaRole"],
            },
            "Resource with id [Machine] is invalid. Specify either 'Role' or 'Policies' "
            "(but not both at the same time) or neither of them",
        ),
    ],
)
def test_sam_refusals_use_sams_wording(properties, message):
    template = {"Resources": {"Machine": {"Type": "AWS::Serverless::StateMachine", "Properties": properties}}}
    with pytest.raises(TemplateFormatError) as raised:
        Backend().deploy_template(template)
    assert str(raised.value).startswith(
        "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless"
    )
    assert str(raised.value).endswith(message)


def test_an_unsupported_globals_section_is_refused():
    template = {"Globals": {"Queue": {}}, "Resources": {"F": {"Type": "AWS::Serverless::Function"}}}
    with pytest.raises(
        TemplateFormatError, match=r"'Queue' is not supported. Must be one of the following values"
    ):
        Backend().deploy_template(template)


def test_an_s3_definition_uri_cannot_be_read_locally():
    template = {
        "Resources": {
            "Machine": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {"DefinitionUri": "s3://bucket/sm.json"},
            }
        }
    }
    with pytest.raises(UnresolvableError) as raised:
        Backend().deploy_template(template)
    assert raised.value.resource == "Machine"
    assert raised.value.property_path == "DefinitionS3Location"
    assert "the definition is an object in S3 (s3://bucket/sm.json)" in str(raised.value)


def test_a_missing_definition_file_is_named(tmp_path):
    template = write(
        tmp_path,
        "template.yaml",
        "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties: {DefinitionUri: nope.json}\n",
    )
    with pytest.raises(
        TemplateReadError, match=r"resource 'M' \(AWS::Serverless::StateMachine\), property DefinitionUri"
    ):
        Backend().deploy_template(template)


def test_the_implicit_role_follows_role_path():
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Machine": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {
                    "RolePath": "/workflows/",
                    "Definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                },
            }
        },
    }
    backend = Backend()
    stack = backend.deploy_template(template, stack_name="app")
    role = describe(backend, stack.state_machines["Machine"])["roleArn"]
    assert re.fullmatch(r"arn:aws:iam::123456789012:role/workflows/app-MachineRole-[A-Z0-9]{12}", role)
