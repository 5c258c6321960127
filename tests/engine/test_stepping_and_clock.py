"""Stepping through executions, auto-advance for polling code, reset."""

from __future__ import annotations

import json

from tests.conftest import ROLE_ARN

CHAIN = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 30, "Next": "B"},
        "B": {"Type": "Pass", "Result": "done", "End": True},
    },
}


def start(sfn, definition=CHAIN, name="m"):
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE_ARN)[
        "stateMachineArn"
    ]
    return sfn.start_execution(stateMachineArn=arn)["executionArn"]


def test_step_one_state_at_a_time(sfn, sfn_backend):
    sfn_backend.pause_executions()
    arn = start(sfn)
    assert sfn_backend.next_state(arn) == "A"
    assert [e["type"] for e in sfn_backend.step(arn)] == ["PassStateEntered", "PassStateExited"]
    assert sfn_backend.next_state(arn) == "W"
    assert [e["type"] for e in sfn_backend.step(arn)] == ["WaitStateEntered"]
    assert [e["type"] for e in sfn_backend.step(arn)] == ["WaitStateExited"]
    assert sfn_backend.clock.now().second == 30
    sfn_backend.step(arn)
    assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
    assert sfn_backend.step(arn) == []


def test_break_before_a_named_state(sfn, sfn_backend):
    sfn_backend.pause_executions()
    arn = start(sfn)
    events = sfn_backend.break_before(arn, "B")
    assert events[-1]["type"] == "WaitStateExited"
    assert sfn_backend.next_state(arn) == "B"
    sfn_backend.pause_executions(False)
    other = start(sfn, name="free")
    sfn_backend.settle()
    assert sfn.describe_execution(executionArn=other)["status"] == "SUCCEEDED"
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"


def test_stepped_history_equals_free_running_history(sfn, sfn_backend):
    free = start(sfn, name="free")
    sfn_backend.settle()
    sfn_backend.pause_executions()
    stepped = start(sfn, name="stepped")
    while sfn.describe_execution(executionArn=stepped)["status"] == "RUNNING":
        sfn_backend.step(stepped)

    def shape(arn):
        return [
            (e["type"], e["id"], e["previousEventId"])
            for e in sfn.get_execution_history(executionArn=arn)["events"]
        ]

    assert shape(free) == shape(stepped)


def test_auto_advance_lets_polling_loops_finish(sfn, sfn_backend):
    sfn_backend.auto_advance = True
    arn = start(sfn)
    polls = 0
    while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
        polls += 1
        assert polls < 10
    assert polls == 0
    assert sfn_backend.clock.now().second == 30


def test_reset_forgets_everything(sfn, sfn_backend):
    start(sfn)
    sfn_backend.reset()
    assert sfn.list_state_machines()["stateMachines"] == []
    assert sfn_backend.next_due() is None
    assert sfn_backend.clock.now().year == 2024
