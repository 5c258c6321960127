"""A fuzzing world: one backend, the handlers the strategies name, and a scripted outside actor.

A *scenario* is plain JSON data (seed, machine type, definition text, inputs and
the outside actor's moves), so the same scenario can be replayed in another
process: :func:`run_scenario` is what the fuzz, determinism and cross-process
tests all run. :class:`World` records every API reply (or refusal) in order in
``transcript``; two runs of one scenario must produce byte-identical transcripts.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

import fakesfn
from tests.trust import strategies as s
from tests.trust.invariants import assert_aws_error

CHILD_DEFINITION = {
    "StartAt": "Work",
    "States": {
        "Work": {"Type": "Wait", "Seconds": 3, "Next": "Check"},
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.fail", "IsPresent": True, "Next": "No"}],
            "Default": "Yes",
        },
        "Yes": {"Type": "Pass", "Result": {"child": "done"}, "End": True},
        "No": {"Type": "Fail", "Error": "Child.Failed", "Cause": "asked to"},
    },
}


class Refused(Exception):
    """An API call the fake refused (the ClientError or ParamValidationError is ``error``)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error

    @property
    def code(self) -> str:
        if isinstance(self.error, ClientError):
            return str(self.error.response["Error"]["Code"])
        return "ParamValidationError"


