"""Application services' resource types: what ``Ref`` and ``Fn::GetAtt`` return for each.

EventBridge, Scheduler, Pipes, KMS, Kinesis, ECS, Batch, Glue, CodeBuild, Athena,
SageMaker, EMR, Secrets Manager, SSM, API Gateway, AppSync, Cognito, ECR and
OpenSearch Serverless: what state machines call or are wired to. Values follow
each type's "Return values" in the CloudFormation User Guide (merged into
:data:`fakesfn.iac.catalog.KINDS`).
"""

from __future__ import annotations

from typing import Final

from fakesfn.iac.kinds import Getter, Instance, Kind, NameRule, arn_of, name_of, prop_of, random_id
from fakesfn.iac.names import LOWER, UPPER

_STACK_PREFIXED: Final = NameRule(255)
_REGISTRY: Final = NameRule(128, with_stack=False)


def _rule_ref(instance: Instance) -> str:
    bus = instance.text("EventBusName")
    return instance.name if bus in (None, "default") else f"{bus.rsplit('/', 1)[-1]}|{instance.name}"


def _rule_arn(instance: Instance) -> str:
    bus = instance.text("EventBusName")
    path = instance.name if bus in (None, "default") else f"{bus.rsplit('/', 1)[-1]}/{instance.name}"
    return instance.arn("events", f"rule/{path}")


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


