"""aws-sdk and optimized integrations against moto's ``mock_aws`` behind the backend's session.

moto answers only the long-stable core calls of DynamoDB, SQS, SNS and S3; other services'
answers come from botocore's Stubber (the ``session`` fixture), so a moto release that drops or
changes a call cannot break these tests.
"""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

import fakesfn
from tests.integrations.helpers import create, event, read, start, task_machine
from tests.integrations.test_stubbed_services import session  # noqa: F401 - the Stubber-backed session fixture

REGION = "us-east-1"


@pytest.fixture(scope="module")
def world():
    """One moto world for the module (creating resources is the slow part): a table, a topic, a bucket."""
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        dynamodb = session.client("dynamodb")
        dynamodb.create_table(
            TableName="orders",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        sqs = session.client("sqs")
        sns = session.client("sns")
        topic = sns.create_topic(Name="alerts")["TopicArn"]
        inbox = sqs.create_queue(QueueName="alerts-inbox")["QueueUrl"]
        inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        sns.subscribe(
            TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn, Attributes={"RawMessageDelivery": "true"}
        )
        s3 = session.client("s3")
        s3.create_bucket(Bucket="reports-bucket")
        yield {"session": session, "dynamodb": dynamodb, "sqs": sqs, "topic": topic, "inbox": inbox, "s3": s3}


@pytest.fixture
def aws(world, sfn_backend, request):
    """The moto world behind this test's backend, with a fresh queue of its own."""
    sfn_backend.aws_session = world["session"]
    queue = world["sqs"].create_queue(QueueName=request.node.name[:80])["QueueUrl"]
    return {**world, "queue": queue}


def run_task(sfn, resource, parameters, value=None, **fields):
    execution = start(
        sfn,
        create(
            sfn,
            task_machine(resource, Parameters=parameters, **fields),
            name=f"m{len(sfn.list_state_machines()['stateMachines'])}",
        ),
        value,
    )
    sfn.backend.settle()
    return read(sfn, execution)


def messages(aws, queue):
    received = aws["sqs"].receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
    for message in received:
        aws["sqs"].delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    return [message["Body"] for message in received]


def test_fake_client_is_not_intercepted_by_moto(sfn, aws):
    create(sfn, task_machine("arn:aws:states:::aws-sdk:s3:listBuckets", Parameters={}), name="mine")
    assert [m["name"] for m in sfn.list_state_machines()["stateMachines"]] == ["mine"]
    # (Inside a test using the fixtures, every boto3 stepfunctions client is a fake: look at
    # moto's own store.)
    from moto.stepfunctions.models import stepfunctions_backends

    assert stepfunctions_backends["123456789012"]["us-east-1"].state_machines == []


def test_optimized_put_item_lands_and_get_item_reads_it(sfn, aws):
    item = {"id": {"S": "o-1"}, "total": {"N": "42"}}
    put = run_task(sfn, "arn:aws:states:::dynamodb:putItem", {"TableName": "orders", "Item": item})
    assert put.status == "SUCCEEDED"
    assert aws["dynamodb"].get_item(TableName="orders", Key={"id": {"S": "o-1"}})["Item"] == item
    assert put.output["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert put.output["SdkResponseMetadata"]["RequestId"]
    got = run_task(
        sfn, "arn:aws:states:::dynamodb:getItem", {"TableName": "orders", "Key": {"id": {"S": "o-1"}}}
    )
    assert got.output["Item"] == item


def test_optimized_update_and_delete_item(sfn, aws):
    aws["dynamodb"].put_item(TableName="orders", Item={"id": {"S": "o-2"}, "state": {"S": "new"}})
    updated = run_task(
        sfn,
        "arn:aws:states:::dynamodb:updateItem",
        {
            "TableName": "orders",
            "Key": {"id": {"S": "o-2"}},
            "UpdateExpression": "SET #s = :s",
            "ExpressionAttributeNames": {"#s": "state"},
            "ExpressionAttributeValues": {":s": {"S": "paid"}},
            "ReturnValues": "UPDATED_NEW",
        },
    )
    assert updated.output["Attributes"] == {"state": {"S": "paid"}}
    run_task(
        sfn, "arn:aws:states:::dynamodb:deleteItem", {"TableName": "orders", "Key": {"id": {"S": "o-2"}}}
    )
    assert "Item" not in aws["dynamodb"].get_item(TableName="orders", Key={"id": {"S": "o-2"}})


def test_aws_sdk_dynamodb_put_and_get_without_http_metadata(sfn, aws):
    item = {"id": {"S": "o-3"}}
    put = run_task(sfn, "arn:aws:states:::aws-sdk:dynamodb:putItem", {"TableName": "orders", "Item": item})
    assert put.output == {}
    got = run_task(sfn, "arn:aws:states:::aws-sdk:dynamodb:getItem", {"TableName": "orders", "Key": item})
    assert got.output == {"Item": item}
    scheduled = event(got, "TaskScheduled")["taskScheduledEventDetails"]
    assert (scheduled["resourceType"], scheduled["resource"]) == ("aws-sdk:dynamodb", "getItem")


def test_missing_table_error_names_per_integration_kind(sfn, aws):
    params = {"TableName": "missing", "Item": {"id": {"S": "x"}}}
    optimized = run_task(sfn, "arn:aws:states:::dynamodb:putItem", params)
    assert optimized.describe["error"] == "DynamoDB.ResourceNotFoundException"
    assert optimized.describe["cause"].startswith(
        "Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400;"
    )
    assert optimized.describe["cause"].endswith("; Proxy: null)")
    sdk = run_task(sfn, "arn:aws:states:::aws-sdk:dynamodb:putItem", params)
    assert sdk.describe["error"] == "DynamoDb.ResourceNotFoundException"
    assert sdk.describe["cause"].startswith(
        "Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: "
    )


def test_null_item_is_a_validation_error_in_aws_wording(sfn, aws):
    ran = run_task(
        sfn,
        "arn:aws:states:::aws-sdk:dynamodb:putItem",
        {"TableName": "orders", "Item.$": "$.item"},
        {"item": None},
    )
    assert ran.describe["error"] == "DynamoDb.DynamoDbException"
    assert ran.describe["cause"].startswith(
        "1 validation error detected: Value null at 'item' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_send_message_lands_with_object_bodies_serialised(sfn, aws):
    ran = run_task(
        sfn, "arn:aws:states:::sqs:sendMessage", {"QueueUrl": aws["queue"], "MessageBody": {"job": 7}}
    )
    assert ran.status == "SUCCEEDED"
    assert set(ran.output) >= {"MD5OfMessageBody", "MessageId", "SdkHttpMetadata", "SdkResponseMetadata"}
    assert messages(aws, aws["queue"]) == ['{"job":7}']


def test_send_message_with_null_body_is_missing_parameter(sfn, aws):
    ran = run_task(
        sfn,
        "arn:aws:states:::sqs:sendMessage",
        {"QueueUrl": aws["queue"], "MessageBody.$": "$.body"},
        {"body": None},
    )
    assert ran.describe["error"] == "SQS.AmazonSQSException"
    assert ran.describe["cause"].startswith(
        "The request must contain the parameter MessageBody. (Service: AmazonSQS;"
    )


def test_sns_publish_reaches_subscribers(sfn, aws):
    ran = run_task(sfn, "arn:aws:states:::sns:publish", {"TopicArn": aws["topic"], "Message": "disk full"})
    assert ran.status == "SUCCEEDED"
    assert "MessageId" in ran.output
    assert messages(aws, aws["inbox"]) == ["disk full"]


# EventBridge is not among the long-stable calls moto is relied on for here: its answers come
# from a Stubber the test controls.


def test_put_events_failed_entry_fails_the_task(sfn, session):  # noqa: F811
    entries = [
        {"Source": "shop", "DetailType": "order", "Detail": {"id": 1}},
        {"DetailType": "order", "Detail": {}},
    ]
    failed = {"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter Source is not valid."}
    session.stub("events").add_response(
        "put_events",
        {"FailedEntryCount": 1, "Entries": [{"EventId": "e-1"}, failed]},
        {
            "Entries": [
                {"Source": "shop", "DetailType": "order", "Detail": '{"id":1}'},
                {"DetailType": "order", "Detail": "{}"},
            ]
        },
    )
    ran = run_task(sfn, "arn:aws:states:::events:putEvents", {"Entries": entries})
    assert ran.describe["error"] == "EventBridge.FailedEntry"
    cause = json.loads(ran.describe["cause"])
    assert cause == {"FailedEntryCount": 1, "Entries": [{"EventId": "e-1"}, failed]}


def test_put_events_success(sfn, session):  # noqa: F811
    session.stub("events").add_response(
        "put_events",
        {"FailedEntryCount": 0, "Entries": [{"EventId": "e-1"}]},
        {"Entries": [{"Source": "shop", "DetailType": "t", "Detail": '{"a":1}'}]},
    )
    ran = run_task(
        sfn,
        "arn:aws:states:::events:putEvents",
        {"Entries": [{"Source": "shop", "DetailType": "t", "Detail": {"a": 1}}]},
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output["FailedEntryCount"] == 0
    assert ran.output["Entries"] == [{"EventId": "e-1"}]


def test_s3_put_and_get_object_through_aws_sdk(sfn, aws):
    run_task(
        sfn,
        "arn:aws:states:::aws-sdk:s3:putObject",
        {"Bucket": "reports-bucket", "Key": "r.txt", "Body": "hello"},
    )
    assert aws["s3"].get_object(Bucket="reports-bucket", Key="r.txt")["Body"].read() == b"hello"
    got = run_task(sfn, "arn:aws:states:::aws-sdk:s3:getObject", {"Bucket": "reports-bucket", "Key": "r.txt"})
    assert got.output["Body"] == "hello"
    assert got.output["LastModified"].endswith("Z")


def test_s3_no_such_key_is_caught_by_its_service_name(sfn, aws):
    definition = task_machine(
        "arn:aws:states:::aws-sdk:s3:getObject",
        Parameters={"Bucket": "reports-bucket", "Key": "absent.json"},
        Catch=[{"ErrorEquals": ["S3.NoSuchKeyException"], "Next": "Missing"}],
    )
    definition["States"]["Work"].pop("End")
    definition["States"]["Work"]["Next"] = "Missing"
    definition["States"]["Missing"] = {"Type": "Pass", "End": True}
    ran = read(sfn, start(sfn, create(sfn, definition)))
    assert ran.status == "SUCCEEDED"
    assert ran.output["Error"] == "S3.NoSuchKeyException"
    assert ran.output["Cause"].startswith(
        "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: "
    )


def test_pascal_case_parameters_reach_camel_case_apis(sfn, aws):
    ran = run_task(sfn, "arn:aws:states:::aws-sdk:sfn:listActivities", {"MaxResults": 5})
    assert ran.output == {"Activities": []}
    sfn.create_activity(name="visible")
    ran = run_task(sfn, "arn:aws:states:::aws-sdk:sfn:listActivities", {})
    assert [a["Name"] for a in ran.output["Activities"]] == ["visible"]
    assert ran.output["Activities"][0]["CreationDate"] == "2024-01-01T00:00:00Z"


def test_a_null_optional_parameter_is_left_out(sfn, aws):
    # LocalStack's test_sfn_start_execution (recorded 2025-11-06): "Input": null starts the
    # target with no input; the task's output is StartExecution's answer.
    target = create(sfn, task_machine("arn:aws:states:::aws-sdk:sfn:listActivities"), name="target")
    ran = run_task(
        sfn,
        "arn:aws:states:::aws-sdk:sfn:startExecution",
        {"StateMachineArn": target, "Input": None, "Name": "TestStartTarget"},
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output["ExecutionArn"] == target.replace(":stateMachine:", ":execution:") + ":TestStartTarget"
    assert set(ran.output) == {"ExecutionArn", "StartDate"}
    started = sfn.describe_execution(executionArn=ran.output["ExecutionArn"])
    assert started["input"] == "{}"


def test_sfn_send_task_success_with_an_unknown_token(sfn, aws):
    ran = run_task(sfn, "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", {"TaskToken": "nope", "Output": "{}"})
    assert ran.describe["error"] == "Sfn.InvalidTokenException"
    assert ran.describe["cause"].startswith(
        "Invalid Token: 'Invalid token' (Service: Sfn, Status Code: 400, Request ID: "
    )


def test_wait_for_task_token_through_sqs(sfn, aws):
    parameters = {"QueueUrl": aws["queue"], "MessageBody": {"token.$": "$$.Task.Token"}}
    execution = start(
        sfn,
        create(sfn, task_machine("arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters=parameters)),
    )
    (body,) = messages(aws, aws["queue"])
    sfn.send_task_success(taskToken=json.loads(body)["token"], output='{"worked": true}')
    ran = read(sfn, execution)
    assert ran.output == {"worked": True}
    assert ran.types[4:6] == ["TaskSubmitted", "TaskSucceeded"]


def test_without_a_session_the_error_names_the_missing_piece(sfn, sfn_backend):
    sfn_backend.aws_session = None
    ran = run_task(
        sfn, "arn:aws:states:::sqs:sendMessage", {"QueueUrl": "https://example", "MessageBody": "x"}
    )
    assert ran.describe["error"] == "States.Runtime"
    assert "backend.aws_session" in ran.describe["cause"]


def test_unknown_sdk_service_is_a_clear_runtime_error(sfn, aws):
    ran = run_task(sfn, "arn:aws:states:::aws-sdk:notaservice:doThing", {})
    assert ran.describe["error"] == "States.Runtime"
    assert "notaservice:doThing" in ran.describe["cause"]


def test_another_backend_keeps_its_own_session(aws):
    other = fakesfn.FakeSFNClient(seed=1)
    ran = run_task(other, "arn:aws:states:::aws-sdk:s3:listBuckets", {})
    assert ran.describe["error"] == "States.Runtime"
