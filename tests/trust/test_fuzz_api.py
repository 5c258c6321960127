"""Any operation, any parameters: an AWS error or an answer, and a refusal changes nothing.

Parameters are drawn from botocore's own input shapes (so every member of every
operation is exercised) and mixed with the values a real caller would send: the
ARNs, names, tokens and page tokens of a small world made before each example,
qualified and mangled variants of them, JSON and not-JSON text, limits and their
neighbours.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore import xform_name
from hypothesis import given
from hypothesis import strategies as st

from tests.trust import strategies as s
from tests.trust.harness import Refused, World, new_client
from tests.trust.invariants import check_agreement, snapshot

RUNNING_MACHINE = {
    "StartAt": "Work",
    "States": {
        "Work": {"Type": "Task", "Resource": s.ACTIVITY, "HeartbeatSeconds": 30, "Next": "Rest"},
        "Rest": {"Type": "Wait", "Seconds": 60, "End": True},
    },
}
EXPRESS_MACHINE = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}}
SKIPPED = frozenset({"TestState"})
"""TestState runs a definition once; its own suite fuzzes it, here it only gets model checks."""


@pytest.fixture(scope="module")
def client():
    return new_client()


def prepared(client: Any) -> tuple[World, dict[str, list[Any]]]:
    """A world with one of everything, and the values found in it, by kind."""
    world = World(client=client, child=False)
    machine = world.call(
        "create_state_machine",
        name="fuzz",
        definition=json.dumps(RUNNING_MACHINE),
        roleArn=s.ROLE,
        publish=True,
        tags=[{"key": "k", "value": "v"}],
    )
    express = world.call(
        "create_state_machine",
        name="fast",
        definition=json.dumps(EXPRESS_MACHINE),
        roleArn=s.ROLE,
        type="EXPRESS",
    )
    version = machine["stateMachineVersionArn"]
    alias = world.call(
        "create_state_machine_alias",
        name="live",
        routingConfiguration=[{"stateMachineVersionArn": version, "weight": 100}],
    )["stateMachineAliasArn"]
    executions = [
        world.call("start_execution", stateMachineArn=machine["stateMachineArn"], name=f"run{i}")[
            "executionArn"
        ]
        for i in range(2)
    ]
    world.executions.extend(executions)
    token = world.call("get_activity_task", activityArn=s.ACTIVITY)["taskToken"]
    page = world.call("list_state_machines", maxResults=1)["nextToken"]
    arns = [machine["stateMachineArn"], express["stateMachineArn"], version, alias, s.ACTIVITY, *executions]
    return world, {
        "arn": arns,
        "token": [token, "AQ" + "0" * 128, "not-a-token", "AQ" + "f" * 2047],
        "page": [page, "garbage", "t" * 1025],
        "name": ["fuzz", "new-name", "ü", "a b", "x" * 80, "x" * 81, "123", "live"],
    }


def _mangled(arn: str) -> st.SearchStrategy[str]:
    parts = arn.split(":")
    return st.sampled_from(
        [
            arn + ":1",
            arn + ":live",
            arn + "/label",
            arn.replace("stateMachine", "execution"),
            ":".join(parts[:-1]),
            arn.upper(),
            arn.replace("us-east-1", "eu-west-1"),
            arn.replace("123456789012", "999999999999"),
            arn + "x" * 300,
        ]
    )


def text_for(member: str, pools: dict[str, list[Any]]) -> st.SearchStrategy[str]:
    """Strings for a member, by what its name says it holds."""
    lower = member.lower()
    if lower.endswith("arn"):
        known = st.sampled_from(pools["arn"])
        return (
            known | known.flatmap(_mangled) | st.sampled_from(["", "arn:", "arn:aws:states:::stateMachine:x"])
        )
    if lower == "tasktoken":
        return st.sampled_from(pools["token"])
    if lower == "nexttoken":
        return st.sampled_from(pools["page"])
    if lower in ("name", "workername"):
        return st.sampled_from(pools["name"]) | st.text(max_size=90)
    if lower == "definition":
        return (
            st.sampled_from([json.dumps(RUNNING_MACHINE), json.dumps(EXPRESS_MACHINE)])
            | s.broken_definitions()
        )
    if lower in ("input", "output", "variables", "context"):
        return s.inputs.map(json.dumps) | st.sampled_from(["", "{", "NaN", "[" * 5000, "null"])
    return st.text(max_size=20) | st.sampled_from(["", "x" * 300])


def values_for(
    shape: Any, member: str, pools: dict[str, list[Any]], depth: int = 0
) -> st.SearchStrategy[Any]:
    """Values botocore's ``shape`` takes, with wrong types and off-limit sizes mixed in."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 3:
            return st.just({})
        required = set(shape.required_members)
        members = {name: values_for(sub, name, pools, depth + 1) for name, sub in shape.members.items()}
        return st.fixed_dictionaries(
            {name: strategy for name, strategy in members.items() if name in required},
            optional={name: strategy for name, strategy in members.items() if name not in required},
        )
    if kind == "list":
        return st.lists(values_for(shape.member, member, pools, depth + 1), max_size=3) | st.lists(
            values_for(shape.member, member, pools, depth + 1), min_size=50, max_size=52
        )
    if kind == "map":
        return st.dictionaries(
            st.text(max_size=5), values_for(shape.value, member, pools, depth + 1), max_size=3
        )
    if kind == "string":
        if shape.enum:
            return st.sampled_from([*shape.enum, "NOT_IN_ENUM"])
        return text_for(member, pools)
    if kind in ("integer", "long"):
        return st.sampled_from([0, 1, 2, 100, 1000, 1001, 2**31 - 1]) | st.integers(
            min_value=-2, max_value=2000
        )
    if kind in ("float", "double"):
        return st.floats(min_value=-1, max_value=200, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes()
    if kind == "blob":
        return st.binary(max_size=10)
    return st.none()


def _operation_names(client: Any) -> list[str]:
    return sorted(set(client.meta.service_model.operation_names) - SKIPPED)


@s.fuzz_settings(1.0)
@given(data=st.data())
def test_any_call_gets_an_aws_answer_and_a_refusal_changes_nothing(client, data):
    world, pools = prepared(client)
    model = client.meta.service_model
    before = snapshot(client)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="calls")):
        operation = data.draw(st.sampled_from(_operation_names(client)), label="operation")
        shape = model.operation_model(operation).input_shape
        params = data.draw(values_for(shape, operation, pools), label=operation) if shape is not None else {}
        outcome = world.attempt(xform_name(operation), **params)
        after = snapshot(client)
        if isinstance(outcome, Refused):
            assert after == before, f"{operation} was refused ({outcome.code}) but changed what list_* shows"
        before = after
    for arn in world.executions:
        check_agreement(client, arn)


def test_the_fuzz_budget_meets_the_profile():
    """The fuzz tests' examples add up to 500 in the fast profile (20,000 in the long one)."""
    from tests.trust import test_determinism, test_fuzz_attacks, test_fuzz_executions  # noqa: PLC0415

    modules = (test_fuzz_executions, test_fuzz_attacks, test_determinism)
    tests = [
        test_any_call_gets_an_aws_answer_and_a_refusal_changes_nothing,
        *(getattr(module, name) for module in modules for name in dir(module) if name.startswith("test_")),
    ]
    total = sum(
        test._hypothesis_internal_use_settings.max_examples for test in tests if hasattr(test, "hypothesis")
    )
    wanted = 20_000 if s.profile_name().endswith("long") else 500
    assert total >= wanted, total