SERVICE_KINDS: Final[dict[str, Kind]] = {
    "AWS::Events::EventBus": Kind(
        name_of, {"Arn": arn_of("events", "event-bus/{name}"), "Name": name_of}, "Name"
    ),
    "AWS::Events::Rule": Kind(_rule_ref, {"Arn": _rule_arn}, "Name", NameRule(64, alphabet=UPPER)),
    "AWS::Events::Connection": Kind(
        name_of,
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
        name_of, {"Arn": lambda i: i.arn("events", f"api-destination/{i.name}/{i.uuid()}")}, "Name", _REGISTRY
    ),
    "AWS::Events::Archive": Kind(
        name_of, {"Arn": arn_of("events", "archive/{name}")}, "ArchiveName", _REGISTRY
    ),
    "AWS::Scheduler::Schedule": Kind(
        name_of,
        {"Arn": lambda i: i.arn("scheduler", f"schedule/{i.text('GroupName', 'default')}/{i.name}")},
        "Name",
        _REGISTRY,
    ),
    "AWS::Scheduler::ScheduleGroup": Kind(
        name_of, {"Arn": arn_of("scheduler", "schedule-group/{name}")}, "Name", _REGISTRY
    ),
    "AWS::Pipes::Pipe": Kind(name_of, {"Arn": arn_of("pipes", "pipe/{name}")}, "Name", _REGISTRY),
    "AWS::KMS::Key": Kind(
        lambda i: i.uuid("key"),
        {"Arn": lambda i: i.arn("kms", f"key/{i.uuid('key')}"), "KeyId": lambda i: i.uuid("key")},
    ),
    "AWS::KMS::Alias": Kind(name_of, {}, "AliasName"),
    "AWS::Kinesis::Stream": Kind(name_of, {"Arn": arn_of("kinesis", "stream/{name}")}, "Name", NameRule(128)),
    "AWS::KinesisFirehose::DeliveryStream": Kind(
        name_of, {"Arn": arn_of("firehose", "deliverystream/{name}")}, "DeliveryStreamName", NameRule(64)
    ),
    "AWS::ECS::Cluster": Kind(
        name_of, {"Arn": arn_of("ecs", "cluster/{name}")}, "ClusterName", _STACK_PREFIXED
    ),
    "AWS::ECS::TaskDefinition": Kind(
        _task_definition_arn, {"TaskDefinitionArn": _task_definition_arn}, "Family", _STACK_PREFIXED
    ),
    "AWS::ECS::Service": Kind(
        _service_arn, {"Name": name_of, "ServiceArn": _service_arn}, "ServiceName", _STACK_PREFIXED
    ),
    "AWS::Batch::JobQueue": Kind(
        arn_of("batch", "job-queue/{name}"),
        {"JobQueueArn": arn_of("batch", "job-queue/{name}")},
        "JobQueueName",
        _REGISTRY,
    ),
    "AWS::Batch::JobDefinition": Kind(
        arn_of("batch", "job-definition/{name}:1"), {}, "JobDefinitionName", _REGISTRY
    ),
    "AWS::Batch::ComputeEnvironment": Kind(
        arn_of("batch", "compute-environment/{name}"),
        {"ComputeEnvironmentArn": arn_of("batch", "compute-environment/{name}")},
        "ComputeEnvironmentName",
        _REGISTRY,
    ),
    "AWS::Glue::Job": Kind(name_of, {}, "Name", _REGISTRY),
    "AWS::Glue::Crawler": Kind(name_of, {}, "Name", _REGISTRY),
    "AWS::Glue::Database": Kind(name_of, {}, "DatabaseInput.Name"),
    "AWS::Glue::Table": Kind(name_of, {}, "TableInput.Name"),
    "AWS::CodeBuild::Project": Kind(
        name_of, {"Arn": arn_of("codebuild", "project/{name}")}, "Name", _REGISTRY
    ),
    "AWS::Athena::WorkGroup": Kind(name_of, {}, "Name"),
    "AWS::SageMaker::Model": Kind(
        lambda i: i.arn("sagemaker", f"model/{i.name.lower()}"),
        {"ModelName": name_of},
        "ModelName",
        NameRule(63, False),
    ),
    "AWS::SageMaker::EndpointConfig": Kind(
        lambda i: i.arn("sagemaker", f"endpoint-config/{i.name.lower()}"),
        {"EndpointConfigName": name_of},
        "EndpointConfigName",
        NameRule(63, False),
    ),
    "AWS::SageMaker::Endpoint": Kind(
        lambda i: i.arn("sagemaker", f"endpoint/{i.name.lower()}"),
        {"EndpointName": name_of},
        "EndpointName",
        NameRule(63, False),
    ),
    "AWS::EMR::Cluster": Kind(
        random_id("j-", 13, UPPER),
        {
            "MasterPublicDNS": lambda i: (
                f"ec2-3-80-0-{1 + int(i.token('ip', 2, '0123456789'))}.compute-1.amazonaws.com"
            )
        },
    ),
    "AWS::EMRServerless::Application": Kind(
        random_id("00", 14, LOWER),
        {
            "ApplicationId": random_id("00", 14, LOWER),
            "Arn": lambda i: i.arn("emr-serverless", f"/applications/00{i.token('id', 14, LOWER)}"),
        },
    ),
    "AWS::SecretsManager::Secret": Kind(_secret_arn, {"Id": _secret_arn}, "Name", _REGISTRY),
    "AWS::SSM::Parameter": Kind(
        name_of, {"Type": prop_of("Type"), "Value": prop_of("Value")}, "Name", NameRule(1011)
    ),
    "AWS::ApiGateway::RestApi": Kind(
        random_id("", 10),
        {"RestApiId": random_id("", 10), "RootResourceId": lambda i: i.token("root", 10, LOWER)},
    ),
    "AWS::ApiGateway::Stage": Kind(name_of, {}, "StageName"),
    "AWS::ApiGateway::Deployment": Kind(random_id("", 6), {"DeploymentId": random_id("", 6)}),
    "AWS::ApiGateway::Resource": Kind(random_id("", 6), {"ResourceId": random_id("", 6)}),
    "AWS::ApiGatewayV2::Api": Kind(
        random_id("", 10), {"ApiId": random_id("", 10), "ApiEndpoint": _api_endpoint}
    ),
    "AWS::ApiGatewayV2::Stage": Kind(name_of, {}, "StageName"),
    "AWS::AppSync::GraphQLApi": Kind(
        lambda i: i.arn("appsync", f"apis/{i.token('id', 26, LOWER)}"),
        {
            "ApiId": random_id("", 26),
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
            "Name": name_of,
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
    "AWS::Cognito::UserPoolClient": Kind(random_id("", 26), {"ClientId": random_id("", 26)}),
    "AWS::ECR::Repository": Kind(
        name_of,
        {
            "Arn": arn_of("ecr", "repository/{name}"),
            "RepositoryUri": lambda i: (
                f"{i.environment.account_id}.dkr.ecr.{i.environment.region}.{i.environment.url_suffix}/{i.name}"
            ),
        },
        "RepositoryName",
        NameRule(256, alphabet=LOWER, lower=True),
    ),
    "AWS::OpenSearchServerless::Collection": Kind(
        random_id("", 20),
        {
            "Id": random_id("", 20),
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
    "AWS::OpenSearchServerless::SecurityPolicy": Kind(name_of, {}, "Name"),
    "AWS::OpenSearchServerless::AccessPolicy": Kind(name_of, {}, "Name"),
    "AWS::CloudFormation::Stack": Kind(
        lambda i: i.arn(
            "cloudformation",
            f"stack/{i.environment.stack_name}-{i.logical_id}-{i.token('name', 12, UPPER)}/{i.uuid()}",
        )
    ),
}
"""Application services' types (merged into the catalog)."""
