"""Every intrinsic function and pseudo parameter, resolved as CloudFormation resolves it."""

from __future__ import annotations

import base64
import re

import pytest

from fakesfn import Backend
from fakesfn.iac import TemplateFormatError, TemplateReadError, UnresolvableError
from tests.iac.helpers import ROLE, value_of

TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:stack-Topic-"
PARAMETERS = {
    "Parameters": {
        "Stage": {"Type": "String", "Default": "dev"},
        "Zones": {"Type": "CommaDelimitedList", "Default": "a,b,c"},
        "Size": {"Type": "Number", "Default": 3},
    }
}


def test_ref_gives_parameters_pseudo_parameters_and_resources():
    assert value_of({"Ref": "Stage"}, PARAMETERS) == "dev"
    assert value_of({"Ref": "Zones"}, PARAMETERS) == ["a", "b", "c"]
    assert value_of({"Ref": "Size"}, PARAMETERS) == "3"  # a Number parameter is a string to Ref
    assert value_of({"Ref": "AWS::Region"}) == "us-east-1"
    assert value_of({"Ref": "Topic"}).startswith(TOPIC_ARN)


def test_pseudo_parameters_follow_the_region_account_and_stack():
    deploy = {"region_name": "cn-north-1", "account_id": "210987654321", "stack_name": "orders"}
    assert value_of({"Ref": "AWS::Partition"}, **deploy) == "aws-cn"
    assert value_of({"Ref": "AWS::URLSuffix"}, **deploy) == "amazonaws.com.cn"
    assert value_of({"Ref": "AWS::AccountId"}, **deploy) == "210987654321"
    assert value_of({"Ref": "AWS::StackName"}, **deploy) == "orders"
    stack_id = value_of({"Ref": "AWS::StackId"}, **deploy)
    assert re.fullmatch(
        r"arn:aws-cn:cloudformation:cn-north-1:210987654321:stack/orders/[0-9a-f-]{36}", stack_id
    )
    assert value_of({"Ref": "AWS::NotificationARNs"}) == []
    assert value_of({"Ref": "AWS::Partition"}, region_name="us-gov-west-1") == "aws-us-gov"
    assert value_of({"Ref": "AWS::URLSuffix"}) == "amazonaws.com"


def test_no_value_removes_the_property_or_list_item_holding_it():
    expression = {"Keep": "x", "Drop": {"Ref": "AWS::NoValue"}, "List": ["a", {"Ref": "AWS::NoValue"}, "b"]}
    assert value_of(expression) == {"Keep": "x", "List": ["a", "b"]}


def test_get_att_in_list_and_dotted_forms_and_with_a_ref_attribute_name():
    extra = {"Parameters": {"Attribute": {"Type": "String", "Default": "TopicName"}}}
    assert value_of({"Fn::GetAtt": ["Topic", "TopicArn"]}).startswith(TOPIC_ARN)
    assert value_of({"Fn::GetAtt": "Topic.TopicName"}).startswith("stack-Topic-")
    assert value_of({"Fn::GetAtt": ["Topic", {"Ref": "Attribute"}]}, extra).startswith("stack-Topic-")


def test_sub_string_form_with_parameters_resources_attributes_and_escapes():
    text = "${AWS::Region}/${Stage}/${Machine.Name}/${!Literal}/${!Stage}"
    resolved = value_of({"Fn::Sub": text}, PARAMETERS)
    region, stage, name, literal, escaped = resolved.split("/")
    assert (region, stage, literal, escaped) == ("us-east-1", "dev", "${Literal}", "${Stage}")
    assert name.startswith("Machine-")


def test_sub_list_form_variables_come_first_and_may_be_intrinsics():
    expression = {
        "Fn::Sub": [
            "${Stage}-${Region}-${AWS::AccountId}",
            {"Stage": "prod", "Region": {"Ref": "AWS::Region"}},
        ]
    }
    assert value_of(expression, PARAMETERS) == "prod-us-east-1-123456789012"


def test_sub_placeholders_must_resolve_to_strings():
    with pytest.raises(
        TemplateFormatError, match=r"variable Zones in Fn::Sub expression does not resolve to a string"
    ):
        value_of({"Fn::Sub": "${Zones}"}, PARAMETERS)


