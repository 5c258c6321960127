"""PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion and the
state machine alias operations, driven through boto3."""

from __future__ import annotations

import pytest
from botocore.exceptions import ParamValidationError

from tests.service.expected import message, violation


def route(arn: str, weight: int = 100) -> dict:
    return {"stateMachineVersionArn": arn, "weight": weight}


@pytest.fixture
def machine(create_machine) -> str:
    return create_machine("orders")["stateMachineArn"]


@pytest.fixture
def two_versions(client, machine, definition) -> tuple[str, str]:
    first = client.publish_state_machine_version(stateMachineArn=machine)["stateMachineVersionArn"]
    client.update_state_machine(stateMachineArn=machine, definition=definition("second"))
    second = client.publish_state_machine_version(stateMachineArn=machine)["stateMachineVersionArn"]
    return first, second


def test_publish_is_idempotent_per_revision(client, machine):
    first = client.publish_state_machine_version(stateMachineArn=machine)
    client.backend.advance(30)
    again = client.publish_state_machine_version(stateMachineArn=machine, description="ignored")
    assert again["stateMachineVersionArn"] == first["stateMachineVersionArn"] == f"{machine}:1"
    assert again["creationDate"] == first["creationDate"]
    assert len(client.list_state_machine_versions(stateMachineArn=machine)["stateMachineVersions"]) == 1


def test_versions_are_listed_newest_first(client, machine, two_versions):
    listed = client.list_state_machine_versions(stateMachineArn=machine)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in listed] == [two_versions[1], two_versions[0]]


def test_version_numbers_are_never_reused(client, machine, two_versions, definition):
    client.delete_state_machine_version(stateMachineVersionArn=two_versions[1])
    republished = client.publish_state_machine_version(stateMachineArn=machine)
    assert republished["stateMachineVersionArn"] == f"{machine}:3"


def test_publish_checks_the_revision_id(client, machine, definition):
    assert client.publish_state_machine_version(stateMachineArn=machine, revisionId="INITIAL")[
        "stateMachineVersionArn"
    ].endswith(":1")
    old = client.update_state_machine(stateMachineArn=machine, definition=definition("r1"))["revisionId"]
    new = client.update_state_machine(stateMachineArn=machine, definition=definition("r2"))["revisionId"]
    text = (
        f"Failed to publish the State Machine version for revision {old}. "
        f"The current State Machine revision is {new}."
    )
    with pytest.raises(client.exceptions.ConflictException, match=message(text)):
        client.publish_state_machine_version(stateMachineArn=machine, revisionId=old)
    published = client.publish_state_machine_version(
        stateMachineArn=machine, revisionId=new, description="r2"
    )
    version = client.describe_state_machine(stateMachineArn=published["stateMachineVersionArn"])
    assert (version["revisionId"], version["description"]) == (new, "r2")


def test_describe_version_snapshots_the_revision(client, machine, two_versions):
    first = client.describe_state_machine(stateMachineArn=two_versions[0])
    current = client.describe_state_machine(stateMachineArn=machine)
    assert first["stateMachineArn"] == two_versions[0]
    assert first["definition"] != current["definition"]
    assert "revisionId" not in first  # published from the initial, unnamed revision
    assert (
        client.describe_state_machine(stateMachineArn=two_versions[1])["revisionId"] == current["revisionId"]
    )


def test_publish_unknown_machine(client):
    with pytest.raises(client.exceptions.StateMachineDoesNotExist):
        client.publish_state_machine_version(
            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:ghost"
        )


def test_deleted_version_is_gone_and_deleting_again_succeeds(client, machine, two_versions):
    client.delete_state_machine_version(stateMachineVersionArn=two_versions[0])
    with pytest.raises(client.exceptions.StateMachineDoesNotExist):
        client.describe_state_machine(stateMachineArn=two_versions[0])
    client.delete_state_machine_version(stateMachineVersionArn=two_versions[0])


def test_version_an_alias_routes_to_cannot_be_deleted(client, two_versions):
    client.create_state_machine_alias(name="live", routingConfiguration=[route(two_versions[0])])
    text = (
        "Version to be deleted must not be referenced by an alias. "
        "Current list of aliases referencing this version: [live]"
    )
    with pytest.raises(client.exceptions.ConflictException, match=message(text)):
        client.delete_state_machine_version(stateMachineVersionArn=two_versions[0])


def test_delete_version_needs_a_version_arn(client, machine):
    with pytest.raises(client.exceptions.InvalidArn):
        client.delete_state_machine_version(stateMachineVersionArn=machine)


def test_alias_lifecycle(client, machine, two_versions):
    created = client.create_state_machine_alias(
        name="live", description="prod", routingConfiguration=[route(two_versions[0])]
    )
    alias_arn = created["stateMachineAliasArn"]
    assert alias_arn == f"{machine}:live"
    described = client.describe_state_machine_alias(stateMachineAliasArn=alias_arn)
    described.pop("ResponseMetadata")
    assert described == {
        "stateMachineAliasArn": alias_arn,
        "name": "live",
        "description": "prod",
        "routingConfiguration": [route(two_versions[0])],
        "creationDate": created["creationDate"],
        "updateDate": created["creationDate"],
    }
    client.backend.advance(10)
    updated = client.update_state_machine_alias(
        stateMachineAliasArn=alias_arn,
        routingConfiguration=[route(two_versions[0], 50), route(two_versions[1], 50)],
    )
    described = client.describe_state_machine_alias(stateMachineAliasArn=alias_arn)
    assert described["updateDate"] == updated["updateDate"] == client.backend.clock.now()
    assert described["routingConfiguration"] == [route(two_versions[0], 50), route(two_versions[1], 50)]
    assert described["description"] == "prod"
    client.delete_state_machine_alias(stateMachineAliasArn=alias_arn)
    with pytest.raises(
        client.exceptions.ResourceNotFound,
        match=message("Request references a resource that does not exist."),
    ):
        client.describe_state_machine_alias(stateMachineAliasArn=alias_arn)
    client.delete_state_machine_alias(stateMachineAliasArn=alias_arn)


def test_alias_create_is_idempotent_for_the_same_configuration(client, two_versions):
    first = client.create_state_machine_alias(
        name="live", description="d", routingConfiguration=[route(two_versions[0])]
    )
    client.backend.advance(5)
    again = client.create_state_machine_alias(
        name="live", description="d", routingConfiguration=[route(two_versions[0])]
    )
    assert (again["stateMachineAliasArn"], again["creationDate"]) == (
        first["stateMachineAliasArn"],
        first["creationDate"],
    )
    text = (
        "Failed to create alias because an alias with the same name "
        "and a different routing configuration already exists."
    )
    for change in (
        {"description": "other", "routingConfiguration": [route(two_versions[0])]},
        {"description": "d", "routingConfiguration": [route(two_versions[1])]},
    ):
        with pytest.raises(client.exceptions.ConflictException, match=message(text)):
            client.create_state_machine_alias(name="live", **change)


def test_aliases_are_listed_by_name(client, machine, two_versions):
    for name in ["zeta", "alpha", "mid"]:
        client.create_state_machine_alias(name=name, routingConfiguration=[route(two_versions[0])])
    listed = client.list_state_machine_aliases(stateMachineArn=machine)["stateMachineAliases"]
    assert [a["stateMachineAliasArn"] for a in listed] == [
        f"{machine}:alpha",
        f"{machine}:mid",
        f"{machine}:zeta",
    ]


@pytest.mark.parametrize("name", ["123", "INVALID ALIAS", "!INVALID", "ALIAS@"])
def test_alias_name_pattern(client, two_versions, name):
    # AWS prints the model's pattern with single backslashes (test_error_create_alias_invalid_name).
    pattern = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$"
    text = violation(name, "name", f"satisfy regular expression pattern: {pattern}")
    with pytest.raises(client.exceptions.ValidationException, match=message(text)):
        client.create_state_machine_alias(name=name, routingConfiguration=[route(two_versions[0])])


def test_alias_name_length(client, two_versions):
    name = "A" * 81
    text = violation(name, "name", "have length less than or equal to 80")
    with pytest.raises(client.exceptions.ValidationException, match=message(text)):
        client.create_state_machine_alias(name=name, routingConfiguration=[route(two_versions[0])])


def test_routing_errors(client, machine, two_versions):
    first, second = two_versions
    cases = [
        (
            [route(machine, 70), route(second, 30)],
            f"Routing configuration must contain state machine version ARNs. Received: [{machine}, {second}]",
        ),
        (
            [route(first, 50), route(first, 50)],
            "Routing configuration must contain distinct state machine version ARNs. "
            f"Received: [{first}, {first}]",
        ),
        (
            [route(first, 70), route(second, 29)],
            "Sum of routing configuration weights must equal 100. Received: [70, 29]",
        ),
        (
            [route(first, 101)],
            violation(101, "routingConfiguration.1.member.weight", "have value less than or equal to 100"),
        ),
    ]
    for routing, text in cases:
        with pytest.raises(client.exceptions.ValidationException, match=message(text)):
            client.create_state_machine_alias(name="live", routingConfiguration=routing)
    with pytest.raises(
        client.exceptions.ValidationException, match="Member must have length less than or equal to 2"
    ):
        client.create_state_machine_alias(
            name="live", routingConfiguration=[route(first, 50), route(second, 30), route(f"{machine}:3", 20)]
        )
    with pytest.raises(ParamValidationError):
        client.create_state_machine_alias(name="live", routingConfiguration=[])
    assert client.list_state_machine_aliases(stateMachineArn=machine)["stateMachineAliases"] == []


def test_routing_to_missing_version_or_other_machine(client, create_machine, two_versions):
    other = create_machine("other", publish=True)["stateMachineVersionArn"]
    with pytest.raises(client.exceptions.ResourceNotFound):
        client.create_state_machine_alias(
            name="live", routingConfiguration=[route(two_versions[0].replace(":1", ":9"))]
        )
    with pytest.raises(client.exceptions.ValidationException):
        client.create_state_machine_alias(
            name="live", routingConfiguration=[route(two_versions[0], 50), route(other, 50)]
        )


def test_update_unknown_alias(client, machine):
    with pytest.raises(
        client.exceptions.ResourceNotFound,
        match=message("Request references a resource that does not exist."),
    ):
        client.update_state_machine_alias(stateMachineAliasArn=f"{machine}:ghost", description="x")


def test_update_alias_needs_something_to_change(client, two_versions):
    alias = client.create_state_machine_alias(name="live", routingConfiguration=[route(two_versions[0])])[
        "stateMachineAliasArn"
    ]
    with pytest.raises(client.exceptions.ValidationException):
        client.update_state_machine_alias(stateMachineAliasArn=alias)


def test_aliases_of_unknown_machine(client):
    with pytest.raises(client.exceptions.StateMachineDoesNotExist):
        client.list_state_machine_aliases(
            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:ghost"
        )


def test_execution_through_alias_uses_its_version(client, machine, two_versions):
    alias = client.create_state_machine_alias(name="live", routingConfiguration=[route(two_versions[0])])[
        "stateMachineAliasArn"
    ]
    execution = client.start_execution(stateMachineArn=alias)
    described = client.describe_execution(executionArn=execution["executionArn"])
    assert (described["stateMachineVersionArn"], described["stateMachineAliasArn"]) == (
        two_versions[0],
        alias,
    )
