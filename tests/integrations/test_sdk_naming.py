"""AWS's naming rules for aws-sdk integrations, checked against botocore's models."""

from __future__ import annotations

import datetime as dt

import pytest

from fakesfn.integrations.sdk import (
    boto_service_name,
    exception_name,
    from_api,
    java_name,
    null_members,
    operation_name,
    service_model,
    to_api,
    validation_message,
)


@pytest.mark.parametrize(
    ("arn_service", "boto", "java"),
    [
        ("dynamodb", "dynamodb", "DynamoDb"),
        ("sfn", "stepfunctions", "Sfn"),
        ("s3", "s3", "S3"),
        ("eventbridge", "events", "EventBridge"),
        ("secretsmanager", "secretsmanager", "SecretsManager"),
        ("acmpca", "acm-pca", "AcmPca"),
        ("ec2", "ec2", "Ec2"),
        ("cloudwatchlogs", "logs", "CloudWatchLogs"),
    ],
)
def test_service_names(arn_service, boto, java):
    assert boto_service_name(arn_service) == boto
    assert java_name(service_model(boto)) == java


def test_boto3_names_that_are_not_java_module_names_are_refused():
    assert boto_service_name("events") is None
    assert boto_service_name("stepfunctions") is None


def test_actions_match_operations_case_insensitively():
    assert operation_name("dynamodb", "putItem") == "PutItem"
    assert operation_name("stepfunctions", "startSyncExecution") == "StartSyncExecution"
    assert operation_name("s3", "noSuchThing") is None


def test_exception_names_always_end_in_exception():
    assert exception_name(service_model("s3"), "NoSuchKey") == "NoSuchKeyException"
    assert exception_name(service_model("s3"), "BucketAlreadyExists") == "BucketAlreadyExistsException"
    assert (
        exception_name(service_model("dynamodb"), "ResourceNotFoundException") == "ResourceNotFoundException"
    )
    assert exception_name(service_model("stepfunctions"), "InvalidToken") == "InvalidTokenException"
    assert exception_name(service_model("dynamodb"), "ValidationException") is None


def test_pascal_case_parameters_become_model_members():
    shape = service_model("stepfunctions").operation_model("StartExecution").input_shape
    assert to_api(shape, {"StateMachineArn": "arn", "Input": {"a": 1}}) == {
        "stateMachineArn": "arn",
        "input": '{"a":1}',
    }


def test_equals_value_is_the_equals_member():
    shape = service_model("ec2").operation_model("DescribeSpotPriceHistory").input_shape
    assert "Filters" in to_api(shape, {"Filters": [{"Name": "n", "Values": ["v"]}]})
    fake = type("S", (), {"type_name": "structure", "members": {"Equals": None}, "required_members": []})()
    assert to_api(fake, {"EqualsValue": 1}) == {"Equals": 1}


def test_results_become_pascal_case_with_dates_per_sdk():
    shape = service_model("stepfunctions").operation_model("StartExecution").output_shape
    reply = {"executionArn": "arn", "startDate": 1_704_067_200.5}
    assert from_api(shape, reply, "iso") == {"ExecutionArn": "arn", "StartDate": "2024-01-01T00:00:00.500Z"}
    assert from_api(shape, reply, "millis") == {"ExecutionArn": "arn", "StartDate": 1_704_067_200_500}
    moment = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    assert from_api(None, {"when": moment, "blob": b"\xff", "text": b"hi"}, "iso") == {
        "When": "2024-01-01T00:00:00Z",
        "Blob": "/w==",
        "Text": "hi",
    }


def test_map_keys_keep_their_case():
    shape = service_model("dynamodb").operation_model("GetItem").output_shape
    assert from_api(shape, {"Item": {"lowercase": {"S": "x"}}}, "iso") == {"Item": {"lowercase": {"S": "x"}}}


def test_null_members_are_reported_in_aws_wording():
    violations = null_members({"Item": None, "Key": {"Inner": None}, "TableName": "t"})
    assert violations == ["item", "key.inner"]
    assert validation_message(violations[:1]) == (
        "1 validation error detected: Value null at 'item' failed to satisfy constraint: "
        "Member must not be null"
    )
    assert validation_message(violations).startswith("2 validation errors detected: ")


def test_a_null_optional_member_is_no_member_and_a_null_required_one_stays():
    # Recorded: aws-sdk:sfn:startExecution with "Input": null starts the execution
    # (test_sfn_start_execution, 2025-11-06); DynamoDB putItem with a null Item is refused.
    start = service_model("stepfunctions").operation_model("StartExecution").input_shape
    assert to_api(start, {"StateMachineArn": "arn", "Input": None, "Name": None}) == {
        "stateMachineArn": "arn"
    }
    assert to_api(start, {"StateMachineArn": None}) == {"stateMachineArn": None}
    put = service_model("dynamodb").operation_model("PutItem").input_shape
    converted = to_api(put, {"TableName": "t", "Item": None, "ConditionExpression": None})
    assert converted == {"TableName": "t", "Item": None}
    assert null_members(converted) == ["item"]
