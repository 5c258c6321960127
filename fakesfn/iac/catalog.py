"""The resource types fakesfn knows: what ``Ref`` and ``Fn::GetAtt`` return for each.

Values follow the "Return values" section of each type's page in the AWS
CloudFormation User Guide (``Ref`` of a queue is its URL, of a topic its ARN,
of a table or bucket its name, of a role its name...), built in the stack's
partition, region and account. Ids AWS makes up (API ids, key ids, VPC ids)
are drawn deterministically from the seed in AWS's formats. Application
services are in :mod:`fakesfn.iac.catalog_services`, network and database
types in :mod:`fakesfn.iac.catalog_network`.

A type missing here, a custom resource or an attribute not listed is not
guessed: using it raises an error naming the resource and saying how to give
the value (``resource_values=``).
"""

from __future__ import annotations

from typing import Final

from fakesfn.iac.catalog_network import NETWORK_KINDS
from fakesfn.iac.catalog_services import SERVICE_KINDS
from fakesfn.iac.errors import TemplateFormatError
from fakesfn.iac.kinds import Getter, Instance, Kind, NameRule, arn_of, generated_id, name_of, random_id
from fakesfn.iac.names import LOWER, UPPER


def _function_arn(instance: Instance, value: object) -> str:
    """A Lambda function's ARN from a property holding its name or ARN."""
    text = str(value)
    return text if text.startswith("arn:") else instance.arn("lambda", f"function:{text}")


def _state_machine(logical_name: str) -> Kind:
    arn = arn_of("states", "stateMachine:{name}")
    return Kind(
        arn,
        {
            "Arn": arn,
            "Name": name_of,
            "StateMachineRevisionId": lambda i: i.resource.attributes.get("Revision", "INITIAL"),
        },
        logical_name,
        NameRule(80, with_stack=False),
    )


def _qualified(machine_property: str, qualifier: Getter) -> Getter:
    def arn(instance: Instance) -> str:
        return f"{instance.prop(machine_property)}:{qualifier(instance)}"

    return arn


_VERSION_ARN = _qualified("StateMachineArn", lambda i: i.resource.attributes.get("VersionNumber", 1))


def _alias_arn(instance: Instance) -> str:
    """``<machine ARN>:<alias>``; the machine is the one the alias's versions belong to."""
    routes = instance.prop("RoutingConfiguration") or []
    version = routes[0].get("StateMachineVersionArn") if routes and isinstance(routes[0], dict) else None
    version = version or instance.prop("DeploymentPreference.StateMachineVersionArn")
    if not isinstance(version, str):
        raise TemplateFormatError(
            "a state machine alias needs RoutingConfiguration or DeploymentPreference naming a version",
            instance.resource.where(),
        )
    return f"{version.rsplit(':', 1)[0]}:{instance.name}"


def _queue_url(instance: Instance) -> str:
    env = instance.environment
    return f"https://sqs.{env.region}.{env.url_suffix}/{env.account_id}/{instance.name}"


def _role_arn(kind: str) -> Getter:
    def arn(instance: Instance) -> str:
        path = instance.text("Path", "/") or "/"
        return instance.arn("iam", f"{kind}{path}{instance.name}", region=False)

    return arn


def _bucket(domain: str) -> Getter:
    def host(instance: Instance) -> str:
        env = instance.environment
        return domain.format(name=instance.name, region=env.region, suffix=env.url_suffix)

    return host


_LEGACY_WEBSITE_REGIONS: Final = frozenset(
    {
        "us-east-1",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-northeast-1",
        "sa-east-1",
    }
)


def _website(instance: Instance) -> str:
    region = instance.environment.region
    separator = "-" if region in _LEGACY_WEBSITE_REGIONS else "."
    return f"http://{instance.name}.s3-website{separator}{region}.amazonaws.com"


def _stream_arn(instance: Instance) -> str:
    if instance.prop("StreamSpecification") is None:
        raise TemplateFormatError(
            "Template error: the StreamArn attribute needs the table's StreamSpecification",
            instance.resource.where(),
        )
    return f"{instance.arn('dynamodb', f'table/{instance.name}')}/stream/2024-01-01T00:00:00.000"


def _table(extra: dict[str, Getter] | None = None) -> Kind:
    arn = arn_of("dynamodb", "table/{name}")
    return Kind(
        name_of,
        {"Arn": arn, "StreamArn": _stream_arn, **(extra or {})},
        "TableName",
        NameRule(255, alphabet=UPPER),
    )


_STACK_PREFIXED: Final = NameRule(255)
_REGISTRY: Final = NameRule(128, with_stack=False)

