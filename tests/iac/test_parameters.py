"""Parameters: defaults, types, constraints and SSM parameters, checked before anything is created."""

from __future__ import annotations

import pytest

from fakesfn import Backend
from fakesfn.iac import ParameterError, TemplateFormatError, UnresolvableError
from tests.iac.helpers import value_of


def declared(**parameters):
    return {"Parameters": parameters}


def test_values_override_defaults_and_are_typed_as_ref_returns_them():
    extra = declared(
        Stage={"Type": "String", "Default": "dev"},
        Count={"Type": "Number", "Default": 1},
        Names={"Type": "CommaDelimitedList", "Default": "a, b"},
        Sizes={"Type": "List<Number>"},
        Subnet={"Type": "AWS::EC2::Subnet::Id"},
    )
    expression = [{"Ref": name} for name in ("Stage", "Count", "Names", "Sizes", "Subnet")]
    given = {"Stage": "prod", "Count": 5, "Sizes": [1, 2], "Subnet": "subnet-1"}
    assert value_of(expression, extra, parameters=given) == ["prod", "5", ["a", "b"], ["1", "2"], "subnet-1"]


def test_missing_and_undeclared_parameters_are_cloudformations_errors():
    extra = declared(A={"Type": "String"}, B={"Type": "String"}, C={"Type": "String", "Default": ""})
    with pytest.raises(ParameterError, match=r"^Parameters: \[A, B\] must have values$"):
        value_of("x", extra)
    with pytest.raises(ParameterError, match=r"^Parameters: \[Z\] do not exist in the template$"):
        value_of("x", extra, parameters={"A": "1", "B": "2", "Z": "3"})


@pytest.mark.parametrize(
    ("declaration", "value", "message"),
    [
        (
            {"Type": "String", "AllowedValues": ["dev", "prod"]},
            "test",
            "Parameter 'P' must be one of AllowedValues",
        ),
        ({"Type": "String", "AllowedPattern": "[a-z]+"}, "ab1", "Parameter 'P' must match pattern [a-z]+"),
        ({"Type": "String", "MinLength": 3}, "ab", "Parameter 'P' must contain at least 3 characters"),
        ({"Type": "String", "MaxLength": 1}, "ab", "Parameter 'P' must contain at most 1 characters"),
        ({"Type": "Number"}, "ten", "Parameter 'P' must be a number"),
        ({"Type": "Number", "MinValue": 2}, "1", "Parameter 'P' must be a number not less than 2"),
        ({"Type": "Number", "MaxValue": 2}, "3", "Parameter 'P' must be a number not greater than 2"),
        (
            {"Type": "String", "AllowedValues": ["a"], "ConstraintDescription": "pick a"},
            "b",
            "Parameter P failed to satisfy constraint: pick a",
        ),
        (
            {"Type": "CommaDelimitedList", "AllowedValues": ["a", "b"]},
            "a,c",
            "Parameter 'P' must be one of AllowedValues",
        ),
    ],
)
def test_constraints_are_checked_with_cloudformations_messages(declaration, value, message):
    with pytest.raises(ParameterError) as raised:
        value_of({"Ref": "P"}, declared(P=declaration), parameters={"P": value})
    assert str(raised.value) == message
    assert raised.value.resource == "P"


def test_a_default_is_checked_too():
    with pytest.raises(ParameterError, match="must be one of AllowedValues"):
        value_of("x", declared(P={"Type": "String", "Default": "z", "AllowedValues": ["a"]}))


def test_unknown_parameter_types_are_refused():
    with pytest.raises(TemplateFormatError, match="Unrecognized parameter type: Strnig"):
        value_of("x", declared(P={"Type": "Strnig"}))


def test_an_ssm_parameter_needs_its_value_only_when_something_uses_it():
    ssm = declared(
        Version={"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/version"}
    )
    assert value_of("unused", ssm) == "unused"
    with pytest.raises(UnresolvableError) as raised:
        value_of({"Ref": "Version"}, ssm)
    assert str(raised.value) == (
        "Outputs 'Value', property Value: parameter Version (AWS::SSM::Parameter::Value<String>) "
        "reads the SSM parameter '/cdk-bootstrap/version' from the AWS account; "
        "pass the value it holds: parameters={'Version': ...}"
    )
    assert value_of({"Ref": "Version"}, ssm, parameters={"Version": "21"}) == "21"
    listed = declared(Ids={"Type": "AWS::SSM::Parameter::Value<List<String>>", "Default": "/ids"})
    assert value_of({"Ref": "Ids"}, listed, parameters={"Ids": "a,b"}) == ["a", "b"]


def test_rules_are_evaluated_and_skipped_when_they_need_the_account():
    rules = {
        **declared(
            Stage={"Type": "String", "Default": "prod"},
            Size={"Type": "String", "Default": "small"},
            BootstrapVersion={
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/cdk-bootstrap/version",
            },
        ),
        "Rules": {
            "ProdIsBig": {
                "RuleCondition": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
                "Assertions": [
                    {
                        "Assert": {"Fn::Contains": [["large", "xlarge"], {"Ref": "Size"}]},
                        "AssertDescription": "prod needs a large size",
                    }
                ],
            },
            "CheckBootstrapVersion": {
                "Assertions": [
                    {"Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2"], {"Ref": "BootstrapVersion"}]}]}}
                ]
            },
        },
    }
    with pytest.raises(ParameterError, match="^Rule ProdIsBig failed: prod needs a large size$"):
        Backend().deploy_template({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}, **rules})
    stack = Backend().deploy_template(
        {"Resources": {"T": {"Type": "AWS::SNS::Topic"}}, **rules}, {"Size": "large"}
    )
    assert stack.parameters["Size"] == "large"
