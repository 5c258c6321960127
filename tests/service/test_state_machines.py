"""CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine,
ListStateMachines and ValidateStateMachineDefinition, driven through boto3."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ParamValidationError

from tests.service.expected import ROLE_ARN, message, violation

LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:sfn-logs:*"


def test_create_returns_arn_and_creation_date(client, create_machine):
    reply = create_machine("orders")
    assert reply["stateMachineArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:orders"
    assert reply["creationDate"] == client.backend.clock.now()
    assert "stateMachineVersionArn" not in reply


def test_describe_returns_every_field_aws_reports(client, create_machine, definition):
    arn = create_machine("orders", type="EXPRESS")["stateMachineArn"]
    described = client.describe_state_machine(stateMachineArn=arn)
    described.pop("ResponseMetadata")
    assert described == {
        "stateMachineArn": arn,
        "name": "orders",
        "status": "ACTIVE",
        "definition": definition(),
        "roleArn": ROLE_ARN,
        "type": "EXPRESS",
        "creationDate": client.backend.clock.now(),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
        "tracingConfiguration": {"enabled": False},
        "encryptionConfiguration": {"type": "AWS_OWNED_KEY"},
    }


def test_describe_lists_the_variables_each_state_reads(client):
    definition = {
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"limit": 3, "label": "x"}, "Next": "Use"},
            "Use": {
                "Type": "Pass",
                "Parameters": {"n.$": "$limit", "t.$": "States.Format('{}', $label)"},
                "End": True,
            },
        },
    }
    arn = client.create_state_machine(
        name="vars", definition=json.dumps(definition), roleArn=ROLE_ARN, publish=True
    )["stateMachineVersionArn"]
    expected = {"Use": ["label", "limit"]}
    base = arn.rsplit(":", 1)[0]
    assert client.describe_state_machine(stateMachineArn=base)["variableReferences"] == expected
    assert client.describe_state_machine(stateMachineArn=arn)["variableReferences"] == expected
    execution = client.start_execution(stateMachineArn=base)["executionArn"]
    described = client.describe_state_machine_for_execution(executionArn=execution)
    assert described["variableReferences"] == expected


def test_describe_leaves_variable_references_out_when_no_state_reads_one(client, create_machine):
    arn = create_machine("plain")["stateMachineArn"]
    assert "variableReferences" not in client.describe_state_machine(stateMachineArn=arn)
    execution = client.start_execution(stateMachineArn=arn)["executionArn"]
    assert "variableReferences" not in client.describe_state_machine_for_execution(executionArn=execution)


def test_describe_unknown_machine(client):
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:ghost"
    with pytest.raises(
        client.exceptions.StateMachineDoesNotExist, match=message(f"State Machine Does Not Exist: '{arn}'")
    ):
        client.describe_state_machine(stateMachineArn=arn)


def test_recreating_identical_machine_is_idempotent(client, create_machine):
    first = create_machine("orders", tags=[{"key": "team", "value": "a"}])
    client.backend.advance(60)
    again = create_machine("orders", roleArn="arn:aws:iam::123456789012:role/other", tags=[])
    assert (again["stateMachineArn"], again["creationDate"]) == (
        first["stateMachineArn"],
        first["creationDate"],
    )
    described = client.describe_state_machine(stateMachineArn=first["stateMachineArn"])
    assert described["roleArn"] == ROLE_ARN  # AWS: a different roleArn is ignored, not applied
    tags = client.list_tags_for_resource(resourceArn=first["stateMachineArn"])["tags"]
    assert tags == [{"key": "team", "value": "a"}]


@pytest.mark.parametrize(
    "change",
    [
        {"definition": json.dumps({"StartAt": "Other", "States": {"Other": {"Type": "Succeed"}}})},
        {"type": "EXPRESS"},
        {"loggingConfiguration": {"level": "OFF", "includeExecutionData": True}},
        {"tracingConfiguration": {"enabled": True}},
        {"publish": True},
    ],
)
def test_recreating_with_a_difference_is_refused(client, create_machine, change):
    arn = create_machine("orders")["stateMachineArn"]
    with pytest.raises(
        client.exceptions.StateMachineAlreadyExists, match=message(f"State Machine Already Exists: '{arn}'")
    ):
        create_machine("orders", **change)


def test_definition_text_is_compared_as_sent(client, create_machine, definition):
    create_machine("orders", definition=definition())
    reformatted = json.dumps(json.loads(definition()), indent=2)
    with pytest.raises(client.exceptions.StateMachineAlreadyExists):
        create_machine("orders", definition=reformatted)


def test_invalid_definition_is_refused_with_aws_text(client, create_machine):
    with pytest.raises(client.exceptions.InvalidDefinition) as raised:
        create_machine("broken", definition=json.dumps({"StartAt": "A"}))
    assert raised.value.response["Error"]["Message"] == (
        "Invalid State Machine Definition: "
        "'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    )
    assert client.list_state_machines()["stateMachines"] == []


@pytest.mark.parametrize(
    ("resource", "problem"),
    [
        (
            "arn:aws:states:us-east-1:123456789012:activity:work",
            "Express state machine does not support Activity ARN",
        ),
        (
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Express state machine does not support '.waitForTaskToken' service integration ",
        ),
        (
            "arn:aws:states:::states:startExecution.sync:2",
            "Express state machine does not support '.sync' service integration",
        ),
    ],
)
def test_express_machines_refuse_activities_and_callbacks(client, create_machine, resource, problem):
    task = {"Type": "Task", "Resource": resource, "End": True}
    text = json.dumps(
        {
            "StartAt": "P",
            "States": {
                "P": {"Type": "Parallel", "Branches": [{"StartAt": "T", "States": {"T": task}}], "End": True}
            },
        }
    )
    with pytest.raises(client.exceptions.InvalidDefinition) as raised:
        create_machine("fast", definition=text, type="EXPRESS")
    where = "/States/P/Branches[0]/States/T/Resource"
    expected = f"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: {problem} at {where}'"
    assert raised.value.response["Error"]["Message"] == expected
    assert create_machine("slow", definition=text)["stateMachineArn"].endswith(":slow")


def test_version_description_needs_publish(client, create_machine):
    with pytest.raises(
        client.exceptions.ValidationException,
        match=message("Version description can only be set when publish is true"),
    ):
        create_machine("orders", versionDescription="first")


def test_create_with_publish_returns_version(client, create_machine):
    reply = create_machine("orders", publish=True, versionDescription="first")
    assert reply["stateMachineVersionArn"] == reply["stateMachineArn"] + ":1"
    version = client.describe_state_machine(stateMachineArn=reply["stateMachineVersionArn"])
    assert version["description"] == "first"
    assert version["stateMachineArn"] == reply["stateMachineVersionArn"]


def test_unknown_type_is_a_model_violation(client, create_machine):
    text = violation("SLOW", "type", "satisfy enum value set: [STANDARD, EXPRESS]")
    with pytest.raises(client.exceptions.ValidationException, match=message(text)):
        create_machine("orders", type="SLOW")


@pytest.mark.parametrize(
    "role", ["not-an-arn", "arn:aws:iam::123456789012:user/alice", "arn:aws:s3:::bucket/role"]
)
def test_role_must_be_an_iam_role_arn(client, create_machine, role):
    with pytest.raises(client.exceptions.InvalidArn):
        create_machine("orders", roleArn=role)


def test_logging_configuration_is_echoed(client, create_machine):
    logging = {
        "level": "ERROR",
        "includeExecutionData": True,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": LOG_GROUP}}],
    }
    arn = create_machine("orders", loggingConfiguration=logging)["stateMachineArn"]
    assert client.describe_state_machine(stateMachineArn=arn)["loggingConfiguration"] == logging


@pytest.mark.parametrize(
    "logging",
    [
        {"level": "ALL"},
        {"level": "FATAL", "destinations": []},
        {"level": "ALL", "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": LOG_GROUP}}] * 2},
    ],
)
def test_logging_needs_exactly_one_destination(client, create_machine, logging):
    text = "Invalid Logging Configuration: Must specify exactly one Log Destination."
    with pytest.raises(client.exceptions.InvalidLoggingConfiguration, match=message(text)):
        create_machine("orders", loggingConfiguration=logging)


def test_logging_off_keeps_empty_destinations(client, create_machine):
    arn = create_machine("orders", loggingConfiguration={"destinations": []})["stateMachineArn"]
    logging = client.describe_state_machine(stateMachineArn=arn)["loggingConfiguration"]
    assert logging == {"level": "OFF", "includeExecutionData": False, "destinations": []}


def test_customer_managed_key_is_echoed_with_default_reuse_period(client, create_machine):
    arn = create_machine(
        "orders", encryptionConfiguration={"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "alias/sfn"}
    )["stateMachineArn"]
    encryption = client.describe_state_machine(stateMachineArn=arn)["encryptionConfiguration"]
    assert encryption == {
        "type": "CUSTOMER_MANAGED_KMS_KEY",
        "kmsKeyId": "alias/sfn",
        "kmsDataKeyReusePeriodSeconds": 300,
    }


@pytest.mark.parametrize(
    "encryption",
    [
        {"type": "CUSTOMER_MANAGED_KMS_KEY"},
        {"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "alias/sfn", "kmsDataKeyReusePeriodSeconds": 901},
        {"type": "AWS_OWNED_KEY", "kmsKeyId": "alias/sfn"},
    ],
)
def test_invalid_encryption_configuration(client, create_machine, encryption):
    with pytest.raises(client.exceptions.InvalidEncryptionConfiguration):
        create_machine("orders", encryptionConfiguration=encryption)


def test_botocore_checks_minimums_itself(client, create_machine):
    with pytest.raises(ParamValidationError):
        create_machine(
            "orders",
            encryptionConfiguration={
                "type": "CUSTOMER_MANAGED_KMS_KEY",
                "kmsKeyId": "k",
                "kmsDataKeyReusePeriodSeconds": 59,
            },
        )


def test_update_without_changes_is_refused_with_aws_text(client, create_machine):
    arn = create_machine("orders")["stateMachineArn"]
    text = (
        "Either the definition, the role ARN, the LoggingConfiguration, "
        "or the TracingConfiguration must be specified"
    )
    with pytest.raises(client.exceptions.MissingRequiredParameter, match=message(text)):
        client.update_state_machine(stateMachineArn=arn)


def test_update_assigns_a_revision_only_when_something_changes(client, create_machine, definition):
    arn = create_machine("orders")["stateMachineArn"]
    assert "revisionId" not in client.describe_state_machine(stateMachineArn=arn)
    unchanged = client.update_state_machine(stateMachineArn=arn, definition=definition())
    assert "revisionId" not in unchanged
    client.backend.advance(5)
    changed = client.update_state_machine(stateMachineArn=arn, definition=definition("bye"))
    assert changed["updateDate"] == client.backend.clock.now()
    described = client.describe_state_machine(stateMachineArn=arn)
    assert described["revisionId"] == changed["revisionId"]
    assert json.loads(described["definition"])["Comment"] == "bye"
    same = client.update_state_machine(stateMachineArn=arn, roleArn=ROLE_ARN)
    assert same["revisionId"] == changed["revisionId"]
    other = client.update_state_machine(stateMachineArn=arn, tracingConfiguration={"enabled": True})
    assert other["revisionId"] != changed["revisionId"]


def test_update_with_publish_versions_the_new_revision(client, create_machine, definition):
    arn = create_machine("orders")["stateMachineArn"]
    first = client.update_state_machine(
        stateMachineArn=arn, definition=definition("v1"), publish=True, versionDescription="one"
    )
    assert first["stateMachineVersionArn"] == f"{arn}:1"
    again = client.update_state_machine(stateMachineArn=arn, definition=definition("v1"), publish=True)
    assert again["stateMachineVersionArn"] == f"{arn}:1"


def test_publishing_an_unchanged_machine_without_a_version_publishes_its_revision(
    client, create_machine, definition
):
    # Recorded (LocalStack's AWS snapshot test_empty_revision_with_publish_and_no_publish_on_creation,
    # 2023-08-11): an update that changes nothing but asks to publish answers version 1 and no
    # revisionId (the machine still has none); asking again answers the same version.
    arn = create_machine("orders")["stateMachineArn"]
    first = client.update_state_machine(
        stateMachineArn=arn, definition=definition(), publish=True, versionDescription="one"
    )
    assert first["stateMachineVersionArn"] == f"{arn}:1"
    assert "revisionId" not in first
    again = client.update_state_machine(
        stateMachineArn=arn, definition=definition(), publish=True, versionDescription="two"
    )
    assert again["stateMachineVersionArn"] == f"{arn}:1"
    assert "revisionId" not in again
    # Publishing is idempotent per revision (PublishStateMachineVersion's documented rule): the
    # existing version is answered as it is, its description unchanged, and no version is added.
    versions = client.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [f"{arn}:1"]
    assert client.describe_state_machine(stateMachineArn=f"{arn}:1")["description"] == "one"
    assert "revisionId" not in client.describe_state_machine(stateMachineArn=arn)


def test_publishing_an_unchanged_machine_answers_its_latest_version(client, create_machine, definition):
    # Recorded (test_empty_revision_with_publish_and_publish_on_creation): created with publish,
    # then updated twice with the same definition and publish: version 1 each time.
    arn = create_machine("orders", publish=True, versionDescription="first")["stateMachineArn"]
    for description in ("again", None):
        extra = {} if description is None else {"versionDescription": description}
        reply = client.update_state_machine(
            stateMachineArn=arn, definition=definition(), publish=True, **extra
        )
        assert reply["stateMachineVersionArn"] == f"{arn}:1"
    changed = client.update_state_machine(
        stateMachineArn=arn, definition=definition("changed"), publish=True, versionDescription="second"
    )
    assert changed["stateMachineVersionArn"] == f"{arn}:2"
    same = client.update_state_machine(
        stateMachineArn=arn, roleArn=ROLE_ARN, publish=True, versionDescription="x"
    )
    assert same["stateMachineVersionArn"] == f"{arn}:2"
    assert same["revisionId"] == changed["revisionId"]
    assert client.describe_state_machine(stateMachineArn=f"{arn}:2")["description"] == "second"
    assert len(client.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]) == 2


def test_an_unchanged_update_publishes_again_after_its_version_was_deleted(
    client, create_machine, definition
):
    arn = create_machine("orders", publish=True)["stateMachineArn"]
    client.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
    reply = client.update_state_machine(
        stateMachineArn=arn, definition=definition(), publish=True, versionDescription="back"
    )
    assert reply["stateMachineVersionArn"] == f"{arn}:2"  # version numbers are never reused
    assert client.describe_state_machine(stateMachineArn=f"{arn}:2")["description"] == "back"


def test_update_version_description_needs_publish(client, create_machine, definition):
    arn = create_machine("orders")["stateMachineArn"]
    with pytest.raises(
        client.exceptions.ValidationException,
        match=message("Version description can only be set when publish is true"),
    ):
        client.update_state_machine(stateMachineArn=arn, definition=definition("new"), versionDescription="x")
    assert "revisionId" not in client.describe_state_machine(stateMachineArn=arn)  # nothing changed


def test_update_through_a_version_arn_is_refused(client, create_machine, definition):
    version = create_machine("orders", publish=True)["stateMachineVersionArn"]
    with pytest.raises(
        client.exceptions.StateMachineDoesNotExist,
        match=message(f"State Machine Does Not Exist: '{version}'"),
    ):
        client.update_state_machine(stateMachineArn=version, definition=definition("x"))


def test_refused_update_changes_nothing(client, create_machine, definition):
    arn = create_machine("orders")["stateMachineArn"]
    before = client.describe_state_machine(stateMachineArn=arn)
    with pytest.raises(client.exceptions.InvalidLoggingConfiguration):
        client.update_state_machine(
            stateMachineArn=arn, definition=definition("new"), loggingConfiguration={"level": "ALL"}
        )
    with pytest.raises(client.exceptions.InvalidDefinition):
        client.update_state_machine(
            stateMachineArn=arn, definition="{}", roleArn="arn:aws:iam::123456789012:role/x"
        )
    assert client.describe_state_machine(stateMachineArn=arn) | {"ResponseMetadata": None} == before | {
        "ResponseMetadata": None
    }


def test_update_unknown_machine(client, definition):
    with pytest.raises(client.exceptions.StateMachineDoesNotExist):
        client.update_state_machine(
            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:ghost",
            definition=definition(),
        )


def test_delete_removes_machine_versions_aliases_and_tags(client, create_machine):
    created = create_machine("orders", publish=True, tags=[{"key": "k", "value": "v"}])
    arn = created["stateMachineArn"]
    client.create_state_machine_alias(
        name="live",
        routingConfiguration=[{"stateMachineVersionArn": created["stateMachineVersionArn"], "weight": 100}],
    )
    assert client.delete_state_machine(stateMachineArn=arn)["ResponseMetadata"]["HTTPStatusCode"] == 200
    for described in (arn, created["stateMachineVersionArn"]):
        with pytest.raises(client.exceptions.StateMachineDoesNotExist):
            client.describe_state_machine(stateMachineArn=described)
    recreated = create_machine("orders", type="EXPRESS")
    assert client.list_tags_for_resource(resourceArn=recreated["stateMachineArn"])["tags"] == []
    assert client.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"] == []


def test_deleting_an_unknown_machine_succeeds(client):
    client.delete_state_machine(stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:ghost")


def test_delete_with_a_running_execution_waits_for_it(client, create_machine):
    text = json.dumps({"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 100, "End": True}}})
    arn = create_machine("sleepy", definition=text)["stateMachineArn"]
    client.start_execution(stateMachineArn=arn)
    client.delete_state_machine(stateMachineArn=arn)
    assert client.describe_state_machine(stateMachineArn=arn)["status"] == "DELETING"
    assert client.list_state_machines()["stateMachines"] == []
    with pytest.raises(client.exceptions.StateMachineDeleting):
        create_machine("sleepy", definition=text)
    client.backend.advance(100)
    with pytest.raises(client.exceptions.StateMachineDoesNotExist):
        client.describe_state_machine(stateMachineArn=arn)


def test_delete_takes_an_unqualified_arn(client, create_machine):
    version = create_machine("orders", publish=True)["stateMachineVersionArn"]
    with pytest.raises(client.exceptions.ValidationException):
        client.delete_state_machine(stateMachineArn=version)


def test_list_is_ordered_by_name(client, create_machine):
    for name in ["b-machine", "a-machine", "c-machine"]:
        create_machine(name)
        client.backend.advance(1)
    listed = client.list_state_machines()["stateMachines"]
    assert [m["name"] for m in listed] == ["a-machine", "b-machine", "c-machine"]
    assert set(listed[0]) == {"stateMachineArn", "name", "type", "creationDate"}


def test_validate_accepts_a_valid_definition(client, definition):
    reply = client.validate_state_machine_definition(definition=definition())
    assert (reply["result"], reply["diagnostics"], reply["truncated"]) == ("OK", [], False)


def test_validate_reports_diagnostics(client):
    reply = client.validate_state_machine_definition(definition=json.dumps({"States": {}}))
    assert reply["result"] == "FAIL"
    assert {
        "severity": "ERROR",
        "code": "SCHEMA_VALIDATION_FAILED",
        "message": "These fields are required: [StartAt]",
        "location": "/",
    } in reply["diagnostics"]


def test_validate_truncates_at_max_results(client):
    states = {f"S{i}": {"Type": "Pass", "Next": f"Missing{i}"} for i in range(3)}
    reply = client.validate_state_machine_definition(
        definition=json.dumps({"StartAt": "S0", "States": states}), maxResults=1
    )
    assert reply["result"] == "FAIL"
    assert len(reply["diagnostics"]) == 1
    assert reply["truncated"] is True


def test_validate_applies_express_rules_for_express(client):
    task = {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:a", "End": True}
    text = json.dumps({"StartAt": "T", "States": {"T": task}})
    assert client.validate_state_machine_definition(definition=text)["result"] == "OK"
    express = client.validate_state_machine_definition(definition=text, type="EXPRESS")
    assert express["result"] == "FAIL"
    assert express["diagnostics"][0]["location"] == "/States/T/Resource"


def test_validate_max_results_is_at_most_100(client, definition):
    text = violation(101, "maxResults", "have value less than or equal to 100")
    with pytest.raises(client.exceptions.ValidationException, match=message(text)):
        client.validate_state_machine_definition(definition=definition(), maxResults=101)


def test_describe_of_a_distributed_map_label_is_refused(client, create_machine):
    arn = create_machine("labelled")["stateMachineArn"]
    with pytest.raises(client.exceptions.ValidationException):
        client.describe_state_machine(stateMachineArn=f"{arn}/myLabel")
