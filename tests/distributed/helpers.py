"""Helpers for Distributed Map tests: machines with one distributed Map, and reading them back."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import ROLE_ARN, Ran, history

PASS_PROCESSOR: dict[str, Any] = {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": True}}}


def distributed_map(
    processor: dict[str, Any] | None = None, *, execution_type: str = "STANDARD", **fields: Any
) -> dict[str, Any]:
    """A machine whose only state is a DISTRIBUTED Map named ``Fan`` over ``processor``."""
    body = dict(processor or PASS_PROCESSOR)
    body["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": execution_type}
    state = {"Type": "Map", "ItemProcessor": body, "End": True, **fields}
    return {"StartAt": "Fan", "States": {"Fan": state}}


def start(sfn: Any, definition: dict[str, Any], value: Any, name: str = "machine") -> str:
    """Create the machine and start one execution; return the execution ARN."""
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    return str(sfn.start_execution(stateMachineArn=arn, input=json.dumps(value))["executionArn"])


def finish(sfn: Any, execution_arn: str) -> Ran:
    """Settle the backend and read the execution back."""
    sfn.backend.settle()
    return Ran(execution_arn, sfn.describe_execution(executionArn=execution_arn), history(sfn, execution_arn))


def run_map(sfn: Any, definition: dict[str, Any], value: Any, name: str = "machine") -> Ran:
    """Start and settle one execution of ``definition``."""
    return finish(sfn, start(sfn, definition, value, name))


def map_run_arn(sfn: Any, execution_arn: str) -> str:
    """The ARN of the execution's only Map Run."""
    runs = sfn.list_map_runs(executionArn=execution_arn)["mapRuns"]
    assert len(runs) == 1
    return str(runs[0]["mapRunArn"])


def children(sfn: Any, run_arn: str) -> list[dict[str, Any]]:
    """Every child execution of a Map Run (ListExecutions with mapRunArn), oldest first."""
    pages = sfn.get_paginator("list_executions").paginate(mapRunArn=run_arn)
    found = [item for page in pages for item in page["executions"]]
    found.reverse()  # ListExecutions lists newest first
    return found


def fails_on(value: Any) -> dict[str, Any]:
    """A processor that fails with ``Boom`` when its input equals ``value``, else passes."""
    return {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": value, "Next": "Boom"}],
                "Default": "Keep",
            },
            "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "bad item"},
            "Keep": {"Type": "Pass", "End": True},
        },
    }