def test_join_select_and_split():
    assert value_of({"Fn::Join": ["-", ["a", {"Ref": "Stage"}, 3]]}, PARAMETERS) == "a-dev-3"
    assert value_of({"Fn::Join": [",", {"Ref": "Zones"}]}, PARAMETERS) == "a,b,c"
    assert value_of({"Fn::Select": ["1", {"Ref": "Zones"}]}, PARAMETERS) == "b"
    assert value_of({"Fn::Select": [0, {"Fn::Split": [":", "arn:aws:sns"]}]}) == "arn"
    assert value_of({"Fn::Split": ["|", "a|b||c"]}) == ["a", "b", "", "c"]


def test_select_out_of_range_is_cloudformations_error():
    with pytest.raises(TemplateFormatError, match="Fn::Select cannot select nonexistent value at index 5"):
        value_of({"Fn::Select": [5, ["a"]]})


def test_if_and_the_condition_functions():
    extra = {
        **PARAMETERS,
        "Conditions": {
            "IsDev": {"Fn::Equals": [{"Ref": "Stage"}, "dev"]},
            "IsProd": {"Fn::Equals": ["prod", {"Ref": "Stage"}]},
            "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
            "Both": {"Fn::And": [{"Condition": "IsDev"}, {"Condition": "NotProd"}]},
            "Either": {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "Size"}, 3]}]},
        },
    }
    expression = [
        {"Fn::If": [name, "yes", "no"]} for name in ("IsDev", "IsProd", "NotProd", "Both", "Either")
    ]
    assert value_of(expression, extra) == ["yes", "no", "yes", "yes", "yes"]
    assert value_of({"A": {"Fn::If": ["IsProd", "x", {"Ref": "AWS::NoValue"}]}}, extra) == {}


def test_conditions_that_depend_on_each_other_are_refused():
    extra = {"Conditions": {"A": {"Fn::Not": [{"Condition": "B"}]}, "B": {"Fn::Not": [{"Condition": "A"}]}}}
    with pytest.raises(TemplateFormatError, match=r"Circular dependency between conditions \[A, B, A\]"):
        value_of({"Fn::If": ["A", 1, 2]}, extra)
    with pytest.raises(TemplateFormatError, match=r"Unresolved dependencies \[Missing\]"):
        value_of({"Fn::If": ["Missing", 1, 2]})


def test_find_in_map_with_and_without_a_default_value():
    mappings = {"Mappings": {"Sizes": {"dev": {"Memory": 128}, "prod": {"Memory": 1024}}}}
    assert (
        value_of({"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Memory"]}, {**PARAMETERS, **mappings}) == 128
    )
    default = {"Fn::FindInMap": ["Sizes", "test", "Memory", {"DefaultValue": 256}]}
    assert value_of(default, mappings) == 256
    with pytest.raises(TemplateFormatError, match="Unable to get mapping for Sizes::test::Memory"):
        value_of({"Fn::FindInMap": ["Sizes", "test", "Memory"]}, mappings)


def test_base64_get_azs_and_cidr():
    assert (
        base64.b64decode(value_of({"Fn::Base64": {"Fn::Sub": "#!/bin/sh ${AWS::Region}"}}))
        == b"#!/bin/sh us-east-1"
    )
    assert value_of({"Fn::GetAZs": ""}) == [f"us-east-1{z}" for z in "abcdef"]
    assert value_of({"Fn::GetAZs": {"Ref": "AWS::Region"}}, region_name="eu-west-3") == [
        "eu-west-3a",
        "eu-west-3b",
        "eu-west-3c",
    ]
    assert value_of({"Fn::Cidr": ["10.0.0.0/16", 3, 8]}) == ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]


def test_length_and_to_json_string():
    assert value_of({"Fn::Length": {"Ref": "Zones"}}, PARAMETERS) == 3
    assert value_of({"Fn::ToJsonString": {"a": [1, {"Ref": "Stage"}]}}, PARAMETERS) == '{"a":[1,"dev"]}'


def test_import_value_reads_exports_of_stacks_deployed_in_the_same_backend():
    backend = Backend()
    exporter = {
        "Resources": {"Bus": {"Type": "AWS::Events::EventBus", "Properties": {"Name": "orders"}}},
        "Outputs": {"BusArn": {"Value": {"Fn::GetAtt": ["Bus", "Arn"]}, "Export": {"Name": "shared-bus"}}},
    }
    backend.deploy_template(exporter, stack_name="network")
    importer = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"Bus": {"Value": {"Fn::ImportValue": "shared-bus"}}},
    }
    stack = backend.deploy_template(importer, stack_name="app")
    assert stack.outputs["Bus"] == "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    with pytest.raises(
        UnresolvableError, match=r"Fn::ImportValue 'shared-bus'.*imports=\{'shared-bus': \.\.\.\}"
    ):
        Backend().deploy_template(importer, stack_name="app").outputs["Bus"]
    given = Backend().deploy_template(importer, stack_name="app", imports={"shared-bus": "arn:x"})
    assert given.outputs["Bus"] == "arn:x"


