"""A test module as a user with boto3-stubs writes it: ``tests/typing`` runs mypy on it.

Everything here type-checks except the one line marked TYPO, which mypy must catch.
The tests in it also run, under pytest, against the fake.
"""

from __future__ import annotations

import datetime
import json

from fakesfn import Backend, FakeClient, FakeSFNClient

ROLE = "arn:aws:iam::123456789012:role/sfn"
DEFINITION = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}})


def make_machine(sfn: FakeClient) -> str:
    reply = sfn.create_state_machine(name="m", definition=DEFINITION, roleArn=ROLE)
    return reply["stateMachineArn"]


def test_runs(sfn: FakeClient, sfn_backend: Backend) -> None:
    run = sfn.start_execution(stateMachineArn=make_machine(sfn))
    sfn_backend.advance(datetime.timedelta(minutes=1))
    status: str = sfn.describe_execution(executionArn=run["executionArn"])["status"]
    assert status == "SUCCEEDED"


def test_standalone_client() -> None:
    client = FakeSFNClient(seed=1)
    client.backend.advance(5)
    started: datetime.datetime = client.start_execution(stateMachineArn=make_machine(client))["startDate"]
    assert started.year == 2024


def misspelt(sfn: FakeClient) -> None:
    sfn.start_exection(stateMachineArn="arn")  # TYPO