def _handlers(world: World) -> dict[str, tuple[Any, float]]:
    def echo(event: Any, context: Any) -> Any:
        return event

    def const(event: Any, context: Any) -> Any:
        return {"ok": True, "left": context.get_remaining_time_in_millis()}

    def boom(event: Any, context: Any) -> Any:
        raise ValueError("boom")

    def custom(event: Any, context: Any) -> Any:
        raise fakesfn.LambdaError("Custom.Error", "custom failure", ["frame 1"])

    def unmarshal(event: Any, context: Any) -> Any:
        return {"not json": {1, 2}}

    def raw(event: Any, context: Any) -> Any:
        return b"\xff raw bytes, not JSON"

    def huge(event: Any, context: Any) -> Any:
        return "x" * (300 * 1024)

    def nan(event: Any, context: Any) -> Any:
        return {"value": float("nan"), "big": float("inf")}

    def callback(event: Any, context: Any) -> Any:
        token = event.get("token") if isinstance(event, dict) else None
        if isinstance(token, str):
            world.callback_tokens.append(token)
        return None

    return {
        "echo": (echo, 0),
        "const": (const, 0),
        "boom": (boom, 0),
        "custom": (custom, 0),
        "unmarshal": (unmarshal, 0),
        "raw": (raw, 0),
        "slow": (echo, 30),
        "huge": (huge, 0),
        "nan": (nan, 0),
        "callback": (callback, 0),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    raise TypeError(type(value).__name__)


def canonical(value: Any) -> str:
    """A byte-stable text of an API reply (datetimes as ISO strings)."""
    return json.dumps(value, default=_plain, sort_keys=True, ensure_ascii=True)


def new_client(seed: int = 0) -> Any:
    """A fake client on a fresh backend, in the region and account the strategies use."""
    return fakesfn.FakeSFNClient(seed=seed, region_name=s.REGION, account_id=s.ACCOUNT)


class World:
    """A fresh backend with everything generated machines refer to."""

    def __init__(
        self, seed: int = 0, machine_type: str = "STANDARD", client: Any = None, *, child: bool = True
    ) -> None:
        if client is None:
            client = new_client(seed)
        else:
            # Creating a botocore client costs more than running most scenarios:
            # reuse one, with its backend reset to a fresh world of this seed.
            client.backend.seed = seed
            client.backend.reset()
        self.client = client
        self.backend = client.backend
        self.machine_type = machine_type
        self.callback_tokens: list[str] = []
        self.transcript: list[str] = []
        self.executions: list[str] = []
        self.used_tokens: list[str] = []
        for name, (handler, duration) in _handlers(self).items():
            self.backend.register_lambda(name, handler, duration=duration)
        self.call("create_activity", name="worker")
        if child:
            self.call(
                "create_state_machine", name="child", definition=json.dumps(CHILD_DEFINITION), roleArn=s.ROLE
            )

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Call the API; record the reply; raise :class:`Refused` for a refusal.

        Anything but a ClientError with a modelled code or a ParamValidationError
        escapes: that is the bug the fuzz tests look for.
        """
        try:
            reply = getattr(self.client, operation)(**params)
        except (ClientError, ParamValidationError) as error:
            assert_aws_error(self.client, operation, error)
            self.transcript.append(canonical([operation, "refused", str(error)]))
            raise Refused(error) from None
        self.transcript.append(canonical([operation, reply]))
        return dict(reply)

    def attempt(self, operation: str, **params: Any) -> dict[str, Any] | Refused:
        """:meth:`call`, returning the refusal instead of raising it."""
        try:
            return self.call(operation, **params)
        except Refused as refused:
            return refused

    def settle(self) -> None:
        self.transcript.append(canonical(["settle", self.backend.settle()]))

    def advance(self, seconds: float) -> None:
        self.backend.advance(seconds)
        self.transcript.append(canonical(["advance", seconds, self.backend.clock.now()]))


ACTOR_MOVES = ("success", "failure", "heartbeat", "ignore", "bad-output", "failure-no-error", "stop")
ADVANCES = (0, 1, 5, 30, 100)


def _answer(world: World, token: str, move: str, step: int) -> bool:
    """Act on one waiting task; ``True`` when the task got its outcome."""
    if move == "success":
        world.attempt("send_task_success", taskToken=token, output=json.dumps({"answer": step, "ü": [None]}))
    elif move == "failure":
        world.attempt("send_task_failure", taskToken=token, error="Worker.Failed", cause="told to fail")
    elif move == "failure-no-error":
        world.attempt("send_task_failure", taskToken=token)
    elif move == "heartbeat":
        world.attempt("send_task_heartbeat", taskToken=token)
        return False
    elif move == "bad-output":
        refused = world.attempt("send_task_success", taskToken=token, output="{not json")
        assert isinstance(refused, Refused)
        assert refused.code in ("InvalidOutput", "TaskTimedOut"), refused.code
        return False
    else:
        return False
    world.used_tokens.append(token)
    return True


def drive(world: World, moves: list[int], rounds: int = 4) -> None:
    """Play the outside actor: poll activities, answer callbacks, move the clock, stop executions."""
    waiting: list[str] = []
    seen_callbacks = 0
    step = 0
    for _ in range(rounds):
        world.settle()
        polled = world.attempt("get_activity_task", activityArn=s.ACTIVITY, workerName="fuzzer")
        while isinstance(polled, dict) and polled.get("taskToken"):
            waiting.append(polled["taskToken"])
            polled = world.attempt("get_activity_task", activityArn=s.ACTIVITY)
        waiting.extend(world.callback_tokens[seen_callbacks:])
        seen_callbacks = len(world.callback_tokens)
        still: list[str] = []
        for token in waiting:
            move = ACTOR_MOVES[moves[step % len(moves)] % len(ACTOR_MOVES)] if moves else "success"
            step += 1
            if move == "stop" and world.executions:
                arn = world.executions[step % len(world.executions)]
                world.attempt("stop_execution", executionArn=arn, error="Stopped.ByFuzzer", cause="stop")
                still.append(token)
            elif not _answer(world, token, move, step):
                still.append(token)
        waiting = still
        world.advance(ADVANCES[moves[step % len(moves)] % len(ADVANCES)] if moves else 0)
    world.settle()
    for token in world.used_tokens[:3]:
        refused = world.attempt("send_task_success", taskToken=token, output="{}")
        assert isinstance(refused, Refused), "a used token was accepted twice"
        assert refused.code == "TaskTimedOut", refused.code


def run_scenario(scenario: dict[str, Any], client: Any = None) -> World:
    """Create the scenario's machine, start its executions, play the actor, settle.

    ``client``: reuse this client (its backend is reset) instead of making one.
    """
    world = World(scenario.get("seed", 0), scenario.get("type", "STANDARD"), client)
    created = world.attempt(
        "create_state_machine",
        name="fuzz",
        definition=scenario["definition"],
        roleArn=s.ROLE,
        type=world.machine_type,
    )
    if isinstance(created, Refused):
        return world
    for index, text in enumerate(scenario["inputs"]):
        params: dict[str, Any] = {"stateMachineArn": created["stateMachineArn"], "input": text}
        if index % 2:
            params["name"] = f"run-{index}"
        if world.machine_type == "EXPRESS":
            world.attempt("start_sync_execution", **params)
            continue
        started = world.attempt("start_execution", **params)
        if isinstance(started, dict):
            world.executions.append(started["executionArn"])
    drive(world, scenario.get("moves", []))
    for arn in world.executions:
        world.attempt("describe_execution", executionArn=arn)
        pages = world.client.get_paginator("get_execution_history").paginate(executionArn=arn)
        world.transcript.append(canonical([page["events"] for page in pages]))
    return world


def transcript_of(scenario: dict[str, Any], client: Any = None) -> str:
    """Everything the scenario's run answered, as one text."""
    return "\n".join(run_scenario(scenario, client).transcript)


def serve() -> None:
    """Answer scenarios read from stdin (one JSON per line) with their transcripts (one per line).

    The determinism test runs this in child processes with other hash seeds.
    """
    client = new_client()
    for line in sys.stdin:
        transcript = transcript_of(json.loads(line), client)
        sys.stdout.write(json.dumps(transcript) + "\n")
        sys.stdout.flush()
