"""The resource types fakesfn knows: what ``Ref`` and ``Fn::GetAtt`` return for each.

Values follow the "Return values" section of each type's page in the AWS
CloudFormation User Guide (``Ref`` of a queue is its URL, of a topic its ARN,
of a table or bucket its name, of a role its name...), built in the stack's
partition, region and account. Ids AWS makes up (API ids, key ids, VPC ids)
are drawn deterministically from the seed in AWS's formats. Network and
database types are in :mod:`fakesfn.iac.catalog_network`.

A type missing here, a custom resource or an attribute not listed is not
guessed: using it raises an error naming the resource and saying how to give
the value (``resource_values=``).
"""

from __future__ import annotations

from typing import Final

from fakesfn.iac.catalog_network import NETWORK_KINDS
from fakesfn.iac.errors import TemplateFormatError
from fakesfn.iac.kinds import Getter, Instance, Kind, NameRule
from fakesfn.iac.names import LOWER, UPPER


def _name(instance: Instance) -> str:
    return instance.name


def _arn(service: str, template: str, *, region: bool = True, account: bool = True) -> Getter:
    """A getter for ``arn:<partition>:<service>:<region>:<account>:<template with {name}>``."""

    def arn(instance: Instance) -> str:
        return instance.arn(service, template.format(name=instance.name), region=region, account=account)

    return arn


def _id(prefix: str, length: int, alphabet: str = LOWER) -> Getter:
    def make(instance: Instance) -> str:
        return prefix + instance.token("id", length, alphabet)

    return make


def _prop(path: str, default: str | None = None) -> Getter:
    def read(instance: Instance) -> object:
        return instance.prop(path, default)

    return read


def _function_arn(instance: Instance, value: object) -> str:
    """A Lambda function's ARN from a property holding its name or ARN."""
    text = str(value)
    return text if text.startswith("arn:") else instance.arn("lambda", f"function:{text}")


