"""What Ref and Fn::GetAtt give for resources, and the names CloudFormation makes up."""

from __future__ import annotations

import re

import pytest

from fakesfn import Backend
from fakesfn.iac import TemplateFormatError, UnresolvableError
from fakesfn.iac.names import stack_prefixed
from tests.iac.helpers import value_of

ACCOUNT = "123456789012"


def resources(**declared):
    return {
        "Resources": {
            name: ({"Type": spec} if isinstance(spec, str) else spec) for name, spec in declared.items()
        }
    }


def test_generated_names_follow_cloudformations_shapes():
    extra = resources(
        Fn="AWS::Lambda::Function",
        Role="AWS::IAM::Role",
        Table="AWS::DynamoDB::Table",
        Bucket="AWS::S3::Bucket",
        Queue="AWS::SQS::Queue",
    )
    names = value_of(
        [
            {"Ref": "Fn"},
            {"Ref": "Role"},
            {"Ref": "Table"},
            {"Ref": "Bucket"},
            {"Fn::GetAtt": ["Machine", "Name"]},
        ],
        extra,
        stack_name="Orders",
    )
    function, role, table, bucket, machine = names
    assert re.fullmatch(r"Orders-Fn-[A-Za-z0-9]{12}", function)
    assert re.fullmatch(r"Orders-Role-[A-Z0-9]{12}", role)
    assert re.fullmatch(r"Orders-Table-[A-Z0-9]{12}", table)
    assert re.fullmatch(r"orders-bucket-[a-z0-9]{12}", bucket)  # S3: the whole name lower-cased
    assert re.fullmatch(r"Machine-[A-Za-z0-9]{12}", machine)  # state machines: no stack name


def test_long_names_share_the_room_fairly_between_stack_and_logical_id():
    # Both shapes seen in public outputs (the 13-character suffixes CloudFormation used then).
    assert (
        stack_prefixed("mylongerapp-playground-new", "InstancesLifecycleHandler", "1GRP3N0TVA1LD", 64)
        == "mylongerapp-playground-ne-InstancesLifecycleHandle-1GRP3N0TVA1LD"
    )
    assert (
        stack_prefixed("MyStackDev-MyNestedApplicationStack", "MyLambdaFunctionName", "1U44TLUZ7OR55", 64)
        == "MyStackDev-MyNestedApplicatio-MyLambdaFunctionName-1U44TLUZ7OR55"
    )
    name = value_of({"Ref": "F"}, resources(F="AWS::Lambda::Function"), stack_name="s" * 100)
    assert len(name) == 64
    assert name.startswith("s" * 49 + "-F-")


def test_names_are_a_function_of_the_seed_stack_and_logical_id():
    template = {"Resources": {"F": {"Type": "AWS::Lambda::Function"}}}
    first = Backend(seed=1).deploy_template(template).functions["F"]
    assert Backend(seed=1).deploy_template(template).functions["F"] == first
    assert Backend(seed=2).deploy_template(template).functions["F"] != first
    assert Backend(seed=1).deploy_template(template, stack_name="other").functions["F"] != first


def test_explicit_names_are_kept():
    extra = resources(
        Fn={
            "Type": "AWS::Lambda::Function",
            "Properties": {"FunctionName": {"Fn::Sub": "${AWS::StackName}-price"}},
        },
        Queue={"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs.fifo", "FifoQueue": True}},
    )
    assert value_of([{"Ref": "Fn"}, {"Fn::GetAtt": ["Queue", "QueueName"]}], extra, stack_name="shop") == [
        "shop-price",
        "jobs.fifo",
    ]


