"""CreateActivity, DescribeActivity, DeleteActivity and ListActivities, driven through boto3."""

from __future__ import annotations

import pytest

from tests.service.expected import message


def test_create_and_describe(client):
    created = client.create_activity(name="approve")
    assert created["activityArn"] == "arn:aws:states:us-east-1:123456789012:activity:approve"
    described = client.describe_activity(activityArn=created["activityArn"])
    described.pop("ResponseMetadata")
    assert described == {
        "activityArn": created["activityArn"],
        "name": "approve",
        "creationDate": created["creationDate"],
        "encryptionConfiguration": {"type": "AWS_OWNED_KEY"},
    }


def test_create_is_idempotent_by_name_and_ignores_tags(client):
    first = client.create_activity(name="approve", tags=[{"key": "a", "value": "1"}])
    client.backend.advance(10)
    again = client.create_activity(name="approve", tags=[{"key": "b", "value": "2"}])
    assert (again["activityArn"], again["creationDate"]) == (first["activityArn"], first["creationDate"])
    assert client.list_tags_for_resource(resourceArn=first["activityArn"])["tags"] == [
        {"key": "a", "value": "1"}
    ]


def test_encryption_cannot_change_on_recreate(client):
    client.create_activity(name="approve")
    with pytest.raises(client.exceptions.ActivityAlreadyExists):
        client.create_activity(
            name="approve",
            encryptionConfiguration={"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "alias/k"},
        )


def test_invalid_name(client):
    with pytest.raises(client.exceptions.InvalidName, match=message("Invalid Name: 'Approve It$'")):
        client.create_activity(name="Approve It$")


def test_describe_unknown_and_deleted_activity(client):
    arn = client.create_activity(name="approve")["activityArn"]
    client.delete_activity(activityArn=arn)
    with pytest.raises(
        client.exceptions.ActivityDoesNotExist, match=message(f"Activity Does Not Exist: '{arn}'")
    ):
        client.describe_activity(activityArn=arn)
    client.delete_activity(activityArn=arn)


def test_describe_invalid_arn(client):
    with pytest.raises(
        client.exceptions.InvalidArn, match=message("Invalid Arn: 'Invalid ARN prefix: not_an_activity_arn'")
    ):
        client.describe_activity(activityArn="not_an_activity_arn")


def test_list_is_ordered_by_name(client):
    for name in ["ship", "approve", "pack"]:
        client.create_activity(name=name)
    listed = client.list_activities()["activities"]
    assert [a["name"] for a in listed] == ["approve", "pack", "ship"]
    assert set(listed[0]) == {"activityArn", "name", "creationDate"}


def test_customer_managed_key_is_described(client):
    arn = client.create_activity(
        name="secret",
        encryptionConfiguration={
            "type": "CUSTOMER_MANAGED_KMS_KEY",
            "kmsKeyId": "alias/k",
            "kmsDataKeyReusePeriodSeconds": 120,
        },
    )["activityArn"]
    encryption = client.describe_activity(activityArn=arn)["encryptionConfiguration"]
    assert encryption == {
        "type": "CUSTOMER_MANAGED_KMS_KEY",
        "kmsKeyId": "alias/k",
        "kmsDataKeyReusePeriodSeconds": 120,
    }


def test_deleted_activity_loses_its_tags(client):
    arn = client.create_activity(name="approve", tags=[{"key": "a", "value": "1"}])["activityArn"]
    client.delete_activity(activityArn=arn)
    client.create_activity(name="approve")
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == []
