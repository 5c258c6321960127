"""TagResource, UntagResource and ListTagsForResource on state machines and activities."""

from __future__ import annotations

import pytest

from tests.service.expected import message, violation


def tags(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in pairs]


@pytest.fixture(params=["machine", "activity"])
def resource(request, client, create_machine) -> str:
    if request.param == "machine":
        return create_machine("orders")["stateMachineArn"]
    return client.create_activity(name="approve")["activityArn"]


def test_tag_list_untag(client, resource):
    client.tag_resource(resourceArn=resource, tags=tags(("team", "a"), ("env", "dev")))
    client.tag_resource(resourceArn=resource, tags=tags(("team", "b"), ("cost", "")))
    listed = client.list_tags_for_resource(resourceArn=resource)["tags"]
    assert listed == tags(("team", "b"), ("env", "dev"), ("cost", ""))
    client.untag_resource(resourceArn=resource, tagKeys=["team", "team", "missing"])
    assert client.list_tags_for_resource(resourceArn=resource)["tags"] == tags(("env", "dev"), ("cost", ""))


def test_duplicate_keys_in_one_call_keep_the_last(client, resource):
    client.tag_resource(resourceArn=resource, tags=tags(("k", "1"), ("k", "2")))
    assert client.list_tags_for_resource(resourceArn=resource)["tags"] == tags(("k", "2"))


def test_created_with_tags(client, create_machine):
    arn = create_machine("orders", tags=tags(("a", "1"), ("b", "2")))["stateMachineArn"]
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == tags(("a", "1"), ("b", "2"))


def test_too_many_tags_changes_nothing(client, resource):
    client.tag_resource(resourceArn=resource, tags=tags(*[(f"k{i}", "v") for i in range(49)]))
    with pytest.raises(client.exceptions.TooManyTags) as raised:
        client.tag_resource(resourceArn=resource, tags=tags(("x", "1"), ("y", "2")))
    assert raised.value.response["resourceName"] == resource
    assert len(client.list_tags_for_resource(resourceArn=resource)["tags"]) == 49
    client.tag_resource(resourceArn=resource, tags=tags(("k0", "new"), ("x", "1")))
    assert len(client.list_tags_for_resource(resourceArn=resource)["tags"]) == 50


def test_create_with_too_many_tags_creates_nothing(client, create_machine):
    with pytest.raises(client.exceptions.TooManyTags):
        create_machine("orders", tags=tags(*[(f"k{i}", "v") for i in range(51)]))
    assert client.list_state_machines()["stateMachines"] == []
    with pytest.raises(client.exceptions.TooManyTags):
        client.create_activity(name="approve", tags=tags(*[(f"k{i}", "v") for i in range(51)]))
    assert client.list_activities()["activities"] == []


def test_versions_cannot_be_tagged(client, create_machine):
    version = create_machine("orders", publish=True)["stateMachineVersionArn"]
    with pytest.raises(client.exceptions.ResourceNotFound, match=message(f"Resource not found: '{version}'")):
        client.tag_resource(resourceArn=version, tags=tags(("k", "v")))


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:states:us-east-1:123456789012:stateMachine:ghost",
        "arn:aws:states:us-east-1:123456789012:activity:ghost",
    ],
)
def test_unknown_resource(client, arn):
    for call in (
        lambda: client.tag_resource(resourceArn=arn, tags=tags(("k", "v"))),
        lambda: client.untag_resource(resourceArn=arn, tagKeys=["k"]),
        lambda: client.list_tags_for_resource(resourceArn=arn),
    ):
        with pytest.raises(client.exceptions.ResourceNotFound, match=message(f"Resource not found: '{arn}'")):
            call()


def test_invalid_arn(client):
    with pytest.raises(
        client.exceptions.InvalidArn, match=message("Invalid Arn: 'Invalid ARN prefix: nope'")
    ):
        client.list_tags_for_resource(resourceArn="nope")
    execution = "arn:aws:states:us-east-1:123456789012:execution:orders:run"
    with pytest.raises(
        client.exceptions.InvalidArn,
        match=message("Invalid Arn: 'Resource type not valid in this context: execution'"),
    ):
        client.list_tags_for_resource(resourceArn=execution)


def test_tag_key_length_is_a_model_violation(client, resource):
    key = "k" * 129
    text = violation(key, "tags.1.member.key", "have length less than or equal to 128")
    with pytest.raises(client.exceptions.ValidationException, match=message(text)):
        client.tag_resource(resourceArn=resource, tags=tags((key, "v")))
