"""aws-sdk integrations for every service botocore knows, and what a session's failure becomes.

The ARN names the AWS SDK for Java 2.x module (``redshiftdata``, ``bedrockagent``),
which comes from the model's serviceId, while boto3 names the same model
``redshift-data`` and ``bedrock-agent``; every service must be reachable. Whatever
the user's session raises must fail the task the way a service error does, in
AWS's words, so Retry and Catch can handle it.
"""

from __future__ import annotations

import botocore.exceptions
import botocore.session
import pytest

from fakesfn.integrations.sdk import boto_service_name, java_name, service_model
from tests.integrations.helpers import StubbedSession, create, read, start, task_machine


@pytest.fixture
def session(sfn_backend):
    stubbed = StubbedSession()
    sfn_backend.aws_session = stubbed
    yield stubbed
    for stubber in stubbed.stubbers.values():
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("arn_service", "boto"),
    [
        ("redshiftdata", "redshift-data"),
        ("bedrockagent", "bedrock-agent"),
        ("bedrockruntime", "bedrock-runtime"),
        ("bedrockagentruntime", "bedrock-agent-runtime"),
        ("emrserverless", "emr-serverless"),
        ("emrcontainers", "emr-containers"),
        ("costandusagereport", "cur"),
        ("directory", "ds"),
        ("lexmodelsv2", "lexv2-models"),
        ("marketplacemetering", "meteringmarketplace"),
    ],
)
def test_hyphenated_and_renamed_sdk_services_are_found(arn_service, boto):
    assert boto_service_name(arn_service) == boto
    assert java_name(service_model(boto)).lower() == arn_service


def test_every_service_with_a_hyphen_in_boto3_is_reachable():
    names = botocore.session.get_session().get_available_services()
    hyphenated = [name for name in names if "-" in name][:40]
    for name in hyphenated:
        module = java_name(service_model(name)).lower()
        assert boto_service_name(module) == name, name


def test_an_sdk_call_to_a_hyphenated_service_goes_through_the_session(sfn, session):
    session.stub("redshift-data").add_response(
        "list_databases", {"Databases": ["dev"]}, {"ClusterIdentifier": "c", "Database": "dev"}
    )
    definition = task_machine(
        "arn:aws:states:::aws-sdk:redshiftdata:listDatabases",
        Parameters={"ClusterIdentifier": "c", "Database": "dev"},
    )
    ran = read(sfn, start(sfn, create(sfn, definition)))
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"Databases": ["dev"]}
    assert ran.details("TaskSucceeded")[0]["resourceType"] == "aws-sdk:redshiftdata"


class _Broken:
    """A session whose service raises what a mock raises for an action it lacks."""

    def client(self, service, region_name=None):
        class Client:
            def get_item(self, **params):
                raise NotImplementedError("The get_item action has not been implemented")

        return Client()


def test_a_session_exception_fails_the_task_as_a_service_error(sfn, sfn_backend):
    sfn_backend.aws_session = _Broken()
    definition = task_machine(
        "arn:aws:states:::aws-sdk:dynamodb:getItem",
        Parameters={"TableName": "t", "Key": {"id": {"S": "1"}}},
        Retry=[{"ErrorEquals": ["DynamoDb.DynamoDbException"], "MaxAttempts": 1, "IntervalSeconds": 1}],
        Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Handled"}],
        Next="Handled",
    )
    definition["States"]["Work"].pop("End")
    definition["States"]["Handled"] = {"Type": "Pass", "End": True}
    execution = start(sfn, create(sfn, definition))
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    assert ran.types.count("TaskFailed") == 2  # retried once, then caught
    failed = ran.details("TaskFailed")[0]
    assert failed["error"] == "DynamoDb.DynamoDbException"
    assert failed["cause"].startswith(
        "The get_item action has not been implemented (Service: DynamoDb, Status Code: 500, Request ID: "
    )
    assert ran.output["Error"] == "DynamoDb.DynamoDbException"


def test_parameters_botocore_refuses_are_worded_as_aws_words_them(sfn, session):
    session.plain("sqs")
    definition = task_machine(
        "arn:aws:states:::aws-sdk:sqs:receiveMessage",
        Parameters={"QueueUrl": "https://sqs/q", "MaxNumberOfMessages": "ten"},
    )
    ran = read(sfn, start(sfn, create(sfn, definition)))
    assert ran.describe["error"] == "Sqs.SqsException"
    cause = ran.describe["cause"]
    assert cause.startswith(
        "1 validation error detected: Value 'ten' at 'maxNumberOfMessages' failed to satisfy constraint: "
        "Member must be an integer (Service: Sqs, Status Code: 400, Request ID: "
    )
    assert "<class" not in cause


def test_a_missing_required_parameter_is_a_null_member(sfn, session):
    session.plain("dynamodb")
    definition = task_machine("arn:aws:states:::aws-sdk:dynamodb:getItem", Parameters={"TableName": "t"})
    ran = read(sfn, start(sfn, create(sfn, definition)))
    assert ran.describe["cause"].startswith(
        "1 validation error detected: Value null at 'key' failed to satisfy constraint: "
        "Member must not be null"
    )


@pytest.mark.parametrize(
    ("resource", "error"),
    [
        ("arn:aws:states:::sqs:sendMessage", "SQS.SdkClientException"),
        ("arn:aws:states:::aws-sdk:sqs:sendMessage", "Sqs.SdkClientException"),
    ],
)
def test_a_request_that_gets_no_answer_is_the_sdks_client_exception(sfn, session, resource, error):
    # LocalStack's test_send_message_no_such_queue (AWS-validated 2023-06-22): a QueueUrl whose
    # host does not resolve fails with SQS.SdkClientException, "Unable to execute HTTP request: ...".
    client = session.plain("sqs")

    def unreachable(**_: object) -> None:
        raise botocore.exceptions.EndpointConnectionError(endpoint_url="http://no-such-queue")

    client.meta.events.register("before-send.sqs", unreachable)
    definition = task_machine(
        resource,
        Parameters={"QueueUrl": "http://no-such-queue", "MessageBody": "m"},
        Catch=[{"ErrorEquals": [error], "Next": "Handled"}],
        Next="Handled",
    )
    definition["States"]["Work"].pop("End")
    definition["States"]["Handled"] = {"Type": "Pass", "End": True}
    ran = read(sfn, start(sfn, create(sfn, definition)))
    assert ran.status == "SUCCEEDED"
    assert ran.details("TaskFailed")[0] == {
        "error": error,
        "cause": 'Unable to execute HTTP request: Could not connect to the endpoint URL: "http://no-such-queue"',
        "resource": "sendMessage",
        "resourceType": "sqs" if "aws-sdk" not in resource else "aws-sdk:sqs",
    }