def test_ref_and_get_att_return_what_the_cloudformation_docs_say():
    extra = resources(
        Queue={"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}},
        Fifo={"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": "true"}},
        Topic2={"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "news"}},
        Table={"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "orders"}},
        Bucket={"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "docs"}},
        Role={"Type": "AWS::IAM::Role", "Properties": {"RoleName": "runner", "Path": "/service/"}},
        Logs={"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/aws/vendedlogs/states/x"}},
        Bus={"Type": "AWS::Events::EventBus", "Properties": {"Name": "orders"}},
        Rule={"Type": "AWS::Events::Rule", "Properties": {"Name": "tick", "EventBusName": {"Ref": "Bus"}}},
        Fn={"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "price"}},
        Work={"Type": "AWS::StepFunctions::Activity", "Properties": {"Name": "review"}},
        Child={"Type": "AWS::StepFunctions::StateMachine", "Properties": {"StateMachineName": "child"}},
        Cluster={"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": "c"}},
        Task={"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "fam"}},
        Project={"Type": "AWS::CodeBuild::Project", "Properties": {"Name": "build"}},
    )
    arn = f"{{}}:us-east-1:{ACCOUNT}:"
    expected = {
        ("Queue", "Ref"): f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/jobs",
        ("Queue", "Arn"): "arn:aws:sqs" + arn.format("") + "jobs",
        ("Topic2", "Ref"): "arn:aws:sns" + arn.format("") + "news",
        ("Topic2", "TopicName"): "news",
        ("Table", "Ref"): "orders",
        ("Table", "Arn"): "arn:aws:dynamodb" + arn.format("") + "table/orders",
        ("Bucket", "Arn"): "arn:aws:s3:::docs",
        ("Bucket", "DomainName"): "docs.s3.amazonaws.com",
        ("Bucket", "RegionalDomainName"): "docs.s3.us-east-1.amazonaws.com",
        ("Bucket", "WebsiteURL"): "http://docs.s3-website-us-east-1.amazonaws.com",
        ("Role", "Ref"): "runner",
        ("Role", "Arn"): f"arn:aws:iam::{ACCOUNT}:role/service/runner",
        ("Logs", "Arn"): "arn:aws:logs" + arn.format("") + "log-group:/aws/vendedlogs/states/x:*",
        ("Bus", "Ref"): "orders",
        ("Bus", "Arn"): "arn:aws:events" + arn.format("") + "event-bus/orders",
        ("Rule", "Ref"): "orders|tick",
        ("Rule", "Arn"): "arn:aws:events" + arn.format("") + "rule/orders/tick",
        ("Fn", "Ref"): "price",
        ("Fn", "Arn"): "arn:aws:lambda" + arn.format("") + "function:price",
        ("Work", "Ref"): "arn:aws:states" + arn.format("") + "activity:review",
        ("Work", "Name"): "review",
        ("Child", "Ref"): "arn:aws:states" + arn.format("") + "stateMachine:child",
        ("Child", "Name"): "child",
        ("Cluster", "Arn"): "arn:aws:ecs" + arn.format("") + "cluster/c",
        ("Task", "Ref"): "arn:aws:ecs" + arn.format("") + "task-definition/fam:1",
        ("Project", "Arn"): "arn:aws:codebuild" + arn.format("") + "project/build",
    }
    expressions = [{"Ref": r} if a == "Ref" else {"Fn::GetAtt": [r, a]} for r, a in expected]
    extra["Resources"]["Child"]["Properties"].update(
        {
            "DefinitionString": '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
            "RoleArn": "arn:aws:iam::123456789012:role/r",
        }
    )
    assert dict(zip(expected, value_of(expressions, extra), strict=True)) == expected
    assert value_of({"Fn::GetAtt": ["Fifo", "QueueName"]}, extra).endswith(".fifo")


def test_ids_aws_makes_up_keep_their_shape():
    extra = resources(
        Vpc="AWS::EC2::VPC",
        Key="AWS::KMS::Key",
        Api="AWS::ApiGateway::RestApi",
        Http="AWS::ApiGatewayV2::Api",
    )
    vpc, key, key_arn, api, endpoint = value_of(
        [
            {"Ref": "Vpc"},
            {"Ref": "Key"},
            {"Fn::GetAtt": ["Key", "Arn"]},
            {"Ref": "Api"},
            {"Fn::GetAtt": ["Http", "ApiEndpoint"]},
        ],
        extra,
    )
    assert re.fullmatch(r"vpc-[0-9a-f]{17}", vpc)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", key)
    assert key_arn == f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key}"
    assert re.fullmatch(r"[a-z0-9]{10}", api)
    assert re.fullmatch(r"https://[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com", endpoint)


def test_custom_and_unknown_resources_are_refused_unless_values_are_given():
    extra = resources(Seed="Custom::Seeder", Odd="AWS::Made::Up")
    with pytest.raises(UnresolvableError) as raised:
        value_of({"Fn::GetAtt": ["Seed", "Token"]}, extra)
    assert "Fn::GetAtt Seed.Token: Seed is a custom resource" in str(raised.value)
    assert "resource_values={'Seed': {'Token': ...}}" in str(raised.value)
    with pytest.raises(
        UnresolvableError, match=r"does not know what Ref and Fn::GetAtt return for AWS::Made::Up"
    ):
        value_of({"Ref": "Odd"}, extra)
    with pytest.raises(UnresolvableError, match=r"does not model the attribute 'Nope' of AWS::SNS::Topic"):
        value_of({"Fn::GetAtt": ["Topic", "Nope"]})
    given = {"Seed": {"Token": "t-1", "Ref": "seed-1"}, "Odd": {"Ref": "odd-1"}}
    assert value_of(
        [{"Fn::GetAtt": ["Seed", "Token"]}, {"Ref": "Seed"}, {"Ref": "Odd"}], extra, resource_values=given
    ) == [
        "t-1",
        "seed-1",
        "odd-1",
    ]


def test_a_resource_whose_condition_is_false_cannot_be_referenced():
    extra = {
        "Conditions": {"Never": {"Fn::Equals": ["a", "b"]}},
        **resources(Queue={"Type": "AWS::SQS::Queue", "Condition": "Never"}),
    }
    with pytest.raises(TemplateFormatError, match=r"\(Queue is not created: its condition Never is false\)"):
        value_of({"Ref": "Queue"}, extra)


def test_circular_dependencies_are_cloudformations_error():
    extra = resources(
        A={"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::GetAtt": ["B", "QueueName"]}}},
        B={"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::GetAtt": ["A", "QueueName"]}}},
    )
    with pytest.raises(TemplateFormatError, match=r"Circular dependency between resources: \[A, B, A\]"):
        value_of({"Ref": "A"}, extra)


