"""Shared helpers for behaviour tests: run a definition through the real client API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

ROLE_ARN = "arn:aws:iam::123456789012:role/fakesfn-tests"


@dataclass
class Ran:
    """What a test needs after running a definition: the describe reply and the history."""

    arn: str
    describe: dict[str, Any]
    events: list[dict[str, Any]]

    @property
    def status(self) -> str:
        return str(self.describe["status"])

    @property
    def output(self) -> Any:
        return json.loads(self.describe["output"])

    @property
    def types(self) -> list[str]:
        return [e["type"] for e in self.events]

    def details(self, event_type: str) -> list[dict[str, Any]]:
        """The *EventDetails of every event of ``event_type``."""
        found = []
        for event in self.events:
            if event["type"] == event_type:
                found.append(next((v for k, v in event.items() if k.endswith("EventDetails")), {}))
        return found


def history(client: Any, arn: str) -> list[dict[str, Any]]:
    pages = client.get_paginator("get_execution_history").paginate(executionArn=arn)
    return [event for page in pages for event in page["events"]]


def run_definition(
    client: Any,
    definition: dict[str, Any] | str,
    input_value: Any = None,
    *,
    settle: bool = True,
    name: str = "machine",
    machine_type: str = "STANDARD",
) -> Ran:
    """Create (or reuse) a machine, start one execution, optionally settle, and read it back."""
    text = definition if isinstance(definition, str) else json.dumps(definition)
    arn = client.create_state_machine(name=name, definition=text, roleArn=ROLE_ARN, type=machine_type)[
        "stateMachineArn"
    ]
    kwargs: dict[str, Any] = {"stateMachineArn": arn}
    if input_value is not None:
        kwargs["input"] = json.dumps(input_value)
    execution = client.start_execution(**kwargs)["executionArn"]
    if settle:
        client.backend.settle()
    return Ran(execution, client.describe_execution(executionArn=execution), history(client, execution))


@pytest.fixture
def run(sfn: Any) -> Any:
    """``run(definition, input)`` on the test's fake client."""
    counter = {"n": 0}

    def _run(definition: dict[str, Any] | str, input_value: Any = None, **kwargs: Any) -> Ran:
        counter["n"] += 1
        kwargs.setdefault("name", f"machine-{counter['n']}")
        return run_definition(sfn, definition, input_value, **kwargs)

    return _run
