"""FakeSFNClient is botocore's own Step Functions client: same methods, errors, paginators."""

from __future__ import annotations

import datetime as dt

import botocore.exceptions
import botocore.session
import pytest

import fakesfn
from tests.botocore_model import needs_test_state_2025


def botocore_operations():
    model = botocore.session.get_session().get_service_model("stepfunctions")
    return list(model.operation_names)


def test_every_operation_of_the_service_model_is_a_client_method():
    client = fakesfn.FakeSFNClient()
    operations = botocore_operations()
    assert len(operations) == 37
    for name in operations:
        method = client.meta.method_to_api_mapping
        assert name in method.values()
    for python_name in client.meta.method_to_api_mapping:
        assert callable(getattr(client, python_name))


def test_parameter_validation_is_botocores():
    client = fakesfn.FakeSFNClient()
    with pytest.raises(botocore.exceptions.ParamValidationError):
        client.describe_execution()
    with pytest.raises(botocore.exceptions.ParamValidationError):
        client.list_state_machines(maxResults="many")


def test_paginators_waiters_and_metadata():
    client = fakesfn.FakeSFNClient(region_name="eu-west-1")
    assert sorted(
        name
        for name in (
            "get_execution_history",
            "list_activities",
            "list_executions",
            "list_map_runs",
            "list_state_machines",
        )
        if client.can_paginate(name)
    ) == [
        "get_execution_history",
        "list_activities",
        "list_executions",
        "list_map_runs",
        "list_state_machines",
    ]
    assert not client.can_paginate("describe_execution")
    with pytest.raises(ValueError):
        client.get_waiter("execution_succeeded")
    assert client.meta.region_name == "eu-west-1"
    reply = client.list_state_machines()
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert reply["ResponseMetadata"]["RequestId"]


def test_modelled_exceptions_and_datetimes():
    client = fakesfn.FakeSFNClient(account_id="111122223333", region_name="ap-south-1")
    with pytest.raises(client.exceptions.StateMachineDoesNotExist) as raised:
        client.describe_state_machine(
            stateMachineArn="arn:aws:states:ap-south-1:111122223333:stateMachine:none"
        )
    assert raised.value.response["Error"]["Code"] == "StateMachineDoesNotExist"
    activity = client.create_activity(name="work")
    assert activity["activityArn"] == "arn:aws:states:ap-south-1:111122223333:activity:work"
    assert activity["creationDate"] == dt.datetime(2024, 1, 1, tzinfo=activity["creationDate"].tzinfo)


@needs_test_state_2025
def test_an_error_reads_as_awss_without_a_retry_note():
    # AWS's recorded str(ClientError) has no "(reached max retries: N)" for an error that is not
    # retried (LocalStack's TestState snapshots record the whole text).
    client = fakesfn.FakeSFNClient(region_name="us-east-1")
    with pytest.raises(client.exceptions.ValidationException) as raised:
        client.test_state(definition='{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', stateName="B")
    assert str(raised.value) == (
        "An error occurred (ValidationException) when calling the TestState operation: "
        "State not found in definition"
    )
    assert "MaxAttemptsReached" not in raised.value.response["ResponseMetadata"]


def test_two_clients_share_one_backend_across_regions():
    east = fakesfn.FakeSFNClient(region_name="us-east-1", seed=3)
    west = fakesfn.FakeSFNClient(backend=east.backend, region_name="us-west-2")
    east.create_activity(name="a")
    west.create_activity(name="b")
    assert west.backend is east.backend
    # One world, but listings are per region, as in AWS.
    assert [a["name"] for a in east.list_activities()["activities"]] == ["a"]
    assert [a["name"] for a in west.list_activities()["activities"]] == ["b"]
    same_region = fakesfn.FakeSFNClient(backend=east.backend, region_name="us-east-1")
    assert [a["name"] for a in same_region.list_activities()["activities"]] == ["a"]


def test_separate_clients_are_separate_worlds():
    one, two = fakesfn.FakeSFNClient(), fakesfn.FakeSFNClient()
    one.create_activity(name="a")
    assert two.list_activities()["activities"] == []


def test_start_time_sets_the_virtual_clock():
    start = dt.datetime(2030, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
    client = fakesfn.FakeSFNClient(start_time=start)
    assert client.backend.clock.now() == start
    assert client.create_activity(name="a")["creationDate"] == start


def test_no_credentials_or_environment_needed(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    client = fakesfn.FakeSFNClient()
    assert client.list_activities()["activities"] == []


def test_importing_fakesfn_changes_nothing_in_botocore():
    from botocore.handlers import BUILTIN_HANDLERS

    names = [entry[0] for entry in BUILTIN_HANDLERS]
    assert not any("fakesfn" in repr(entry) for entry in BUILTIN_HANDLERS)
    assert names == [entry[0] for entry in BUILTIN_HANDLERS]
