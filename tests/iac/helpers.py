"""Helpers for the template tests: deploy a template written in the test, read what it made."""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING, Any

from fakesfn import Backend, FakeSFNClient

if TYPE_CHECKING:
    from pathlib import Path

ROLE = "arn:aws:iam::123456789012:role/sfn"

PASS_MACHINE = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def write(directory: Path, name: str, text: str) -> Path:
    """Write a template (dedented) to ``directory/name``; returns its path."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def value_of(expression: Any, extra: dict[str, Any] | None = None, **deploy: Any) -> Any:
    """What ``expression`` resolves to, read back as the template's only output.

    The template declares one SNS topic ``Topic``, one state machine ``Machine``
    and whatever ``extra`` sections or resources the test adds.
    """
    template: dict[str, Any] = {
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Machine": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": json.dumps(PASS_MACHINE), "RoleArn": ROLE},
            },
        },
        "Outputs": {"Value": {"Value": expression}},
    }
    for section, content in (extra or {}).items():
        if section == "Resources":
            template["Resources"].update(content)
        else:
            template[section] = content
    stack = Backend().deploy_template(template, **deploy)
    return stack.outputs["Value"]


def describe(backend: Backend, arn: str) -> dict[str, Any]:
    """DescribeStateMachine through a real client."""
    return dict(FakeSFNClient(backend=backend).describe_state_machine(stateMachineArn=arn))


def definition(backend: Backend, arn: str) -> dict[str, Any]:
    """The deployed machine's definition, parsed."""
    return dict(json.loads(describe(backend, arn)["definition"]))


def tags(backend: Backend, arn: str) -> dict[str, str]:
    """The resource's tags as a dict."""
    reply = FakeSFNClient(backend=backend).list_tags_for_resource(resourceArn=arn)
    return {tag["key"]: tag["value"] for tag in reply["tags"]}


def run(backend: Backend, arn: str, payload: Any = None) -> dict[str, Any]:
    """Run an execution to its end: DescribeExecution, or StartSyncExecution's reply for EXPRESS."""
    client = FakeSFNClient(backend=backend)
    machine = arn.split(":")
    if machine[5] == "stateMachine" and describe(backend, ":".join(machine[:7]))["type"] == "EXPRESS":
        return dict(client.start_sync_execution(stateMachineArn=arn, input=json.dumps(payload or {})))
    started = client.start_execution(stateMachineArn=arn, input=json.dumps(payload or {}))
    backend.settle()
    return dict(client.describe_execution(executionArn=started["executionArn"]))
