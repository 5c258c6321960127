"""Fixtures for the control-plane tests: a fake client and small definition builders."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakesfn.client import FakeSFNClient
from tests.service.expected import ROLE_ARN


@pytest.fixture
def client() -> Any:
    return FakeSFNClient(region_name="us-east-1", account_id="123456789012")


@pytest.fixture
def role_arn() -> str:
    return ROLE_ARN


@pytest.fixture
def definition():
    """``definition(comment=..., **extra_states)``: a one-Pass-state machine as JSON text."""

    def build(comment: str = "greeting", **states: Any) -> str:
        body: dict[str, Any] = {"Hello": {"Type": "Pass", "Result": {"said": comment}, "End": True}}
        body.update(states)
        return json.dumps({"Comment": comment, "StartAt": "Hello", "States": body})

    return build


@pytest.fixture
def create_machine(client, definition):
    """``create_machine(name, **params)``: CreateStateMachine with sensible defaults."""

    def create(name: str = "orders", **params: Any) -> dict[str, Any]:
        params.setdefault("definition", definition())
        params.setdefault("roleArn", ROLE_ARN)
        return client.create_state_machine(name=name, **params)

    return create