def test_network_and_database_resources_keep_their_shapes():
    extra = resources(
        Vpc={"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        Subnet={
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24"},
        },
        Group={"Type": "AWS::EC2::SecurityGroup", "Properties": {"VpcId": {"Ref": "Vpc"}}},
        Ip="AWS::EC2::EIP",
        Balancer={"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Name": "web"}},
        Db={"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-postgresql"}},
        Warehouse={"Type": "AWS::Redshift::Cluster", "Properties": {"ClusterIdentifier": "dw"}},
    )
    values = value_of(
        {
            "vpc_cidr": {"Fn::GetAtt": ["Vpc", "CidrBlock"]},
            "subnet_vpc": {"Fn::GetAtt": ["Subnet", "VpcId"]},
            "vpc": {"Ref": "Vpc"},
            "zone": {"Fn::GetAtt": ["Subnet", "AvailabilityZone"]},
            "group": {"Fn::GetAtt": ["Group", "GroupId"]},
            "ip": {"Ref": "Ip"},
            "lb": {"Ref": "Balancer"},
            "lb_name": {"Fn::GetAtt": ["Balancer", "LoadBalancerFullName"]},
            "db": {"Ref": "Db"},
            "db_port": {"Fn::GetAtt": ["Db", "Endpoint.Port"]},
            "dw_port": {"Fn::GetAtt": ["Warehouse", "Endpoint.Port"]},
        },
        extra,
        stack_name="Net",
    )
    assert values["vpc_cidr"] == "10.0.0.0/16"
    assert values["subnet_vpc"] == values["vpc"]
    assert values["zone"] == "us-east-1a"
    assert re.fullmatch(r"sg-[0-9a-f]{17}", values["group"])
    assert re.fullmatch(r"3\.80\.0\.\d+", values["ip"])
    assert re.fullmatch(
        r"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/[0-9a-f]{16}", values["lb"]
    )
    assert values["lb_name"] == values["lb"].split(":loadbalancer/")[1]
    assert re.fullmatch(r"net-db-[a-z0-9]{12}", values["db"])  # RDS identifiers are lower case
    assert (values["db_port"], values["dw_port"]) == ("5432", "5439")
