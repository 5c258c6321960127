"""Generated machines and inputs run to the end (or to an outside actor), and every invariant holds.

Machines cover every state type, JSONPath and JSONata, paths, intrinsics, Choice
rules, Retry/Catch and nested Parallel/Map; inputs are deep, wide, unicode, huge
numbers and nulls. An outside actor (:func:`tests.trust.harness.drive`) answers
activity and callback tasks, fails them, heartbeats, ignores them, sends bad
output, stops executions and moves the clock.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.trust import strategies as s
from tests.trust.harness import Refused, World, new_client, run_scenario
from tests.trust.invariants import check_agreement, check_world, strict_json


@st.composite
def scenarios(draw, express=False):
    definition = draw(s.definitions(express=express))
    values = draw(st.lists(s.inputs, min_size=1, max_size=2))
    return {
        "seed": draw(st.integers(min_value=0, max_value=2**32)),
        "type": "EXPRESS" if express else "STANDARD",
        "definition": json.dumps(definition),
        "inputs": [json.dumps(value, ensure_ascii=draw(st.booleans())) for value in values],
        "moves": draw(st.lists(st.integers(min_value=0, max_value=30), max_size=8)),
    }


@pytest.fixture(scope="module")
def client():
    """One client for every example (its backend is reset per example)."""
    return new_client()


def created(world):
    """The reply to the scenario's CreateStateMachine (the third call of a world)."""
    return json.loads(world.transcript[2])


# Found by the long profile: a worker that only heartbeats leaves the execution waiting
# with its one-year lifetime as the only timer, which settle() rightly does not wait for.
HEARTBEAT_ONLY = {
    "seed": 0,
    "type": "STANDARD",
    "definition": json.dumps(
        {
            "StartAt": "S1",
            "States": {"S1": {"Type": "Task", "Resource": s.ACTIVITY, "End": True}},
            "QueryLanguage": "JSONata",
        }
    ),
    "inputs": ["{}"],
    "moves": [2],
}


@s.fuzz_settings(2.0)
@given(scenarios())
@example(scenario=HEARTBEAT_ONLY)
def test_generated_machines_keep_every_invariant(client, scenario):
    world = run_scenario(scenario, client)
    assert created(world)[1] != "refused", f"a valid machine was refused: {created(world)}"
    check_world(world)


@s.fuzz_settings(0.5)
@given(scenarios(express=True))
def test_express_machines_end_within_the_sync_call(client, scenario):
    world = run_scenario(scenario, client)
    assert created(world)[1] != "refused", f"a valid machine was refused: {created(world)}"
    replies = [json.loads(line)[1] for line in world.transcript if line.startswith('["start_sync_execution"')]
    assert replies
    for reply in replies:
        if reply == "refused":
            continue
        assert reply["status"] in ("SUCCEEDED", "FAILED", "TIMED_OUT"), reply["status"]
        assert "stopDate" in reply
        if reply["status"] == "SUCCEEDED":
            strict_json(reply["output"])
        else:
            assert "output" not in reply


@s.fuzz_settings(1.0)
@given(s.broken_definitions(), s.inputs)
def test_broken_definitions_are_refused_as_aws_refuses_them(client, text, value):
    world = World(client=client)
    validated = world.attempt("validate_state_machine_definition", definition=text)
    outcome = world.attempt("create_state_machine", name="broken", definition=text, roleArn=s.ROLE)
    if isinstance(outcome, Refused):
        assert outcome.code in ("InvalidDefinition", "ParamValidationError"), outcome.code
        if outcome.code == "InvalidDefinition":
            assert validated["result"] == "FAIL", validated
            assert validated["diagnostics"]
        return
    assert not isinstance(validated, Refused)
    assert validated["result"] == "OK", validated
    started = world.call(
        "start_execution", stateMachineArn=outcome["stateMachineArn"], input=json.dumps(value)
    )
    world.backend.settle()
    check_agreement(world.client, started["executionArn"])