KINDS: Final[dict[str, Kind]] = {
    "AWS::StepFunctions::StateMachine": _state_machine("StateMachineName"),
    "AWS::StepFunctions::Activity": Kind(
        arn_of("states", "activity:{name}"),
        {"Arn": arn_of("states", "activity:{name}"), "Name": name_of},
        "Name",
    ),
    "AWS::StepFunctions::StateMachineVersion": Kind(_VERSION_ARN, {"Arn": _VERSION_ARN}),
    "AWS::StepFunctions::StateMachineAlias": Kind(
        _alias_arn, {"Arn": _alias_arn}, "Name", NameRule(80, with_stack=False)
    ),
    "AWS::Lambda::Function": Kind(
        name_of, {"Arn": arn_of("lambda", "function:{name}")}, "FunctionName", NameRule(64)
    ),
    "AWS::Lambda::Version": Kind(
        lambda i: f"{_function_arn(i, i.prop('FunctionName'))}:1",
        {"Version": lambda i: "1", "FunctionArn": lambda i: _function_arn(i, i.prop("FunctionName"))},
    ),
    "AWS::Lambda::Alias": Kind(
        lambda i: f"{_function_arn(i, i.prop('FunctionName'))}:{i.name}",
        {"AliasArn": lambda i: f"{_function_arn(i, i.prop('FunctionName'))}:{i.name}"},
        "Name",
    ),
    "AWS::Lambda::LayerVersion": Kind(
        arn_of("lambda", "layer:{name}:1"),
        {"LayerVersionArn": arn_of("lambda", "layer:{name}:1")},
        "LayerName",
        _REGISTRY,
    ),
    "AWS::Lambda::Url": Kind(
        lambda i: _function_arn(i, i.prop("TargetFunctionArn")),
        {
            "FunctionArn": lambda i: _function_arn(i, i.prop("TargetFunctionArn")),
            "FunctionUrl": lambda i: (
                f"https://{i.token('url', 32, LOWER)}.lambda-url.{i.environment.region}.on.aws/"
            ),
        },
    ),
    "AWS::Lambda::Permission": Kind(generated_id),
    "AWS::Lambda::EventInvokeConfig": Kind(generated_id),
    "AWS::Lambda::EventSourceMapping": Kind(
        lambda i: i.uuid(),
        {
            "Id": lambda i: i.uuid(),
            "EventSourceMappingArn": lambda i: i.arn("lambda", f"event-source-mapping:{i.uuid()}"),
        },
    ),
    "AWS::SQS::Queue": Kind(
        _queue_url,
        {"Arn": arn_of("sqs", "{name}"), "QueueName": name_of, "QueueUrl": _queue_url},
        "QueueName",
        NameRule(80, fifo_flag="FifoQueue"),
    ),
    "AWS::SQS::QueuePolicy": Kind(generated_id, {"Id": generated_id}),
    "AWS::SNS::Topic": Kind(
        arn_of("sns", "{name}"),
        {"TopicArn": arn_of("sns", "{name}"), "TopicName": name_of},
        "TopicName",
        NameRule(256, fifo_flag="FifoTopic"),
    ),
    "AWS::SNS::Subscription": Kind(
        lambda i: f"{i.prop('TopicArn')}:{i.uuid()}", {"Arn": lambda i: f"{i.prop('TopicArn')}:{i.uuid()}"}
    ),
    "AWS::SNS::TopicPolicy": Kind(generated_id, {"Id": generated_id}),
    "AWS::DynamoDB::Table": _table(),
    "AWS::DynamoDB::GlobalTable": _table({"TableId": lambda i: i.uuid("table")}),
    "AWS::S3::Bucket": Kind(
        name_of,
        {
            "Arn": arn_of("s3", "{name}", region=False, account=False),
            "DomainName": _bucket("{name}.s3.{suffix}"),
            "RegionalDomainName": _bucket("{name}.s3.{region}.{suffix}"),
            "DualStackDomainName": _bucket("{name}.s3.dualstack.{region}.{suffix}"),
            "WebsiteURL": _website,
        },
        "BucketName",
        NameRule(63, alphabet=LOWER, lower=True),
    ),
    "AWS::S3::BucketPolicy": Kind(generated_id),
    "AWS::IAM::Role": Kind(
        name_of,
        {"Arn": _role_arn("role"), "RoleId": random_id("AROA", 17, UPPER)},
        "RoleName",
        NameRule(64, alphabet=UPPER),
    ),
    "AWS::IAM::Policy": Kind(generated_id, {"Id": generated_id}),
    "AWS::IAM::ManagedPolicy": Kind(
        _role_arn("policy"),
        {"PolicyArn": _role_arn("policy"), "PolicyId": random_id("ANPA", 17, UPPER)},
        "ManagedPolicyName",
        NameRule(128, alphabet=UPPER),
    ),
    "AWS::IAM::InstanceProfile": Kind(
        name_of, {"Arn": _role_arn("instance-profile")}, "InstanceProfileName", NameRule(128, alphabet=UPPER)
    ),
    "AWS::IAM::User": Kind(name_of, {"Arn": _role_arn("user")}, "UserName", NameRule(64, alphabet=UPPER)),
    "AWS::IAM::Group": Kind(name_of, {"Arn": _role_arn("group")}, "GroupName", NameRule(128, alphabet=UPPER)),
    "AWS::Logs::LogGroup": Kind(
        name_of, {"Arn": arn_of("logs", "log-group:{name}:*")}, "LogGroupName", NameRule(512)
    ),
    "AWS::Logs::LogStream": Kind(name_of, {}, "LogStreamName", NameRule(512)),
    "AWS::CDK::Metadata": Kind(generated_id),
    **SERVICE_KINDS,
    **NETWORK_KINDS,
}
"""CloudFormation resource type -> what ``Ref`` and ``Fn::GetAtt`` give for it."""
