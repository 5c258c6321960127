"""The journal rebuilds the same world, whatever happened before the restart (no sockets here)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fakesfn.backend import Backend
from fakesfn.server.app import App
from fakesfn.server.journal import Journal, replay

ROLE = "arn:aws:iam::123456789012:role/journal-tests"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:queue"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:flow"
DEFINITION = {
    "StartAt": "Nap",
    "States": {
        "Nap": {"Type": "Wait", "SecondsPath": "$.nap", "Next": "Work"},
        "Work": {"Type": "Task", "Resource": ACTIVITY, "HeartbeatSeconds": 40, "Next": "Pick"},
        "Pick": {
            "Type": "Pass",
            "Parameters": {"id.$": "States.UUID()", "r.$": "States.MathRandom(1, 99)"},
            "End": True,
        },
    },
}


def _api(app: App, operation: str, params: dict) -> tuple[int, object]:
    headers = {"X-Amz-Target": f"AWSStepFunctions.{operation}", "Content-Type": "application/x-amz-json-1.0"}
    reply = app.respond("POST", "/", headers, json.dumps(params).encode())
    return reply.status, json.loads(reply.body)


def _control(app: App, path: str, payload: dict) -> None:
    assert app.respond("POST", f"/_fakesfn/{path}", {}, json.dumps(payload).encode()).status == 200


def _setup(app: App) -> None:
    _api(app, "CreateActivity", {"name": "queue"})
    _api(app, "CreateStateMachine", {"name": "flow", "definition": json.dumps(DEFINITION), "roleArn": ROLE})


actions = st.lists(
    st.one_of(
        st.tuples(st.just("start"), st.integers(0, 90)),
        st.tuples(st.just("poll"), st.just(0)),
        st.tuples(st.just("succeed"), st.integers(0, 5)),
        st.tuples(st.just("beat"), st.integers(0, 5)),
        st.tuples(st.just("advance"), st.integers(0, 120)),
        st.tuples(st.just("settle"), st.sampled_from([None, 10, 45])),
        st.tuples(st.just("describe"), st.just(0)),
    ),
    max_size=14,
)


def _act(app: App, tokens: list[str], action: str, value: int | None) -> None:
    if action == "start":
        _api(app, "StartExecution", {"stateMachineArn": MACHINE, "input": json.dumps({"nap": value})})
    elif action == "poll":
        status, reply = _api(app, "GetActivityTask", {"activityArn": ACTIVITY})
        if status == 200 and "taskToken" in reply:
            tokens.append(reply["taskToken"])
    elif action in ("succeed", "beat") and tokens:
        token = tokens[(value or 0) % len(tokens)]
        if action == "succeed":
            _api(app, "SendTaskSuccess", {"taskToken": token, "output": '{"done": 1}'})
        else:
            _api(app, "SendTaskHeartbeat", {"taskToken": token})
    elif action == "advance":
        _control(app, "advance", {"seconds": value})
    elif action == "settle":
        _control(app, "settle", {"max_seconds": value})
    elif action == "describe":
        _api(app, "DescribeStateMachine", {"stateMachineArn": MACHINE})


def _snapshot(app: App) -> object:
    _, listed = _api(app, "ListExecutions", {"stateMachineArn": MACHINE})
    arns = [e["executionArn"] for e in listed["executions"]]
    clock = json.loads(app.respond("GET", "/_fakesfn/clock", {}, b"").body)
    return (
        listed,
        clock,
        [_api(app, "DescribeExecution", {"executionArn": arn}) for arn in arns],
        [_api(app, "GetExecutionHistory", {"executionArn": arn}) for arn in arns],
    )


@settings(max_examples=25, deadline=None)
@given(actions)
def test_a_replayed_journal_rebuilds_the_same_world(steps):
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "world.jsonl")
        journal = Journal.open(path, seed=11)
        first = App(Backend(seed=11), account_id="123456789012", journal=journal)
        _setup(first)
        tokens: list[str] = []
        for action, value in steps:
            _act(first, tokens, action, value)
        expected = _snapshot(first)
        journal.close()
        first.journal = None

        reopened = Journal.open(path, seed=0)
        backend = Backend(seed=reopened.seed)
        replay(reopened, backend)
        second = App(backend, account_id="123456789012", journal=reopened)
        assert _snapshot(second) == expected
        # Tokens handed out before the restart answer the same way after it.
        for token in tokens:
            assert _api(first, "SendTaskSuccess", {"taskToken": token, "output": "{}"}) == _api(
                second, "SendTaskSuccess", {"taskToken": token, "output": "{}"}
            )
        reopened.close()
