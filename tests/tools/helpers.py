"""Small machines and recorders shared by the tools tests (our own data, not AWS recordings)."""

from __future__ import annotations

import json
from typing import Any

import fakesfn
from fakesfn.tools.recording import history_json
from tests.conftest import Ran, run_definition

FN = "arn:aws:lambda:us-east-1:123456789012:function:charge"

ROUTE: dict[str, Any] = {
    "Comment": "route an order",
    "StartAt": "Load",
    "States": {
        "Load": {"Type": "Pass", "Result": {"total": 120}, "Next": "Big order?"},
        "Big order?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Review"}],
            "Default": "Reject",
        },
        "Review": {"Type": "Succeed"},
        "Reject": {"Type": "Fail", "Error": "Order.Small"},
    },
}

FANOUT: dict[str, Any] = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": FN,
            "Retry": [{"ErrorEquals": ["Card.Busy"], "IntervalSeconds": 1, "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Notify"}],
            "Next": "Ship",
        },
        "Ship": {"Type": "Pass", "End": True},
        "Notify": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Email", "States": {"Email": {"Type": "Pass", "End": True}}},
                {"StartAt": "Sms", "States": {"Sms": {"Type": "Pass", "End": True}}},
            ],
            "ResultPath": None,
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "Pack", "States": {"Pack": {"Type": "Pass", "End": True}}},
            "End": True,
        },
    },
}


def busy_card(event: Any, context: Any) -> Any:
    raise fakesfn.LambdaError("Card.Busy", "try later")


def run_fanout(sfn: Any) -> Ran:
    """FANOUT where Charge fails twice (one retry) and is caught: a SUCCEEDED execution."""
    sfn.backend.register_lambda("charge", busy_card)
    return run_definition(sfn, FANOUT, {"items": [1, 2]}, name="fanout")


def exported(events: list[dict[str, Any]]) -> str:
    """``events`` as ``aws stepfunctions get-execution-history`` prints them (ISO timestamps)."""
    return history_json(events)


def as_json(value: Any) -> str:
    return json.dumps(value)