def test_two_stacks_cannot_export_the_same_name():
    backend = Backend()
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"Name": {"Value": "x", "Export": {"Name": "dup"}}},
    }
    backend.deploy_template(template, stack_name="one")
    with pytest.raises(TemplateFormatError, match="Export with name dup is already exported by stack one"):
        backend.deploy_template(template, stack_name="two")


def test_what_only_the_account_knows_is_refused_with_the_place_named():
    with pytest.raises(
        UnresolvableError, match=r"Outputs 'Value', property Value: Fn::Transform \(AWS::Include\)"
    ):
        value_of({"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}})
    with pytest.raises(UnresolvableError, match=r"dynamic reference .*\{\{resolve:ssm:/app/key\}\}"):
        value_of("{{resolve:ssm:/app/key}}")


def test_malformed_calls_get_cloudformations_template_errors():
    with pytest.raises(TemplateFormatError, match=r"Unresolved resource dependencies \[Nope\]"):
        value_of({"Ref": "Nope"})
    with pytest.raises(TemplateFormatError, match="Fn::GetAtt references undefined resource Nope"):
        value_of({"Fn::GetAtt": ["Nope", "Arn"]})
    with pytest.raises(TemplateFormatError, match="Every Ref object must have a single String value"):
        value_of({"Ref": ["Topic"]})
    with pytest.raises(TemplateFormatError, match="Unrecognized intrinsic function Fn::Frobnicate"):
        value_of({"Fn::Frobnicate": "x"})
    with pytest.raises(TemplateFormatError, match="Fn::Join takes a list of 2 arguments"):
        value_of({"Fn::Join": ["-"]})


def test_deeply_nested_values_are_refused_not_crashing():
    deep: object = "leaf"
    for _ in range(500):
        deep = {"k": deep}
    with pytest.raises(TemplateReadError, match="nests objects and lists more than 100 levels deep"):
        value_of(deep)


@pytest.mark.parametrize("depth", [101, 5_000, 100_000])
def test_deeply_nested_json_templates_are_refused_before_parsing(tmp_path, depth):
    # The same refusal at every depth, on every Python (no parser recursion decides it)
    path = tmp_path / "deep.json"
    path.write_text('{"Resources": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}")
    with pytest.raises(TemplateReadError, match="nests objects and lists more than 100 levels deep"):
        Backend().deploy_template(path)


def test_brackets_in_strings_do_not_deepen_a_json_template(tmp_path):
    path = tmp_path / "shallow.json"
    path.write_text('{"Description": "' + "[{" * 200 + '", "Resources": {}}')
    with pytest.raises(TemplateFormatError, match="At least one Resources member must be defined"):
        Backend().deploy_template(path)  # read, and judged as a template


def test_the_role_arn_example_resolves():
    assert value_of({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sfn"}) == ROLE


def test_the_rules_functions_and_the_account_lookups():
    extra = {"Parameters": {"Zones": {"Type": "CommaDelimitedList", "Default": "a,a"}}}
    expression = [
        {"Fn::If": ["Same", "yes", "no"]},
        {"Fn::If": ["Within", "yes", "no"]},
    ]
    conditions = {
        "Same": {"Fn::EachMemberEquals": [{"Ref": "Zones"}, "a"]},
        "Within": {"Fn::EachMemberIn": [{"Ref": "Zones"}, ["a", "b"]]},
    }
    assert value_of(expression, {**extra, "Conditions": conditions}) == ["yes", "yes"]
    with pytest.raises(UnresolvableError, match="Fn::ValueOf reads resources of the AWS account"):
        value_of({"Fn::ValueOf": ["Zones", "VpcId"]}, extra)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ({"Fn::Sub": "x${}y"}, r"Fn::Sub has an empty \$\{\} placeholder"),
        ({"Fn::Split": ["", "abc"]}, "Fn::Split's delimiter must not be empty"),
        ({"Fn::Cidr": ["10.0.0.0/30", 8, 1]}, r"10\.0\.0\.0/30 holds fewer than 8 subnets"),
        ({"Fn::Select": ["x", ["a"]]}, "cannot select nonexistent value at index x"),
        ({"Fn::Sub": 5}, "Fn::Sub takes a string, or a list of a string and a map of variables"),
        ({"Fn::Join": ["-", "not-a-list"]}, "the values Fn::Join joins must be a list"),
        ({"Fn::Equals": ["a"]}, "Fn::Equals takes a list of 2 values"),
        ({"Fn::If": [["x"], 1, 2]}, "Fn::If's first argument must be a condition name"),
        ({"Fn::FindInMap": ["M", "a"]}, "Fn::FindInMap takes a list of 3 or 4 arguments"),
        ({"Fn::Length": "abc"}, "Fn::Length requires a list"),
    ],
)
def test_each_malformed_call_names_its_function(expression, message):
    with pytest.raises(TemplateFormatError, match=message):
        value_of(expression)


def test_for_each_repeats_resources_and_outputs_and_nests():
    topics = {
        "Fn::ForEach::Envs": ["Env", ["dev", "prod"], {"&{Name}${Env}Topic": {"Type": "AWS::SNS::Topic"}}]
    }
    template = {
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {"Queues": {"Type": "CommaDelimitedList", "Default": "orders,billing-v2"}},
        "Resources": {
            "Fn::ForEach::Queues": [
                "Name",
                {"Ref": "Queues"},
                {
                    "&{Name}Queue": {
                        "Type": "AWS::SQS::Queue",
                        "Properties": {"QueueName": {"Fn::Sub": "${AWS::StackName}-${Name}"}},
                    },
                    **topics,
                },
            ]
        },
        "Outputs": {
            "Fn::ForEach::Urls": ["Name", ["orders"], {"${Name}Url": {"Value": {"Ref": "&{Name}Queue"}}}]
        },
    }
    stack = Backend().deploy_template(template, stack_name="shop")
    assert stack.ref("ordersQueue") == "https://sqs.us-east-1.amazonaws.com/123456789012/shop-orders"
    assert stack.attribute("billingv2Queue", "QueueName") == "shop-billing-v2"
    assert stack.ref("billingv2prodTopic").startswith(
        "arn:aws:sns:us-east-1:123456789012:shop-billingv2prodTopic-"
    )
    assert dict(stack.outputs) == {
        "ordersUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/shop-orders"
    }


@pytest.mark.parametrize(
    ("transform", "loop", "message"),
    [
        (
            [],
            ["N", ["a"], {"Q${N}": {"Type": "AWS::SQS::Queue"}}],
            "Fn::ForEach needs the AWS::LanguageExtensions",
        ),
        (
            "AWS::LanguageExtensions",
            ["N", ["a", "b"], {"Q": {"Type": "AWS::SQS::Queue"}}],
            "produces the key 'Q' twice",
        ),
        (
            "AWS::LanguageExtensions",
            ["N", {"Ref": "AWS::Region"}, {"Q${N}": {}}],
            "collection must be a list of strings",
        ),
        (
            "AWS::LanguageExtensions",
            ["N", ["a"]],
            r"takes \[Identifier, Collection, \{OutputKey: OutputValue\}\]",
        ),
    ],
)
def test_for_each_refusals(transform, loop, message):
    template = {
        "Transform": transform,
        "Resources": {"Fn::ForEach::Loop": loop, "T": {"Type": "AWS::SNS::Topic"}},
    }
    with pytest.raises(TemplateFormatError, match=message):
        Backend().deploy_template(template)


def test_for_each_cannot_fill_the_memory():
    loop = [
        "A",
        [str(n) for n in range(200)],
        {"Fn::ForEach::Inner": ["B", [str(n) for n in range(200)], {"Q${A}x${B}": {}}]},
    ]
    template = {"Transform": "AWS::LanguageExtensions", "Resources": {"Fn::ForEach::Outer": loop}}
    with pytest.raises(TemplateFormatError, match="expands to more than 10000 entries"):
        Backend().deploy_template(template)


def test_importing_an_export_whose_value_only_aws_knows_says_why():
    backend = Backend()
    exporter = {
        "Resources": {"Seed": {"Type": "Custom::Seeder"}},
        "Outputs": {"Token": {"Value": {"Fn::GetAtt": ["Seed", "Token"]}, "Export": {"Name": "seed-token"}}},
    }
    backend.deploy_template(exporter, stack_name="seeder")
    importer = {
        "Resources": {"T": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"X": {"Value": {"Fn::ImportValue": "seed-token"}}},
    }
    stack = backend.deploy_template(importer, stack_name="app")
    with pytest.raises(
        UnresolvableError, match=r"stack seeder exports 'seed-token', but .*Seed is a custom resource"
    ):
        stack.outputs["X"]
