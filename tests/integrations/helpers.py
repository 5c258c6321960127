"""Small helpers shared by the integration tests: start a machine, read it back."""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.stub import Stubber

from tests.conftest import ROLE_ARN, Ran, history


def task_machine(resource: str, **fields: Any) -> dict[str, Any]:
    """A one-state machine whose Task runs ``resource``."""
    return {
        "StartAt": "Work",
        "States": {"Work": {"Type": "Task", "Resource": resource, "End": True, **fields}},
    }


def create(
    sfn: Any, definition: dict[str, Any], name: str = "machine", machine_type: str = "STANDARD"
) -> str:
    """Create a state machine; return its ARN."""
    return str(
        sfn.create_state_machine(
            name=name, definition=json.dumps(definition), roleArn=ROLE_ARN, type=machine_type
        )["stateMachineArn"]
    )


def start(sfn: Any, machine_arn: str, value: Any = None, name: str | None = None) -> str:
    """Start an execution; return its ARN (the backend runs it as far as it can)."""
    kwargs: dict[str, Any] = {
        "stateMachineArn": machine_arn,
        "input": json.dumps({} if value is None else value),
    }
    if name is not None:
        kwargs["name"] = name
    return str(sfn.start_execution(**kwargs)["executionArn"])


def read(sfn: Any, execution_arn: str) -> Ran:
    """The execution's describe reply and history."""
    return Ran(execution_arn, sfn.describe_execution(executionArn=execution_arn), history(sfn, execution_arn))


def event(ran: Ran, event_type: str) -> dict[str, Any]:
    """The one event of ``event_type`` (fails when there are several or none)."""
    (found,) = [e for e in ran.events if e["type"] == event_type]
    return found


def elapsed(ran: Ran, event_type: str) -> float:
    """Virtual seconds from ExecutionStarted to the (only) event of ``event_type``."""
    return (event(ran, event_type)["timestamp"] - ran.events[0]["timestamp"]).total_seconds()


class StubbedSession:
    """Stands in for a boto3 Session: hands out pre-stubbed clients."""

    def __init__(self) -> None:
        self.clients: dict[str, Any] = {}
        self.stubbers: dict[str, Stubber] = {}

    def plain(self, service: str) -> Any:
        """A real client that never gets to send (for requests botocore refuses first)."""
        client = self.clients[service] = boto3.client(
            service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        return client

    def stub(self, service: str) -> Stubber:
        client = boto3.client(
            service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        self.clients[service] = client
        stubber = self.stubbers[service] = Stubber(client)
        stubber.activate()
        return stubber

    def client(self, service: str, region_name: str | None = None) -> Any:
        return self.clients[service]
