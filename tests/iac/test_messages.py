"""Every refusal says what is wrong and where: the resource (or section entry) and the property."""

from __future__ import annotations

import pytest

from fakesfn import Backend
from fakesfn.iac import (
    ParameterError,
    TemplateError,
    TemplateFormatError,
    TemplateReadError,
    UnresolvableError,
)
from tests.iac.helpers import ROLE, write

PASS = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'


def machine(**properties):
    return {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"RoleArn": ROLE, **properties}}


CASES = [
    (
        {"AWSTemplateFormatVersion": "2012-01-01", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}},
        TemplateFormatError,
        "Unsupported template version: 2012-01-01",
        None,
        None,
    ),
    (
        {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Propertes": {}}}},
        TemplateFormatError,
        "Invalid template resource property 'Propertes'",
        "T",
        None,
    ),
    (
        {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": []}}},
        TemplateFormatError,
        "Properties must be an object",
        "T",
        None,
    ),
    (
        {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": ["x"]}}},
        TemplateFormatError,
        "Condition must be the name of a condition",
        "T",
        None,
    ),
    (
        {"Resources": {"T": {"Type": "AWS::SNS::Topic", "DependsOn": [1]}}},
        TemplateFormatError,
        "DependsOn must list logical ids",
        "T",
        None,
    ),
    (
        {"Parameters": {"P": {"Default": "x"}}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}},
        TemplateFormatError,
        "Every Parameters object must contain a Type member.",
        "P",
        None,
    ),
    (
        {"Resources": {"M": machine(DefinitionString={"not": "text"})}},
        TemplateFormatError,
        "Value of property DefinitionString must be of type String",
        "M",
        "DefinitionString",
    ),
    (
        {"Resources": {"M": machine(Definition="text")}},
        TemplateFormatError,
        "Invalid StateMachine definition.",
        "M",
        "Definition",
    ),
    (
        {"Resources": {"M": machine(DefinitionString=PASS, DefinitionSubstitutions=["a"])}},
        TemplateFormatError,
        "DefinitionSubstitutions must be an object of names to values",
        "M",
        "DefinitionSubstitutions",
    ),
    (
        {"Resources": {"M": machine(DefinitionString=PASS, Tags=[{"Key": "k"}])}},
        TemplateFormatError,
        "#/Tags/0: required key [Key] or [Value] not found",
        "M",
        "Tags[0]",
    ),
    (
        {
            "Resources": {"T": {"Type": "AWS::DynamoDB::Table"}},
            "Outputs": {"S": {"Value": {"Fn::GetAtt": ["T", "StreamArn"]}}},
        },
        TemplateFormatError,
        "the StreamArn attribute needs the table's StreamSpecification",
        "T",
        None,
    ),
    (
        {"Resources": {"A": {"Type": "AWS::StepFunctions::Activity"}}},
        TemplateFormatError,
        "#: required key [Name] not found",
        "A",
        None,
    ),
    (
        {"Resources": {"V": {"Type": "AWS::StepFunctions::StateMachineVersion", "Properties": {}}}},
        TemplateFormatError,
        "#: required key [StateMachineArn] not found",
        "V",
        None,
    ),
    (
        {
            "Resources": {
                "A": {"Type": "AWS::StepFunctions::StateMachineAlias", "Properties": {"Name": "live"}}
            }
        },
        TemplateFormatError,
        "needs RoutingConfiguration or DeploymentPreference",
        "A",
        None,
    ),
    (
        {"Resources": {"T": {"Type": "AWS::SNS::Topic"}}, "Outputs": {"O": {"Description": "no value"}}},
        TemplateFormatError,
        "every Outputs member must contain a Value object",
        "O",
        None,
    ),
    (
        {"Globals": {"Function": "x"}, "Resources": {"F": {"Type": "AWS::Serverless::Function"}}},
        TemplateFormatError,
        "Value of Function must be a dictionary",
        None,
        None,
    ),
    (
        {
            "Resources": {
                "M": {
                    "Type": "AWS::Serverless::StateMachine",
                    "Properties": {"Definition": {"StartAt": "P"}, "Tags": ["x"]},
                }
            }
        },
        TemplateFormatError,
        "Resource with id [M] is invalid. Type of property 'Tags' is invalid.",
        None,
        None,
    ),
]


def _deploy_and_read(template):
    return dict(Backend().deploy_template(template).outputs)  # outputs resolve when read


@pytest.mark.parametrize(("template", "error", "message", "resource", "path"), CASES, ids=lambda case: None)
def test_refusals_name_the_place(template, error, message, resource, path):
    with pytest.raises(error) as raised:
        _deploy_and_read(template)
    assert message in str(raised.value)
    assert raised.value.resource == resource
    assert raised.value.property_path == path


def test_a_stack_name_must_follow_cloudformations_pattern():
    with pytest.raises(TemplateError, match=r"Value '1-bad' at 'stackName' failed to satisfy constraint"):
        Backend().deploy_template({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}, stack_name="1-bad")


def test_resource_values_must_name_declared_resources():
    with pytest.raises(
        ParameterError, match=r"resource_values names resources the template does not declare: \['Nope'\]"
    ):
        Backend().deploy_template(
            {"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}, resource_values={"Nope": {}}
        )


def test_a_yaml_definition_file_without_pyyaml_names_the_resource(tmp_path, monkeypatch):
    import sys

    write(tmp_path, "sm.yaml", "StartAt: P\nStates: {P: {Type: Pass, End: true}}\n")
    template = {
        "Resources": {
            "M": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {"DefinitionUri": str(tmp_path / "sm.yaml")},
            }
        }
    }
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(TemplateReadError) as raised:
        Backend().deploy_template(template)
    assert raised.value.resource == "M"
    assert "reading YAML needs PyYAML: pip install 'fakesfn[yaml]'" in str(raised.value)


def test_a_definition_file_that_is_neither_json_nor_yaml_is_the_handlers_error(tmp_path):
    write(tmp_path, "sm.json", "{not json: [")
    template = {
        "Resources": {
            "M": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {"DefinitionUri": str(tmp_path / "sm.json")},
            }
        }
    }
    with pytest.raises(TemplateFormatError) as raised:
        Backend().deploy_template(template)
    assert (raised.value.reason, raised.value.property_path) == (
        "Invalid StateMachine definition.",
        "DefinitionUri",
    )


def test_the_error_classes_share_one_base_and_read_as_one_line():
    for error in (TemplateReadError, TemplateFormatError, ParameterError, UnresolvableError):
        assert issubclass(error, TemplateError)
    with pytest.raises(UnresolvableError) as raised:
        Backend().deploy_template(
            {"Resources": {"M": machine(DefinitionS3Location={"Bucket": "b", "Key": "k"})}}
        )
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith(
        "resource 'M' (AWS::StepFunctions::StateMachine), property DefinitionS3Location: "
    )