def _state_machine(logical_name: str) -> Kind:
    arn = _arn("states", "stateMachine:{name}")
    return Kind(
        arn,
        {
            "Arn": arn,
            "Name": _name,
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


def _rule_ref(instance: Instance) -> str:
    bus = instance.text("EventBusName")
    return instance.name if bus in (None, "default") else f"{bus.rsplit('/', 1)[-1]}|{instance.name}"


def _rule_arn(instance: Instance) -> str:
    bus = instance.text("EventBusName")
    path = instance.name if bus in (None, "default") else f"{bus.rsplit('/', 1)[-1]}/{instance.name}"
    return instance.arn("events", f"rule/{path}")


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
    arn = _arn("dynamodb", "table/{name}")
    return Kind(
        _name,
        {"Arn": arn, "StreamArn": _stream_arn, **(extra or {})},
        "TableName",
        NameRule(255, alphabet=UPPER),
    )


def _secret_arn(instance: Instance) -> str:
    return instance.arn("secretsmanager", f"secret:{instance.name}-{instance.token('secret', 6, LOWER)}")


def _task_definition_arn(instance: Instance) -> str:
    return instance.arn("ecs", f"task-definition/{instance.name}:1")


def _service_arn(instance: Instance) -> str:
    cluster = instance.text("Cluster", "default") or "default"
    return instance.arn("ecs", f"service/{cluster.rsplit('/', 1)[-1]}/{instance.name}")


def _api_endpoint(instance: Instance) -> str:
    env = instance.environment
    return f"https://{instance.token('id', 10, LOWER)}.execute-api.{env.region}.{env.url_suffix}"


def _appsync(kind: str) -> Getter:
    def value(instance: Instance) -> str:
        host = (
            f"{instance.token('dns', 26, LOWER)}.appsync-{kind}.{instance.environment.region}.amazonaws.com"
        )
        return (
            host
            if kind.endswith("dns")
            else f"{'wss' if kind == 'realtime-api' else 'https'}://{host}/graphql"
        )

    return value


def _user_pool_provider(instance: Instance) -> str:
    region = instance.environment.region
    return f"cognito-idp.{region}.amazonaws.com/{region}_{instance.token('id', 9, LOWER)}"


def _custom_id(instance: Instance) -> str:
    return f"{instance.environment.stack_name}-{instance.logical_id}-{instance.token('id', 12, UPPER)}"


_STACK_PREFIXED: Final = NameRule(255)
_REGISTRY: Final = NameRule(128, with_stack=False)

KINDS: Final[dict[str, Kind]] = {
    "AWS::StepFunctions::StateMachine": _state_machine("StateMachineName"),
    "AWS::StepFunctions::Activity": Kind(
        _arn("states", "activity:{name}"), {"Arn": _arn("states", "activity:{name}"), "Name": _name}, "Name"
    ),
    "AWS::StepFunctions::StateMachineVersion": Kind(_VERSION_ARN, {"Arn": _VERSION_ARN}),
    "AWS::StepFunctions::StateMachineAlias": Kind(
        _alias_arn, {"Arn": _alias_arn}, "Name", NameRule(80, with_stack=False)
    ),
    "AWS::Lambda::Function": Kind(
        _name, {"Arn": _arn("lambda", "function:{name}")}, "FunctionName", NameRule(64)
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
        _arn("lambda", "layer:{name}:1"),
        {"LayerVersionArn": _arn("lambda", "layer:{name}:1")},
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
    "AWS::Lambda::Permission": Kind(_custom_id),
    "AWS::Lambda::EventInvokeConfig": Kind(_custom_id),
    "AWS::Lambda::EventSourceMapping": Kind(
        lambda i: i.uuid(),
        {
            "Id": lambda i: i.uuid(),
            "EventSourceMappingArn": lambda i: i.arn("lambda", f"event-source-mapping:{i.uuid()}"),
        },
    ),
    "AWS::SQS::Queue": Kind(
        _queue_url,
        {"Arn": _arn("sqs", "{name}"), "QueueName": _name, "QueueUrl": _queue_url},
        "QueueName",
        NameRule(80, fifo_flag="FifoQueue"),
    ),
    "AWS::SQS::QueuePolicy": Kind(_custom_id, {"Id": _custom_id}),
    "AWS::SNS::Topic": Kind(
        _arn("sns", "{name}"),
        {"TopicArn": _arn("sns", "{name}"), "TopicName": _name},
        "TopicName",
        NameRule(256, fifo_flag="FifoTopic"),
    ),
    "AWS::SNS::Subscription": Kind(
        lambda i: f"{i.prop('TopicArn')}:{i.uuid()}", {"Arn": lambda i: f"{i.prop('TopicArn')}:{i.uuid()}"}
    ),
    "AWS::SNS::TopicPolicy": Kind(_custom_id, {"Id": _custom_id}),
    "AWS::DynamoDB::Table": _table(),
    "AWS::DynamoDB::GlobalTable": _table({"TableId": lambda i: i.uuid("table")}),
    "AWS::S3::Bucket": Kind(
        _name,
        {
            "Arn": _arn("s3", "{name}", region=False, account=False),
            "DomainName": _bucket("{name}.s3.{suffix}"),
            "RegionalDomainName": _bucket("{name}.s3.{region}.{suffix}"),
            "DualStackDomainName": _bucket("{name}.s3.dualstack.{region}.{suffix}"),
            "WebsiteURL": _website,
        },
        "BucketName",
        NameRule(63, alphabet=LOWER, lower=True),
    ),
    "AWS::S3::BucketPolicy": Kind(_custom_id),
    "AWS::IAM::Role": Kind(
        _name,
        {"Arn": _role_arn("role"), "RoleId": _id("AROA", 17, UPPER)},
        "RoleName",
        NameRule(64, alphabet=UPPER),
    ),
    "AWS::IAM::Policy": Kind(_custom_id, {"Id": _custom_id}),
    "AWS::IAM::ManagedPolicy": Kind(
        _role_arn("policy"),
        {"PolicyArn": _role_arn("policy"), "PolicyId": _id("ANPA", 17, UPPER)},
        "ManagedPolicyName",
        NameRule(128, alphabet=UPPER),
    ),
    "AWS::IAM::InstanceProfile": Kind(
        _name, {"Arn": _role_arn("instance-profile")}, "InstanceProfileName", NameRule(128, alphabet=UPPER)
    ),
    "AWS::IAM::User": Kind(_name, {"Arn": _role_arn("user")}, "UserName", NameRule(64, alphabet=UPPER)),
    "AWS::IAM::Group": Kind(_name, {"Arn": _role_arn("group")}, "GroupName", NameRule(128, alphabet=UPPER)),
    "AWS::Logs::LogGroup": Kind(
        _name, {"Arn": _arn("logs", "log-group:{name}:*")}, "LogGroupName", NameRule(512)
    ),
    "AWS::Logs::LogStream": Kind(_name, {}, "LogStreamName", NameRule(512)),
    "AWS::Events::EventBus": Kind(_name, {"Arn": _arn("events", "event-bus/{name}"), "Name": _name}, "Name"),
    "AWS::Events::Rule": Kind(_rule_ref, {"Arn": _rule_arn}, "Name", NameRule(64, alphabet=UPPER)),
    "AWS::Events::Connection": Kind(
        _name,
        {
            "Arn": lambda i: i.arn("events", f"connection/{i.name}/{i.uuid()}"),
            "ArnForPolicy": lambda i: i.arn("events", f"connection/{i.name}"),
            "SecretArn": lambda i: i.arn(
                "secretsmanager",
                f"secret:events!connection/{i.name}/{i.uuid()}-{i.token('secret', 6, LOWER)}",
            ),
        },
        "Name",
        _REGISTRY,
    ),
    "AWS::Events::ApiDestination": Kind(
        _name, {"Arn": lambda i: i.arn("events", f"api-destination/{i.name}/{i.uuid()}")}, "Name", _REGISTRY
    ),
    "AWS::Events::Archive": Kind(_name, {"Arn": _arn("events", "archive/{name}")}, "ArchiveName", _REGISTRY),
    "AWS::Scheduler::Schedule": Kind(
        _name,
        {"Arn": lambda i: i.arn("scheduler", f"schedule/{i.text('GroupName', 'default')}/{i.name}")},
        "Name",
        _REGISTRY,
    ),
    "AWS::Scheduler::ScheduleGroup": Kind(
        _name, {"Arn": _arn("scheduler", "schedule-group/{name}")}, "Name", _REGISTRY
    ),
    "AWS::Pipes::Pipe": Kind(_name, {"Arn": _arn("pipes", "pipe/{name}")}, "Name", _REGISTRY),
    "AWS::KMS::Key": Kind(
        lambda i: i.uuid("key"),
        {"Arn": lambda i: i.arn("kms", f"key/{i.uuid('key')}"), "KeyId": lambda i: i.uuid("key")},
    ),
    "AWS::KMS::Alias": Kind(_name, {}, "AliasName"),
    "AWS::Kinesis::Stream": Kind(_name, {"Arn": _arn("kinesis", "stream/{name}")}, "Name", NameRule(128)),
    "AWS::KinesisFirehose::DeliveryStream": Kind(
        _name, {"Arn": _arn("firehose", "deliverystream/{name}")}, "DeliveryStreamName", NameRule(64)
    ),
    "AWS::ECS::Cluster": Kind(_name, {"Arn": _arn("ecs", "cluster/{name}")}, "ClusterName", _STACK_PREFIXED),
    "AWS::ECS::TaskDefinition": Kind(
        _task_definition_arn, {"TaskDefinitionArn": _task_definition_arn}, "Family", _STACK_PREFIXED
    ),
    "AWS::ECS::Service": Kind(
        _service_arn, {"Name": _name, "ServiceArn": _service_arn}, "ServiceName", _STACK_PREFIXED
    ),
    "AWS::Batch::JobQueue": Kind(
        _arn("batch", "job-queue/{name}"),
        {"JobQueueArn": _arn("batch", "job-queue/{name}")},
        "JobQueueName",
        _REGISTRY,
    ),
    "AWS::Batch::JobDefinition": Kind(
        _arn("batch", "job-definition/{name}:1"), {}, "JobDefinitionName", _REGISTRY
    ),
    "AWS::Batch::ComputeEnvironment": Kind(
        _arn("batch", "compute-environment/{name}"),
        {"ComputeEnvironmentArn": _arn("batch", "compute-environment/{name}")},
        "ComputeEnvironmentName",
        _REGISTRY,
    ),
    "AWS::Glue::Job": Kind(_name, {}, "Name", _REGISTRY),
    "AWS::Glue::Crawler": Kind(_name, {}, "Name", _REGISTRY),
    "AWS::Glue::Database": Kind(_name, {}, "DatabaseInput.Name"),
    "AWS::Glue::Table": Kind(_name, {}, "TableInput.Name"),
    "AWS::CodeBuild::Project": Kind(_name, {"Arn": _arn("codebuild", "project/{name}")}, "Name", _REGISTRY),
    "AWS::Athena::WorkGroup": Kind(_name, {}, "Name"),
    "AWS::SageMaker::Model": Kind(
        lambda i: i.arn("sagemaker", f"model/{i.name.lower()}"),
        {"ModelName": _name},
        "ModelName",
        NameRule(63, False),
    ),
    "AWS::SageMaker::EndpointConfig": Kind(
        lambda i: i.arn("sagemaker", f"endpoint-config/{i.name.lower()}"),
        {"EndpointConfigName": _name},
        "EndpointConfigName",
        NameRule(63, False),
    ),
    "AWS::SageMaker::Endpoint": Kind(
        lambda i: i.arn("sagemaker", f"endpoint/{i.name.lower()}"),
        {"EndpointName": _name},
        "EndpointName",
        NameRule(63, False),
    ),
    "AWS::EMR::Cluster": Kind(
        _id("j-", 13, UPPER),
        {
            "MasterPublicDNS": lambda i: (
                f"ec2-3-80-0-{1 + int(i.token('ip', 2, '0123456789'))}.compute-1.amazonaws.com"
            )
        },
    ),
    "AWS::EMRServerless::Application": Kind(
        _id("00", 14, LOWER),
        {
            "ApplicationId": _id("00", 14, LOWER),
            "Arn": lambda i: i.arn("emr-serverless", f"/applications/00{i.token('id', 14, LOWER)}"),
        },
    ),
    "AWS::SecretsManager::Secret": Kind(_secret_arn, {"Id": _secret_arn}, "Name", _REGISTRY),
    "AWS::SSM::Parameter": Kind(
        _name, {"Type": _prop("Type"), "Value": _prop("Value")}, "Name", NameRule(1011)
    ),
    "AWS::ApiGateway::RestApi": Kind(
        _id("", 10), {"RestApiId": _id("", 10), "RootResourceId": lambda i: i.token("root", 10, LOWER)}
    ),
    "AWS::ApiGateway::Stage": Kind(_name, {}, "StageName"),
    "AWS::ApiGateway::Deployment": Kind(_id("", 6), {"DeploymentId": _id("", 6)}),
    "AWS::ApiGateway::Resource": Kind(_id("", 6), {"ResourceId": _id("", 6)}),
    "AWS::ApiGatewayV2::Api": Kind(_id("", 10), {"ApiId": _id("", 10), "ApiEndpoint": _api_endpoint}),
    "AWS::ApiGatewayV2::Stage": Kind(_name, {}, "StageName"),
    "AWS::AppSync::GraphQLApi": Kind(
        lambda i: i.arn("appsync", f"apis/{i.token('id', 26, LOWER)}"),
        {
            "ApiId": _id("", 26),
            "Arn": lambda i: i.arn("appsync", f"apis/{i.token('id', 26, LOWER)}"),
            "GraphQLUrl": _appsync("api"),
            "GraphQLDns": _appsync("api-dns"),
            "RealtimeUrl": _appsync("realtime-api"),
            "RealtimeDns": _appsync("realtime-api-dns"),
        },
    ),
    "AWS::AppSync::DataSource": Kind(
        lambda i: f"{i.arn('appsync', 'apis/' + str(i.prop('ApiId')))}/datasources/{i.name}",
        {
            "DataSourceArn": lambda i: (
                f"{i.arn('appsync', 'apis/' + str(i.prop('ApiId')))}/datasources/{i.name}"
            ),
            "Name": _name,
        },
        "Name",
    ),
    "AWS::Cognito::UserPool": Kind(
        lambda i: f"{i.environment.region}_{i.token('id', 9, LOWER)}",
        {
            "Arn": lambda i: i.arn(
                "cognito-idp", f"userpool/{i.environment.region}_{i.token('id', 9, LOWER)}"
            ),
            "ProviderName": lambda i: _user_pool_provider(i),
            "ProviderURL": lambda i: f"https://{_user_pool_provider(i)}",
        },
    ),
    "AWS::Cognito::UserPoolClient": Kind(_id("", 26), {"ClientId": _id("", 26)}),
    "AWS::ECR::Repository": Kind(
        _name,
        {
            "Arn": _arn("ecr", "repository/{name}"),
            "RepositoryUri": lambda i: (
                f"{i.environment.account_id}.dkr.ecr.{i.environment.region}.{i.environment.url_suffix}/{i.name}"
            ),
        },
        "RepositoryName",
        NameRule(256, alphabet=LOWER, lower=True),
    ),
    "AWS::OpenSearchServerless::Collection": Kind(
        _id("", 20),
        {
            "Id": _id("", 20),
            "Arn": lambda i: i.arn("aoss", f"collection/{i.token('id', 20, LOWER)}"),
            "CollectionEndpoint": lambda i: (
                f"https://{i.token('id', 20, LOWER)}.{i.environment.region}.aoss.amazonaws.com"
            ),
            "DashboardEndpoint": lambda i: (
                f"https://{i.token('id', 20, LOWER)}.{i.environment.region}.aoss.amazonaws.com/_dashboards"
            ),
        },
        "Name",
    ),
    "AWS::OpenSearchServerless::SecurityPolicy": Kind(_name, {}, "Name"),
    "AWS::OpenSearchServerless::AccessPolicy": Kind(_name, {}, "Name"),
    "AWS::CloudFormation::Stack": Kind(
        lambda i: i.arn(
            "cloudformation",
            f"stack/{i.environment.stack_name}-{i.logical_id}-{i.token('name', 12, UPPER)}/{i.uuid()}",
        )
    ),
    "AWS::CDK::Metadata": Kind(_custom_id),
    **NETWORK_KINDS,
}
"""CloudFormation resource type -> what ``Ref`` and ``Fn::GetAtt`` give for it."""
