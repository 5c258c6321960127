"""Same seed and same calls: byte-identical histories, ARNs and outputs, also across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import fakesfn

DEFINITION = {
    "StartAt": "U",
    "States": {
        "U": {
            "Type": "Pass",
            "Parameters": {"id.$": "States.UUID()", "r.$": "States.MathRandom(1, 1000)"},
            "Next": "T",
        },
        "T": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "JitterStrategy": "FULL"}],
            "End": True,
        },
    },
}


def scenario(seed):
    client = fakesfn.FakeSFNClient(seed=seed)
    calls = {"n": 0}

    def flaky(event, context):
        calls["n"] += 1
        if calls["n"] < 3:
            raise RuntimeError("again")
        return event

    client.backend.register_lambda("f", flaky)
    arn = client.create_state_machine(
        name="m", definition=json.dumps(DEFINITION), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    execution = client.start_execution(stateMachineArn=arn)["executionArn"]
    client.backend.settle()
    events = client.get_execution_history(executionArn=execution)["events"]
    return json.dumps([execution, events], default=str, sort_keys=True)


def test_same_seed_same_bytes():
    assert scenario(7) == scenario(7)


def test_other_seed_other_draws():
    assert scenario(7) != scenario(8)


def test_identical_across_processes_with_hash_randomization():
    code = (
        textwrap.dedent(
            """
        import sys
        sys.path.insert(0, %r)
        from tests.engine.test_determinism import scenario
        print(scenario(3))
        """
        )
        % os.getcwd()
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        outputs.add(
            subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            ).stdout
        )
    assert len(outputs) == 1
    assert outputs.pop().strip() == scenario(3)


def test_listing_through_an_alias_draws_nothing_from_the_seed():
    def world(list_first):
        client = fakesfn.FakeSFNClient(seed=1)
        arn = client.create_state_machine(
            name="m",
            definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
            roleArn="arn:aws:iam::123456789012:role/r",
            publish=True,
        )["stateMachineArn"]
        v1 = f"{arn}:1"
        client.update_state_machine(
            stateMachineArn=arn,
            definition=json.dumps({"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": True}}}),
            publish=True,
        )
        alias = client.create_state_machine_alias(
            name="live",
            routingConfiguration=[
                {"stateMachineVersionArn": v1, "weight": 50},
                {"stateMachineVersionArn": f"{arn}:2", "weight": 50},
            ],
        )["stateMachineAliasArn"]
        if list_first:
            client.list_executions(stateMachineArn=alias)
        return client.start_execution(stateMachineArn=alias)["executionArn"]

    assert world(True) == world(False)
