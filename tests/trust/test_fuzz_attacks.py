"""An attacker's machines and inputs: every one gets AWS's answer, and ends as AWS ends it.

Issue 16 found loops that never returned, expressions that took the process's
memory, definitions that raised RecursionError and numbers that reached outputs as
Infinity. :mod:`tests.trust.attacks` draws those shapes and their neighbours (just
inside and just past every bound); each example must end in AWS's refusal, or in
an execution that reaches a terminal status with every invariant of
:mod:`tests.trust.invariants` holding and no failure of the fake itself.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakesfn.engine.execution import INTERNAL_ERROR_PREFIX
from tests.trust import strategies as s
from tests.trust.attacks import attacks, loops
from tests.trust.harness import Refused, World, new_client
from tests.trust.invariants import check_world, strict_json

SYNC_STATUSES = ("SUCCEEDED", "FAILED", "TIMED_OUT")


@pytest.fixture(scope="module")
def client():
    return new_client()


def _check_sync_reply(reply):
    assert reply["status"] in SYNC_STATUSES, reply["status"]
    assert not str(reply.get("cause", "")).startswith(INTERNAL_ERROR_PREFIX), reply["cause"]
    if reply["status"] == "SUCCEEDED":
        strict_json(reply["output"])


def _run(world, machine_type, text, value):
    """Create and run one machine; the sync reply (EXPRESS), or None once the world is settled."""
    created = world.attempt(
        "create_state_machine", name="attack", definition=text, roleArn=s.ROLE, type=machine_type
    )
    if isinstance(created, Refused):
        assert created.code in ("InvalidDefinition", "ValidationException"), created.code
        return None
    params = {"stateMachineArn": created["stateMachineArn"], "input": json.dumps(value)}
    if machine_type == "EXPRESS":
        reply = world.attempt("start_sync_execution", **params)
        if isinstance(reply, Refused):
            assert reply.code == "InvalidExecutionInput", reply.code
            return None
        _check_sync_reply(reply)
        return reply
    started = world.attempt("start_execution", **params)
    if isinstance(started, Refused):
        assert started.code == "InvalidExecutionInput", started.code
        return None
    world.executions.append(started["executionArn"])
    world.settle()
    check_world(world)
    described = world.client.describe_execution(executionArn=started["executionArn"])
    assert described["status"] != "RUNNING", "nothing outside the fake is waited for"
    return described


@s.fuzz_settings(0.3)
@given(attacks())
def test_an_attack_gets_awss_answer_never_a_crash_a_hang_or_infinity(client, attack):
    machine_type, text, value = attack
    world = World(client=client, machine_type=machine_type, child=False)
    _run(world, machine_type, text, value)


@s.fuzz_settings(0.05)
@given(loops(), st.sampled_from(["STANDARD", "EXPRESS"]))
def test_a_loop_ends_as_aws_ends_it(client, machine, machine_type):
    world = World(client=client, machine_type=machine_type, child=False)
    ended = _run(world, machine_type, json.dumps(machine), {"i": 0, "items": [1, 2]})
    assert ended is not None
    if ended["status"] == "TIMED_OUT":
        # The deadline: the machine's TimeoutSeconds, or an Express execution's five minutes.
        limit = machine.get("TimeoutSeconds", 365 * 24 * 3600)
        if machine_type == "EXPRESS":
            limit = min(limit, 300)
        assert (ended["stopDate"] - ended["startDate"]).total_seconds() == limit
    elif ended["status"] == "FAILED":
        assert ended["error"] == "States.Runtime", ended
        assert machine_type == "STANDARD", "only Standard histories have the 25,000-event limit"
